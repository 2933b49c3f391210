import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrustMaterial } from '@sigstore/verify';
import { COSIGN } from '../../../src/formats/cosign.js';
import { appendCosignLayers, attachReferrers } from '../../../src/writes/execute.js';
import { ActionError } from '../../../src/errors.js';
import { BodyTooLargeError, Http, MAX_BUFFERED_BYTES } from '../../../src/http.js';
import { MANIFEST_LIMIT, RegistryClient, registryClients, type FetchedManifest } from '../../../src/oci/client.js';
import { parseReference } from '../../../src/oci/reference.js';
import { expandTargets, MAX_PLATFORMS, resolveTargets } from '../../../src/stages/targets.js';
import { loadTrustMaterial } from '../../../src/verify.js';
import { DISCOVERY_LIMITS, listClassic, listReferrers, ReadBudget } from '../../../src/verify/discover.js';
import { verifyImages } from '../../../src/verify/image.js';
import { mapConcurrent } from '../../../src/verify/pool.js';
import { failureLines, MAX_FAILURE_LINES } from '../../../src/verify/report.js';
import { startHostileRegistry, type HostileRegistry } from '../../../test/harness/hostile-registry.mjs';

// The registry client and the verifier against a hostile registry: every
// read stops at its limit (the server counts what it had to send), counts of
// items are capped, reads run a few at a time, and redirect loops fail at
// once instead of being retried.

const GiB = 1024 ** 3;
let reg: HostileRegistry;
let few: HostileRegistry; // "many" scenarios at a count under the limit
let trust: TrustMaterial;

