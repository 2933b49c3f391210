import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getManifest, tagFor } from '../../test/harness/checks.js';
import { errorLines, type ActionRun } from '../../test/harness/run-action.js';
import { stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// What a user reads: the log of a multi-platform run (one group per image,
// no interleaving, one line per artifact, the self-verification and every
// retry at info level), a supplied SBOM attested only on what was named,
// the action loading under NODE_OPTIONS=--no-deprecation without a warning,
// and a registry that refuses pushes stopping the run before anything is
// logged in Rekor.

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const REPO = 'octo-org/logs';

const lib = await stackLib();
const stack = useStack({ name: 'logs' });
let img: PushedImage;
let index: { digest: string };
let platforms: { digest: string; platform: string }[];

// Pushes the fixture image to `repo` plus two platform manifests over its
// layers and an index listing them.
async function pushIndex(repo: string) {
  const pushed = await lib.pushFixtureImage(stack, repo);
  const base = (await getManifest(pushed.name, pushed.digest)) as Record<string, unknown>;
  const amd64 = await put(repo, 'amd64', { ...base, annotations: { platform: 'amd64' } }, OCI_MANIFEST);
  const arm64 = await put(repo, 'arm64', { ...base, annotations: { platform: 'arm64' } }, OCI_MANIFEST);
  const idx = await put(
    repo,
    'v1',
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    },
    OCI_INDEX,
  );
  return {
    img: pushed,
    index: idx,
    platforms: [
      { digest: amd64.digest, platform: 'linux/amd64' },
      { digest: arm64.digest, platform: 'linux/arm64/v8' },
    ],
  };
}

beforeAll(async () => {
  ({ img, index, platforms } = await pushIndex(REPO));
});