beforeAll(async () => {
  reg = await startHostileRegistry({ big: GiB, count: 5000 });
  few = await startHostileRegistry({ big: GiB, count: 300 });
  const seeds = JSON.parse(readFileSync(join('node_modules', '@sigstore', 'tuf', 'seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
  const rootFile = join(mkdtempSync(join(tmpdir(), 'bounds-')), 'trusted_root.json');
  writeFileSync(rootFile, Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']?.targets['trusted_root.json'] ?? '', 'base64'));
  trust = await loadTrustMaterial(rootFile);
});

afterAll(async () => {
  await reg.close();
  await few.close();
});

const http = () => new Http({ retryBudgetMs: 10_000 });
const clientOf = (r: HostileRegistry) => new RegistryClient(r.host, http(), undefined);
const rejection = async (p: Promise<unknown>): Promise<ActionError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ActionError);
  return err as ActionError;
};
// Bytes the server had pushed when the client hung up: the socket buffers
// hold a few MiB, so anything near the body's size means it was read whole.
const READ_LITTLE = 64 * 1024 * 1024;

describe('manifest reads stop at 4 MiB', () => {
  it('a chunked manifest without Content-Length is cut off while streaming', async () => {
    reg.resetStats();
    const err = await rejection(clientOf(reg).getManifest('huge-manifest/app', 'latest'));
    expect(err.message).toBe(
      `${reg.host}/huge-manifest/app:latest is larger than the 4 MiB limit for manifests (the OCI distribution spec's; reading stopped there); no registry stores a larger manifest for a real image: check the reference and the registry`,
    );
    expect(reg.stats().bytesSent).toBeGreaterThan(MANIFEST_LIMIT);
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
    expect(reg.stats().requests).toBe(1); // not retried
  });

  it('a Content-Length over the limit is refused before reading', async () => {
    reg.resetStats();
    const { digest } = reg.image('huge-manifest-length');
    const err = await rejection(clientOf(reg).getManifest('huge-manifest-length/app', digest));
    expect(err.message).toContain(`${reg.host}/huge-manifest-length/app@${digest} is 1024 MiB, over the 4 MiB limit for manifests`);
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
    expect(reg.stats().requests).toBe(1);
  });

  it('a referrers index and a fallback index are manifests too', async () => {
    const huge = reg.image('huge-referrers');
    expect((await rejection(clientOf(reg).referrers(huge.repo, huge.digest))).message).toContain(`the referrers index of ${huge.digest} is larger than the 4 MiB limit`);
    const fallback = reg.image('huge-fallback');
    expect((await rejection(listReferrers(clientOf(reg), fallback.repo, fallback.digest))).message).toContain(
      `huge-fallback/app:sha256-${fallback.digest.slice(7)} is larger than the 4 MiB limit`,
    );
  });
});

describe('blob reads are capped', () => {
  it('a blob declared over the limit is not downloaded', async () => {
    reg.resetStats();
    const err = await rejection(clientOf(reg).getBlob('x/app', { digest: `sha256:${'a'.repeat(64)}`, size: GiB }, 1024 * 1024, 'signature layer'));
    expect(err.message).toBe(
      `${reg.host}/x/app: signature layer sha256:${'a'.repeat(64)} declares 1024 MiB, over the 1 MiB limit for a signature layer; it was not downloaded`,
    );
    expect(reg.stats().requests).toBe(0);
  });

  it('a blob longer than its descriptor is cut off there as wrong content', async () => {
    const sig = (await listClassic(clientOf(reg), 'huge-sig/app', reg.image('huge-sig').digest, '.sig'))[0];
    expect(sig?.descriptor.size).toBe(600);
    reg.resetStats();
    const err = await rejection(clientOf(reg).getBlob('huge-sig/app', sig?.descriptor ?? { digest: '' }, 1024 * 1024, 'signature layer'));
    expect(err.message).toContain('the registry served more than the 600 bytes its descriptor declares; the registry is serving wrong content');
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
  });

  it('a blob without a usable size is cut off at the limit', async () => {
    const sig = (await listClassic(clientOf(reg), 'huge-sig/app', reg.image('huge-sig').digest, '.sig'))[0];
    reg.resetStats();
    const err = await rejection(clientOf(reg).getBlob('huge-sig/app', { digest: sig?.descriptor.digest ?? '', size: -1 }, 1024 * 1024, 'bundle'));
    expect(err.message).toContain('is larger than the 1 MiB limit for a bundle; reading stopped there');
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
  });

  it('a streamed layer stops at its descriptor size', async () => {
    const sig = (await listClassic(clientOf(reg), 'huge-sig/app', reg.image('huge-sig').digest, '.sig'))[0];
    reg.resetStats();
    const stream = await clientOf(reg).openBlob('huge-sig/app', sig?.descriptor.digest ?? '', 10 * 1024 * 1024);
    let read = 0;
    const err = await rejection(
      (async () => {
        for await (const chunk of stream) read += (chunk as Buffer).length;
      })(),
    );
    expect(err.message).toContain('is longer than the 10485760 bytes its descriptor declares');
    expect(read).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
  });

  it('a HEAD of a blob larger than any limit is answered, not refused', async () => {
    const { repo } = reg.image('huge-sig');
    const sig = (await listClassic(clientOf(reg), repo, reg.image('huge-sig').digest, '.sig'))[0];
    reg.resetStats();
    // huge-sig's blob answers HEAD with no Content-Length; a 1 GiB declared one is huge-sig-declared's.
    expect(await clientOf(reg).hasBlob(repo, sig?.descriptor.digest ?? '')).toBe(true);
    const declared = (await listClassic(clientOf(reg), 'huge-sig-declared/app', reg.image('huge-sig-declared').digest, '.sig'))[0];
    const res = await http().request(`http://${reg.host}/v2/huge-sig-declared/app/blobs/${declared?.descriptor.digest ?? ''}`, { service: 'registry', method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(GiB));
  });

  it('every buffered answer has a default limit', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 256 && !res.destroyed) if ((sent++, !res.write(chunk))) return res.once('drain', pump);
        res.end();
      };
      pump();
    });
    const base = await listen(server);
    try {
      const err = await rejection(http().request(`${base}/entries`, { service: 'rekor' }));
      expect(err).toBeInstanceOf(BodyTooLargeError);
      expect(err.code).toBe('REKOR');
      expect(err.message).toBe(`Rekor at ${base} answered GET /entries with more than 32 MiB, over the 32 MiB limit`);
      expect((err as BodyTooLargeError).limit).toBe(MAX_BUFFERED_BYTES);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('redirects', () => {
  it('a redirect loop fails at once, naming it, and is not retried', async () => {
    reg.resetStats();
    const h = http();
    const { digest } = reg.image('redirect-loop');
    const err = await rejection(new RegistryClient(reg.host, h, undefined).getManifest('redirect-loop/app', digest));
    expect(err.code).toBe('REGISTRY');
    expect(err.message).toMatch(
      /^The registry at http:\/\/127\.0\.0\.1:\d+ redirected more than 20 times \(a redirect loop\) on GET \/v2\/redirect-loop\/app\/manifests\/sha256:[0-9a-f]{64}; this is not retried/,
    );
    expect(h.retries.registry).toBe(0);
    expect(reg.stats().requests).toBe(21); // the first request and fetch's 20 redirects
  });

  it('a redirect to a non-HTTP location fails at once', async () => {
    const server = createServer((_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const base = await listen(server);
    try {
      const h = http();
      const err = await rejection(h.request(`${base}/v2/`, { service: 'registry' }));
      expect(err.message).toContain('redirected to an unusable location (URL scheme must be a HTTP(S) scheme)');
      expect(h.retries.registry).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('attachment counts', () => {
  it('a .sig manifest over 1000 layers is refused without reading a layer', async () => {
    reg.resetStats();
    const { repo, digest } = reg.image('many-sig');
    const err = await rejection(listClassic(clientOf(reg), repo, digest, '.sig'));
    expect(err.message).toContain(`.sig has 5000 layers, over the limit of ${DISCOVERY_LIMITS.items} (cosign's); not one was checked`);
    expect(reg.stats().requests).toBe(1);
  });

  it('referrers listed twice count once, and over 1000 are refused', async () => {
    const { repo, digest } = reg.image('many-referrers');
    expect((await rejection(listReferrers(clientOf(reg), repo, digest))).message).toContain(`5000 bundle referrers are attached to ${digest}, over the limit of 1000`);
    const under = few.image('many-referrers');
    expect(await listReferrers(clientOf(few), under.repo, under.digest)).toHaveLength(300);
  });

  it('verify reads 300 referrers 4 at a time, each manifest once, and fails every forged one', async () => {
    const { ref, repo } = few.image('many-referrers');
    few.resetStats();
    const [verdict] = await verifyImages({ ...policy(), images: [ref] });
    const stats = few.stats();
    expect(stats.maxInFlight).toBeLessThanOrEqual(DISCOVERY_LIMITS.concurrency);
    const manifestReads = [...stats.byPath].filter(([p]) => p.startsWith(`/v2/${repo}/manifests/sha256:`));
    expect(manifestReads).toHaveLength(301); // the image and each referrer
    expect(manifestReads.every(([, n]) => n === 1)).toBe(true);
    expect(verdict?.verified).toBe(false);
    expect(verdict?.attestations).toHaveLength(300);
    expect(verdict?.attestations.every((a) => a.reason === 'MALFORMED')).toBe(true);
    // 300 forged items: 9 error lines and one that counts the rest.
    const lines = failureLines(verdict ? [verdict] : []);
    expect(lines).toHaveLength(MAX_FAILURE_LINES);
    expect(lines.at(-1)).toMatch(/: 292 more failures not shown here; the full report lists every item$/);
  });

  it('verify reads 300 .sig layers 4 at a time and reports them in layer order', async () => {
    const { ref } = few.image('many-sig');
    few.resetStats();
    const [verdict] = await verifyImages({ ...policy(), images: [ref] });
    expect(few.stats().maxInFlight).toBeLessThanOrEqual(DISCOVERY_LIMITS.concurrency);
    expect(verdict?.signatures.map((s) => s.source)).toEqual(Array.from({ length: 300 }, (_, i) => `sha256-${few.image('many-sig').digest.slice(7)}.sig layer ${i}`));
    expect(verdict?.signatures.every((s) => !s.verified && /no certificate annotation/.test(s.error ?? ''))).toBe(true);
  });

  it('tags declaring more than 512 MiB in all are refused before any layer is read', async () => {
    const { ref, repo } = reg.image('heavy-sig');
    reg.resetStats();
    const [verdict] = await verifyImages({ ...policy(), images: [ref] });
    expect(verdict?.failures.map((f) => f.message).join('\n')).toMatch(
      /heavy-sig\/app@sha256:[0-9a-f]{64}: the signatures and attestations attached add up to more than 512 MiB, the limit per image; reading stopped there/,
    );
    expect([...reg.stats().byPath.keys()].filter((p) => p.startsWith(`/v2/${repo}/blobs/`))).toEqual([]);
  });

  it('a read budget counts every read and stops past its limit', () => {
    const budget = new ReadBudget('r/app@sha256:1', 1000);
    budget.spend(600);
    budget.spend(400);
    expect(() => budget.spend(1)).toThrow('r/app@sha256:1: the signatures and attestations attached add up to more than 1000 bytes, the limit per image');
  });

  it('every hostile scenario ends as a failed verdict naming the limit', async () => {
    const cases: [string, RegExp][] = [
      ['huge-manifest', /is larger than the 4 MiB limit for manifests/],
      ['huge-sig', /served more than the 600 bytes its descriptor declares/],
      ['huge-sig-declared', /declares 1024 MiB, over the 1 MiB limit for a signature layer/],
      ['huge-sig-tag', /\.(sig|att) is larger than the 4 MiB limit for manifests/],
      ['huge-bundle', /bundle sha256:[0-9a-f]{64}: the registry served more than the 2000 bytes/],
      ['many-sig', /has 5000 layers, over the limit of 1000/],
      ['redirect-loop', /redirect loop/],
    ];
    const verdicts = await verifyImages({ ...policy(), images: cases.map(([s]) => reg.image(s).ref) });
    cases.forEach(([, pattern], i) => {
      expect(verdicts[i]?.verified).toBe(false);
      expect(verdicts[i]?.failures.map((f) => f.message).join('\n')).toMatch(pattern);
    });
  });
});

describe('the signing side reads through the same limits', () => {
  it('resolving a target whose manifest is huge fails naming it', async () => {
    const err = await rejection(
      resolveTargets(
        [parseReference(`${reg.host}/huge-manifest/app:latest`)],
        registryClients(http(), undefined, () => undefined),
      ),
    );
    expect(err.message).toContain(`${reg.host}/huge-manifest/app:latest is larger than the 4 MiB limit for manifests`);
  });

  it('an index listing thousands of platform images is refused before reading them', async () => {
    const { ref, repo } = reg.image('many-platforms');
    reg.resetStats();
    const registries = registryClients(http(), undefined, () => undefined);
    const targets = await resolveTargets([parseReference(ref)], registries);
    const err = await rejection(expandTargets(targets, registries));
    expect(err.message).toMatch(
      new RegExp(`many-platforms/app@sha256:[0-9a-f]{64}: the index lists 5000 platform images, over the limit of ${MAX_PLATFORMS}; nothing was signed`),
    );
    expect(reg.stats().byPath.get(`/v2/${repo}/manifests/${reg.image('many-platforms').digest}`)).toBe(1); // the index only
    expect(reg.stats().requests).toBe(1);
  });

  it('appending to a huge .sig manifest fails instead of buffering it', async () => {
    const { repo, digest } = reg.image('huge-sig-tag');
    reg.resetStats();
    const layer = { mediaType: COSIGN.simpleSigning, bytes: Buffer.from('{}'), annotations: {} };
    const err = await rejection(appendCosignLayers(clientOf(reg), repo, digest, '.sig', [layer]));
    expect(err.message).toContain(`${repo}:sha256-${digest.slice(7)}.sig is larger than the 4 MiB limit for manifests`);
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
  });

  it('merging into a huge referrers fallback index fails instead of buffering it', async () => {
    const image = reg.image('huge-fallback');
    const subject: FetchedManifest = (await clientOf(reg).getManifest(image.repo, image.digest)) as FetchedManifest;
    reg.resetStats();
    const artifact = { bytes: Buffer.from('{}'), artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', annotations: {} };
    const err = await rejection(attachReferrers(clientOf(reg), image.repo, subject, [artifact], '2026-01-01T00:00:00Z'));
    expect(err.message).toContain(`huge-fallback/app:sha256-${image.digest.slice(7)} is larger than the 4 MiB limit for manifests`);
    expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
  });
});

describe('mapConcurrent', () => {
  it('keeps input order, never exceeds the limit, and stops starting work after a failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const out = await mapConcurrent([...Array(40).keys()], 4, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([...Array(40).keys()].map((n) => n * 2));
    expect(peak).toBe(4);
    started.length = 0;
    await expect(
      mapConcurrent([...Array(40).keys()], 4, async (n) => {
        started.push(n);
        await new Promise((r) => setTimeout(r, 1));
        if (n === 5) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(12);
  });
});

function policy() {
  return {
    policy: { san: 'https://github.com/o/r/.github/workflows/x.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' },
    predicateTypes: [],
    requireSignature: true,
    trust,
    http: http(),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