async function put(repo: string, ref: string, body: object, mediaType: string): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT ${ref}: ${res.status} ${await res.text()}`);
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) => stack.run(inputs, { env });

// The log's lines without the runner's masking and debug commands.
const infoLines = (r: ActionRun) => r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('::add-mask::') && !l.startsWith('::debug::'));

// Splits the log into top-level lines and groups; fails on a nested group.
function groups(lines: string[]): { top: string[]; groups: { title: string; lines: string[] }[] } {
  const top: string[] = [];
  const out: { title: string; lines: string[] }[] = [];
  let open: { title: string; lines: string[] } | undefined;
  for (const l of lines) {
    if (l.startsWith('::group::')) {
      expect(open).toBeUndefined();
      open = { title: l.slice('::group::'.length), lines: [] };
    } else if (l === '::endgroup::') {
      expect(open).toBeDefined();
      out.push(open!);
      open = undefined;
    } else if (open) open.lines.push(l);
    else top.push(l);
  }
  expect(open).toBeUndefined();
  return { top, groups: out };
}

const short = (digest: string) => digest.slice(7, 19);

describe('the log of a multi-platform run', () => {
  it('has one group per image in order, lines that name their image, artifact, verification and retry lines', async () => {
    await lib.failService(stack, 'rekorPost', { status: 503, count: 1 });
    let r: ActionRun;
    try {
      r = await run({ images: `${img.name}@${index.digest}` });
    } finally {
      await lib.clearFailures(stack);
    }
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    const { top, groups: gs } = groups(infoLines(r));

    // One group per image: the index first, then its platforms, each once.
    expect(gs.map((g) => g.title)).toEqual([
      `${img.name}@${index.digest} (index of 2 platform images)`,
      ...platforms.map((p) => `${img.name}@${p.digest} (${p.platform})`),
    ]);
    const labels = [`logs@${short(index.digest)} index`, ...platforms.map((p) => `logs@${short(p.digest)} ${p.platform}`)];
    gs.forEach((g, i) => {
      // Every line in a group names its own image and no other.
      for (const l of g.lines) expect(l.startsWith(`${labels[i]}: `)).toBe(true);
      const artifacts = g.lines.filter((l) => / Rekor log index \d+, attached as /.test(l));
      expect(artifacts.map((l) => l.slice(labels[i]!.length + 2).split(':')[0]).sort()).toEqual(
        ['SBOM attestation', 'provenance attestation', 'signature', 'signature bundle'].sort(),
      );
      expect(artifacts.find((l) => l.includes(': signature: '))).toContain(`cosign tag ${tagFor(i === 0 ? index.digest : platforms[i - 1]!.digest, '.sig')}`);
    });
    // Each platform's SBOM lines (layers, figures) sit in its own group.
    for (const g of gs.slice(1)) expect(g.lines.filter((l) => / layer \d+\/\d+ /.test(l))).toHaveLength(2);

    expect(top).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Signing as https:\/\/github\.com\/octo-org\/octo-repo\/\.github\/workflows\/release\.yml@refs\/heads\/main \(issuer /),
        expect.stringMatching(/^Logged 12 entries in Rekor for 3 image\(s\) \(log indexes \d+–\d+\)$/),
        expect.stringMatching(/^Self-verified 12 bundles against the trusted root: each signed by https:\/\/github\.com\/octo-org\//),
        expect.stringMatching(/^Rekor: HTTP 503 on POST \/api\/v1\/log\/entries; attempt 2 in [\d.]+s \([\d.]+s of the 120s retry budget left\)$/),
      ]),
    );
    // Nothing image-specific leaks to the top level.
    for (const l of top) expect(l).not.toMatch(/ layer \d+\/\d+ |Rekor log index/);
  });
});

describe('a supplied sbom file with a multi-platform index', () => {
  it('is attested on the index only, and the log says what each platform got', async () => {
    // A repository of its own, so no earlier run's attestations are found.
    const { img, index, platforms } = await pushIndex('octo-org/supplied-sbom');
    const path = join(stack.work, 'bom.cdx.json');
    writeFileSync(path, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] }));
    const r = await run({ images: `${img.name}@${index.digest}`, sbom: path });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.outputs['results'] ?? '[]') as { digest: string; sbom?: unknown; provenance?: unknown }[];
    expect(results.map((x) => [x.digest, Boolean(x.sbom), Boolean(x.provenance)])).toEqual([
      [index.digest, true, true],
      ...platforms.map((p) => [p.digest, false, true]),
    ]);
    for (const p of platforms) {
      const att = await getManifest(img.name, tagFor(p.digest, '.att'));
      expect(att?.layers?.map((l) => l.annotations?.['predicateType'])).toEqual(['https://slsa.dev/provenance/v1']);
    }
    const { groups: gs } = groups(infoLines(r));
    expect(gs[0]!.lines.some((l) => l.includes(`SBOM: the supplied ${path}`) && l.includes('attested on this image'))).toBe(true);
    for (const g of gs.slice(1)) expect(g.lines.some((l) => /SBOM: none for this platform image: the supplied .* describes the index/.test(l))).toBe(true);
  });
});

describe('NODE_OPTIONS from the workflow', () => {
  it('--no-deprecation does not stop the action from loading', async () => {
    const r = await run({ images: img.ref, sbom: 'generate', provenance: 'false' }, { NODE_OPTIONS: '--no-deprecation' });
    expect(errorLines(r)).toEqual([]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('without flags, no deprecation warning reaches the log', async () => {
    const r = await run({ images: img.ref, provenance: 'false' });
    expect(r.code).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/DEP0040|punycode|DeprecationWarning/);
  });
});

describe('a registry that refuses pushes', () => {
  // Forwards to the stack's registry, refusing every write with `status`
  // (or forwarding all with no status), optionally as a registry that cannot
  // mount blobs; records what it saw and the status it answered for writes.
  async function proxy(status?: number, opts: { noMount?: boolean } = {}) {
    const seen: string[] = [];
    const answered: number[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        seen.push(`${req.method} ${req.url}`);
        if (status && req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: status === 405 ? 'UNSUPPORTED' : 'DENIED', message: 'no pushes here' }] }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
        headers['x-forwarded-host'] = req.headers.host ?? ''; // upload Locations then point back at the proxy
        const url = opts.noMount && req.method === 'POST' ? (req.url ?? '').replace(/\?mount=.*$/, '') : req.url;
        const up = await fetch(`${stack.registryURL}${url}`, {
          method: req.method,
          headers,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
          redirect: 'manual',
        });
        if (req.method !== 'GET' && req.method !== 'HEAD') answered.push(up.status);
        const out: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) out[k] = v;
        });
        const body = Buffer.from(await up.arrayBuffer());
        res.writeHead(up.status, { ...out, 'content-length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    return {
      seen,
      answered,
      image: `127.0.0.1:${port}/${REPO}@${img.digest}`,
      close: async () => {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      },
    };
  }

  it.each([
    [403, /refuses pushes \(403: DENIED: no pushes here\) and nothing was signed; .*permissions: packages: write.*scope allows push/],
    [405, /does not accept pushes to this repository \(405: UNSUPPORTED: no pushes here\) and nothing was signed; .*attach: none/],
  ])('%i: one error line naming the fix, before any certificate or Rekor entry', async (status, message) => {
    const p = await proxy(status);
    try {
      await lib.resetStats(stack);
      const r = await run({ images: p.image });
      expect(r.code).toBe(1);
      expect(errorLines(r)).toHaveLength(1);
      expect(errorLines(r)[0]).toMatch(message);
      const stats = (await lib.getStats(stack)) as Record<string, number>;
      expect([stats['fulcio'], stats['rekorPost']]).toEqual([0, 0]);
      // The probe is the only write attempted: a mount of the image's config blob.
      const config = ((await getManifest(img.name, img.digest)) as { config: { digest: string } }).config.digest;
      expect(p.seen.filter((s) => !s.startsWith('GET') && !s.startsWith('HEAD'))).toEqual([
        `POST /v2/${REPO}/blobs/uploads/?mount=${encodeURIComponent(config)}&from=${encodeURIComponent(REPO)}`,
      ]);
    } finally {
      await p.close();
    }
  });

  it('a registry that accepts pushes: the probe mounts a blob the repository already has, nothing to undo', async () => {
    const p = await proxy();
    try {
      const r = await run({ images: p.image, sbom: 'false', provenance: 'false' });
      expect(errorLines(r)).toEqual([]);
      const writes = p.seen.filter((s) => !s.startsWith('GET') && !s.startsWith('HEAD'));
      expect(writes[0]).toMatch(new RegExp(`^POST /v2/${REPO}/blobs/uploads/\\?mount=sha256%3A[0-9a-f]{64}&from=`));
      expect(p.answered[0]).toBe(201);
      expect(writes.filter((w) => w.startsWith('DELETE'))).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a registry that cannot mount: the probe upload session is cancelled', async () => {
    const p = await proxy(undefined, { noMount: true });
    try {
      const r = await run({ images: p.image, sbom: 'false', provenance: 'false' });
      expect(errorLines(r)).toEqual([]);
      const writes = p.seen.filter((s) => !s.startsWith('GET') && !s.startsWith('HEAD'));
      expect(p.answered[0]).toBe(202);
      expect(writes[1]).toMatch(new RegExp(`^DELETE /v2/${REPO}/blobs/uploads/[\\w-]+`));
    } finally {
      await p.close();
    }
  });
});
