import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';
import {
  fallbackReferrers,
  getBlob,
  getManifest,
  loadTrust,
  rekorEntry,
  sigstoreVerify,
  tagFor,
  verifySET,
  verifyWithCert,
  type Layer,
  type RawManifest,
  type Trust,
} from '../../test/harness/checks.js';
import { errorLines, FAKE_GITHUB_TOKEN, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// Hardening, end to end, against the offline stack: faults injected by a
// seeded proxy must not lose or duplicate anything; Rekor down for good must
// fail within the retry budget with nothing written; 16 concurrent runs on one
// digest must all survive in .sig and the referrers fallback index; every bad
// input ends with exit 1, one ::error:: line, no stack trace, no secret and an
// untouched registry. Everything is checked with reads that bypass the proxy
// and the action's own code (plain registry HTTP, the registry's storage
// directory, node:crypto, @sigstore/verify).

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const PRED = {
  sign: 'https://sigstore.dev/cosign/sign/v1',
  cyclonedx: 'https://cyclonedx.org/bom',
  slsa: 'https://slsa.dev/provenance/v1',
};

// ---------- fault-proxy (plain JS; typed here) ----------

interface ProxyStats {
  seed: number;
  rate: number;
  requests: number;
  forwarded: number;
  faults: number;
  byKind: Record<string, number>;
  byClass: Record<string, Record<string, number>>;
  requestsByClass: Record<string, number>;
  log: string[];
}
interface FaultProxy {
  url: string;
  host: string;
  port: number;
  stats(): ProxyStats;
  reset(): void;
  configure(c: { rate?: number; kinds?: string[]; retryAfter?: number }): void;
  always(kind: string | undefined): void;
  close(): Promise<void>;
}
interface FaultProxyModule {
  startFaultProxy(o: {
    target: string;
    seed?: number;
    rate?: number;
    kinds?: string[];
    retryAfter?: number;
    eligible?: (method: string, cls: string, path: string) => boolean;
    maxConsecutive?: number;
  }): Promise<FaultProxy>;
  DEFAULT_KINDS: string[];
}
const PROXY_MODULE = '../../test/stack/fault-proxy.mjs';
const proxyLib = async () => (await import(PROXY_MODULE)) as FaultProxyModule;

// ---------- shared stack ----------

const lib = await stackLib();
const stack = useStack({ name: 'hardening-e2e', auth: true });
let trust: Trust;
const proxies: FaultProxy[] = [];

beforeAll(() => {
  expect(process.version.startsWith('v24.')).toBe(true);
  trust = loadTrust(stack.trustedRoot);
});

afterAll(async () => {
  for (const p of proxies) await p.close().catch(() => undefined);
});

function run(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<ActionRun> {
  return stack.run(inputs, { env });
}

// ---------- independent registry / log reads ----------

// The repository's directory in distribution's filesystem storage: every
// manifest revision, linked blob, tag and upload session of that repository.
function repoDir(repo: string, registry: 'registry' | 'auth-registry' = 'registry'): string {
  return join(stack.stateDir, registry, 'storage', 'docker', 'registry', 'v2', 'repositories', repo);
}

// Every file under the repository with a hash of its content: any write
// (blob link, manifest revision, tag move, started upload) changes it.
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[relative(dir, p) + '/'] = '';
        walk(p);
      } else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
    }
  };
  walk(dir);
  return out;
}

function manifestRevisions(repo: string): string[] {
  const dir = join(repoDir(repo), '_manifests', 'revisions', 'sha256');
  return existsSync(dir) ? readdirSync(dir).map((h) => `sha256:${h}`) : [];
}

async function tagsOf(name: string): Promise<string[]> {
  const [host, ...repo] = name.split('/');
  const res = await fetch(`http://${host}/v2/${repo.join('/')}/tags/list`);
  if (res.status === 404) return [];
  const body = (await res.json()) as { tags?: string[] | null };
  return (body.tags ?? []).sort();
}

// Every manifest stored in the repository whose subject is `digest`: what a
// registry with the referrers API would list, tagged or not.
async function storedReferrers(name: string, repo: string, digest: string): Promise<string[]> {
  const out: string[] = [];
  for (const rev of manifestRevisions(repo)) {
    const m = await getManifest(name, rev);
    if (m?.subject?.digest === digest) out.push(rev);
  }
  return out.sort();
}

async function rekorTreeSize(): Promise<number> {
  const res = await fetch(`${stack.rekorURL}/api/v1/log`);
  return ((await res.json()) as { treeSize: number }).treeSize;
}

const pae = (type: string, body: Buffer) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

interface LegacyBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

// A cosign .sig layer: payload names the digest, signature verifies under the
// certificate, the SET verifies under the log key, the certificate is the
// run identity's.
async function checkSigLayer(name: string, digest: string, layer: Layer): Promise<number> {
  const ann = layer.annotations ?? {};
  const payload = await getBlob(name, layer.digest);
  const doc = JSON.parse(payload.toString('utf8')) as { critical: { image: { 'docker-manifest-digest': string } } };
  expect(doc.critical.image['docker-manifest-digest']).toBe(digest);
  const cert = ann['dev.sigstore.cosign/certificate'] ?? '';
  expect(new X509Certificate(cert).subjectAltName).toContain(SAN);
  expect(verifyWithCert(cert, payload, ann['dev.cosignproject.cosign/signature'] ?? '')).toBe(true);
  const legacy = JSON.parse(ann['dev.sigstore.cosign/bundle'] ?? '{}') as LegacyBundle;
  expect(verifySET(trust, legacy.Payload, legacy.SignedEntryTimestamp)).toBe(true);
  return legacy.Payload.logIndex;
}

// A cosign .att layer: a DSSE envelope whose signature verifies under the
// certificate, whose statement names the digest, whose SET verifies.
async function checkAttLayer(name: string, digest: string, layer: Layer): Promise<string> {
  const ann = layer.annotations ?? {};
  const env = JSON.parse((await getBlob(name, layer.digest)).toString('utf8')) as { payloadType: string; payload: string; signatures: { sig: string }[] };
  const body = Buffer.from(env.payload, 'base64');
  const cert = ann['dev.sigstore.cosign/certificate'] ?? '';
  const sig = Buffer.from(env.signatures[0]?.sig ?? '', 'base64');
  expect(cryptoVerify('sha256', pae(env.payloadType, body), new X509Certificate(cert).publicKey, sig)).toBe(true);
  const stmt = JSON.parse(body.toString('utf8')) as { predicateType: string; subject: { digest: { sha256: string } }[] };
  expect(stmt.subject[0]?.digest.sha256).toBe(digest.replace('sha256:', ''));
  expect(stmt.predicateType).toBe(ann['predicateType']);
  const legacy = JSON.parse(ann['dev.sigstore.cosign/bundle'] ?? '{}') as LegacyBundle;
  expect(verifySET(trust, legacy.Payload, legacy.SignedEntryTimestamp)).toBe(true);
  return stmt.predicateType;
}

const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

// ---------- 1. seeded faults ----------

describe('faults injected by a seeded proxy in front of the registry and Sigstore', () => {
  // Each run: its own repository, a registry proxy and a Sigstore proxy with
  // the same seed, sbom generate + provenance + signature, attach both, TSA on.
  async function faultRun(repo: string, seed: number, kinds?: string[]) {
    const { startFaultProxy } = await proxyLib();
    const img = await lib.pushFixtureImage(stack, repo);
    const reg = await startFaultProxy({ target: stack.registryURL, seed, kinds });
    const sig = await startFaultProxy({ target: stack.url, seed: seed + 1000, kinds });
    proxies.push(reg, sig);
    const before = await rekorTreeSize();
    const r = await runAction({
      inputs: {
        images: `${reg.host}/${repo}@${img.digest}`,
        'fulcio-url': sig.url,
        'rekor-url': sig.url,
        'tsa-url': sig.url,
        'trusted-root': stack.trustedRoot,
        attach: 'both',
        'retry-budget': '120',
      },
      env: { ...stack.env },
    });
    const after = await rekorTreeSize();
    const retries = r.stdout.split('\n').filter((l) => l.startsWith('::debug::') && /; retry \d+ in \d+ ms/.test(l));
    const summary = {
      seed,
      exit: r.code,
      ms: r.ms,
      registry: { requests: reg.stats().requests, faults: reg.stats().faults, byKind: reg.stats().byKind, byClass: reg.stats().byClass },
      sigstore: { requests: sig.stats().requests, faults: sig.stats().faults, byKind: sig.stats().byKind, byClass: sig.stats().byClass },
      actionRetries: retries.length,
      rekorEntriesAdded: after - before,
    };
    console.log(`fault run ${repo} (seed ${seed}${kinds ? `, kinds ${kinds.join(',')}` : ''}):\n${JSON.stringify(summary, null, 2)}`);
    await reg.close();
    await sig.close();
    return { r, img, reg, sig, summary, rekorAdded: after - before };
  }

  // What one complete run must leave behind, read directly from the registry.
  async function expectExactlyOneOfEach(img: PushedImage, repo: string, r: ActionRun) {
    const name = img.name; // the real registry, not the proxy
    expect(await tagsOf(name)).toEqual(['latest', tagFor(img.digest), tagFor(img.digest, '.att'), tagFor(img.digest, '.sig')].sort());

    const sig = (await getManifest(name, tagFor(img.digest, '.sig'))) as RawManifest;
    expect(sig.layers).toHaveLength(1);
    const sigIndex = await checkSigLayer(name, img.digest, sig.layers![0]!);
    expect(sigIndex).toBe(Number(r.outputs['signature-log-index']));

    const att = (await getManifest(name, tagFor(img.digest, '.att'))) as RawManifest;
    expect(att.layers).toHaveLength(2);
    expect(dupes(att.layers!.map((l) => l.digest))).toEqual([]);
    const attTypes = [];
    for (const l of att.layers!) attTypes.push(await checkAttLayer(name, img.digest, l));
    expect(attTypes.sort()).toEqual([PRED.cyclonedx, PRED.slsa]);

    const refs = await fallbackReferrers(name, img.digest);
    expect(refs).toHaveLength(3);
    expect(dupes(refs.map((x) => x.digest))).toEqual([]);
    const refTypes = refs.map((x) => x.manifest.annotations?.['dev.sigstore.bundle.predicateType'] ?? '').sort();
    expect(refTypes).toEqual([PRED.cyclonedx, PRED.sign, PRED.slsa]);
    for (const x of refs) {
      expect(x.manifest.subject?.digest).toBe(img.digest);
      sigstoreVerify(trust, x.bundle, SAN, ISSUER);
      const b = x.bundle as { verificationMaterial: { timestampVerificationData?: { rfc3161Timestamps?: unknown[] } } };
      expect(b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
    }
    // No orphan referrer manifests either: a registry with the referrers API
    // would list every stored manifest whose subject is the image.
    expect(await storedReferrers(name, repo, img.digest)).toEqual(refs.map((x) => x.digest).sort());

    // The bundle files the action wrote verify too, with the same log indexes.
    for (const k of ['signature-bundle', 'sbom-bundle', 'provenance-bundle']) {
      expect(r.outputs[k]).toBeTruthy();
      expect(existsSync(r.outputs[k] ?? '')).toBe(true);
    }
    const sigBundle = JSON.parse(readFileSync(r.outputs['signature-bundle'] ?? '', 'utf8')) as unknown;
    sigstoreVerify(trust, sigBundle, SAN, ISSUER, await getBlob(name, sig.layers![0]!.digest));
    const entry = await rekorEntry(stack.rekorURL, sigIndex);
    expect(entry.body['kind']).toBe('hashedrekord');
  }

  for (const seed of [1, 2]) {
    it(`seed ${seed}: 25% of requests fail (503, 429 Retry-After, dropped before and after upstream processed them); one copy of everything`, async () => {
      const repo = `octo-org/faulty-${seed}`;
      const { r, img, summary, rekorAdded } = await faultRun(repo, seed);
      expect(errorLines(r)).toEqual([]);
      expect(r.code).toBe(0);
      // Faults really happened, on both sides, including writes that landed.
      expect(summary.registry.faults + summary.sigstore.faults).toBeGreaterThan(5);
      expect(summary.actionRetries).toBeGreaterThan(0);
      // Four artifacts were logged once each: a dropped 201 was answered by
      // the retry's 409 and the existing entry reused.
      expect(rekorAdded).toBe(4);
      await expectExactlyOneOfEach(img, repo, r);
    }, 300_000);
  }

  // Seed 1 cuts off manifest GETs mid-body; seed 8 cuts off a layer blob
  // streamed for SBOM generation on its first read.
  for (const seed of [1, 8]) {
    it(`seed ${seed} with responses also cut off mid-body: still one copy of everything`, async () => {
      const repo = `octo-org/faulty-truncate-${seed}`;
      const { r, img, rekorAdded } = await faultRun(repo, seed, ['503', '429', 'drop-request', 'drop-response', 'truncate']);
      expect(errorLines(r)).toEqual([]);
      expect(r.code).toBe(0);
      expect(rekorAdded).toBe(4);
      await expectExactlyOneOfEach(img, repo, r);
    }, 300_000);
  }
});

// ---------- 2. Rekor down for good ----------

describe('Rekor down for good', () => {
  for (const [slug, what, opts] of [
    ['drop', 'drops every connection', { mode: 'down' as const }],
    ['502', 'answers 502 to everything', { status: 502 }],
    ['hang', 'accepts connections but never answers', { mode: 'hang' as const }],
  ] as const) {
    it(`${what}: fails within the 5 s budget, one error naming Rekor and its URL, nothing written`, async () => {
      const repo = `octo-org/rekor-down-${slug}`;
      const img = await lib.pushFixtureImage(stack, repo);
      const before = snapshot(repoDir(repo));
      await lib.failService(stack, 'rekor', opts);
      let r: ActionRun;
      try {
        r = await run({ images: img.ref, attach: 'both', 'retry-budget': '5' });
      } finally {
        await lib.clearFailures(stack);
      }
      console.log(`Rekor ${what}: gave up after ${r.ms} ms (retry-budget 5 s): ${errorLines(r)[0]}`);
      expect(r.code).toBe(1);
      expect(errorLines(r)).toHaveLength(1);
      expect(errorLines(r)[0]).toContain('Rekor');
      expect(errorLines(r)[0]).toContain(stack.rekorURL);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at /m);
      // Budget plus generous slack for process start-up and SBOM generation
      // (these runs take about 2 s when the budget is honoured).
      expect(r.ms).toBeLessThan(5_000 + 15_000);
      expect(await tagsOf(img.name)).toEqual(['latest']);
      expect(await storedReferrers(img.name, repo, img.digest)).toEqual([]);
      expect(snapshot(repoDir(repo))).toEqual(before);
    }, 120_000);
  }
});

// ---------- 3. concurrent runs ----------

// Two waves (two repositories), so a lost write that happens in only some
// waves is still caught most of the time.
describe.each(['a', 'b'])('16 simultaneous runs signing the same digest (wave %s)', (wave) => {
  const N = 16;
  let img: PushedImage;
  let runs: ActionRun[];

  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, `octo-org/concurrent-${wave}`);
    const started = Date.now();
    runs = await Promise.all(Array.from({ length: N }, () => run({ images: img.ref, sbom: 'false', provenance: 'false', attach: 'both' })));
    console.log(`wave ${wave}: ${N} concurrent runs finished in ${Date.now() - started} ms; exit codes ${runs.map((r) => r.code).join(',')}`);
  }, 600_000);

  it('all succeed', () => {
    for (const r of runs) {
      expect(errorLines(r)).toEqual([]);
      expect(r.code).toBe(0);
    }
    expect(new Set(runs.map((r) => r.outputs['signature-log-index'])).size).toBe(N);
  });

  it(`leaves ${N} signatures in .sig, each verifiable`, async () => {
    const sig = (await getManifest(img.name, tagFor(img.digest, '.sig'))) as RawManifest;
    console.log(`wave ${wave}: after ${N} concurrent runs: .sig holds ${sig?.layers?.length ?? 0} layers`);
    expect(sig.layers).toHaveLength(N);
    expect(dupes(sig.layers!.map((l) => l.digest + (l.annotations?.['dev.cosignproject.cosign/signature'] ?? '')))).toEqual([]);
    const indexes: number[] = [];
    for (const l of sig.layers!) indexes.push(await checkSigLayer(img.name, img.digest, l));
    expect(indexes.sort((a, b) => a - b)).toEqual(runs.map((r) => Number(r.outputs['signature-log-index'])).sort((a, b) => a - b));
  });

  it(`leaves ${N} signature referrers in the fallback index, each verifiable`, async () => {
    const refs = await fallbackReferrers(img.name, img.digest);
    console.log(`wave ${wave}: after ${N} concurrent runs: fallback index lists ${refs.length} referrers`);
    expect(refs).toHaveLength(N);
    expect(dupes(refs.map((x) => x.digest))).toEqual([]);
    for (const x of refs) {
      expect(x.manifest.subject?.digest).toBe(img.digest);
      expect(x.manifest.annotations?.['dev.sigstore.bundle.predicateType']).toBe(PRED.sign);
      sigstoreVerify(trust, x.bundle, SAN, ISSUER);
    }
    expect(await storedReferrers(img.name, `octo-org/concurrent-${wave}`, img.digest)).toEqual(refs.map((x) => x.digest).sort());
  });

  it('no .att tag (provenance and sbom were off)', async () => {
    expect(await getManifest(img.name, tagFor(img.digest, '.att'))).toBeUndefined();
  });
});

// ---------- 4. bad input ----------

describe('bad input: exit 1, one ::error:: line naming problem and fix, no stack trace, no secret, nothing written', () => {
  let img: PushedImage;
  let authImg: PushedImage;
  const REPO = 'octo-org/bad-input';
  const AUTH_REPO = 'octo-org/bad-input-private';
  const PASSWORD = 'wrong-password-Xq7Zp';
  let tmp: string;

  beforeAll(async () => {
    tmp = stack.tempDir('bad-input-');
    img = await lib.pushFixtureImage(stack, REPO);
    authImg = await lib.pushFixtureImage(stack, AUTH_REPO, 'latest', { auth: true });
  });

  const withoutMasks = (s: string) =>
    s
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
  const JWT_RE = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/;

  // Runs the action, then checks everything every bad input must satisfy.
  async function expectRejected(
    inputs: Record<string, string>,
    error: RegExp,
    opts: { env?: Record<string, string | undefined>; secrets?: string[]; watch?: { dir: string; name: string }[] } = {},
  ): Promise<ActionRun> {
    const watch = opts.watch ?? [{ dir: repoDir(REPO), name: img.name }];
    const before = watch.map((w) => snapshot(w.dir));
    const r = await run({ sbom: 'false', ...inputs }, opts.env);
    const lines = errorLines(r);
    if (lines.length !== 1 || r.code !== 1) console.log(`unexpected result: exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    else console.log(`${lines[0]}`);
    expect(r.code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(error);
    const all = `${r.stdout}\n${r.stderr}`;
    expect(all).not.toMatch(/^\s+at /m);
    expect(all).not.toMatch(/\n\s*at [\w.<>]+ \(/);
    const visible = `${withoutMasks(r.stdout)}\n${r.stderr}`;
    for (const s of [stack.requestToken, FAKE_GITHUB_TOKEN, 'secret', ...(opts.secrets ?? [])]) {
      expect(visible).not.toContain(s);
    }
    expect(visible).not.toMatch(JWT_RE);
    for (let i = 0; i < watch.length; i++) expect(snapshot(watch[i]!.dir)).toEqual(before[i]);
    return r;
  }

  const closedPort = () =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });

  const fakeJWT = (claims: Record<string, unknown>) =>
    [{ alg: 'RS256', typ: 'JWT' }, claims].map((x) => Buffer.from(JSON.stringify(x)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

  // --- the issue's list ---

  it('missing `permissions: id-token: write`', async () => {
    await expectRejected({ images: img.ref }, /permissions: id-token: write/, {
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
    });
  });

  it('a malformed image reference', async () => {
    await expectRejected({ images: 'Not A/Valid::ref' }, /images: .*not a valid image reference.*use registry\/repository@sha256/);
  });

  it('an unknown repository', async () => {
    const repo = 'octo-org/never-pushed';
    await expectRejected({ images: `${stack.registry}/${repo}@${img.digest}` }, /never-pushed.*not found.*push the image/, {
      watch: [
        { dir: repoDir(repo), name: `${stack.registry}/${repo}` },
        { dir: repoDir(REPO), name: img.name },
      ],
    });
    expect(existsSync(repoDir(repo))).toBe(false);
  });

  it('an unknown tag', async () => {
    await expectRejected({ images: `${img.name}:no-such-tag` }, /no-such-tag.*not found.*push the image/);
  });

  it('empty `images`', async () => {
    await expectRejected({ images: '' }, /images: .*no image given.*registry\/repository@sha256/);
  });

  it('`images` of only separators and blanks', async () => {
    await expectRejected({ images: ' ,\n , ' }, /images: .*no image given/);
  });

  it('an invalid `attach` value', async () => {
    await expectRejected({ images: img.ref, attach: 'sideways' }, /attach: "sideways" is not one of both, referrers, tags, none/);
  });

  it('an unreachable Fulcio', async () => {
    const port = await closedPort();
    await expectRejected(
      { images: img.ref, 'fulcio-url': `http://127.0.0.1:${port}`, 'retry-budget': '2' },
      new RegExp(`Fulcio at http://127\\.0\\.0\\.1:${port} .*fulcio-url`),
    );
  });

  it('a missing `trusted-root` file', async () => {
    await expectRejected({ images: img.ref, 'trusted-root': join(tmp, 'nope', 'trusted_root.json') }, /trusted-root: .*does not exist.*trusted_root\.json/);
  });

  it('a trusted root of another Sigstore instance fails self-verification', async () => {
    const other = JSON.parse(readFileSync(stack.trustedRoot, 'utf8')) as { tlogs: { publicKey: { rawBytes: string } }[] };
    const { generateKeyPairSync } = await import('node:crypto');
    const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    for (const t of other.tlogs) t.publicKey.rawBytes = der.toString('base64');
    const path = join(tmp, 'other-root.json');
    writeFileSync(path, JSON.stringify(other));
    await expectRejected({ images: img.ref, 'trusted-root': path }, /Self-verification .* failed.*trusted-root/);
  });

  it('an SBOM file that is not JSON', async () => {
    const path = join(tmp, 'sbom.txt');
    writeFileSync(path, 'this is { not json\n');
    await expectRejected({ images: img.ref, sbom: path }, /sbom.*not JSON.*CycloneDX.*SPDX/);
  });

  it('a JSON file that is neither CycloneDX nor SPDX', async () => {
    const path = join(tmp, 'package.json');
    writeFileSync(path, JSON.stringify({ name: 'app', version: '1.0.0', dependencies: {} }));
    await expectRejected({ images: img.ref, sbom: path }, /sbom.*CycloneDX.*SPDX/);
  });

  it('a malformed `digest`', async () => {
    await expectRejected({ images: img.name, digest: 'sha256:xyz' }, /digest: "sha256:xyz" is not a sha256 digest.*sha256:<64/);
  });

  it('a garbage `identity-token`', async () => {
    const garbage = 'garbage-token-Kp3vW9';
    await expectRejected({ images: img.ref, 'identity-token': garbage }, /identity-token is not a valid OIDC JWT/, { secrets: [garbage] });
  });

  it('a wrong registry password', async () => {
    await expectRejected(
      { images: authImg.ref, 'registry-username': 'tester', 'registry-password': PASSWORD },
      /refused access \(401.*registry-username\/registry-password/,
      { secrets: [PASSWORD, Buffer.from(`tester:${PASSWORD}`).toString('base64')], watch: [{ dir: repoDir(AUTH_REPO, 'auth-registry'), name: authImg.name }] },
    );
  });

  // --- ones a user hits that the list forgets ---

  it('sign, sbom and provenance all false', async () => {
    await expectRejected({ images: img.ref, sign: 'false', sbom: 'false', provenance: 'false' }, /nothing to do.*enable at least one/);
  });

  it('a `digest` input with several images', async () => {
    await expectRejected({ images: `${img.name}\n${img.name}-two`, digest: img.digest }, /digest: .*exactly one image/);
  });

  it('a tag+digest mismatch between `images` and `digest`', async () => {
    await expectRejected({ images: `${img.name}@sha256:${'b'.repeat(64)}`, digest: img.digest }, /digest: .*differs from the digest in images/);
  });

  it('an `sbom` path that does not exist', async () => {
    await expectRejected({ images: img.ref, sbom: join(tmp, 'missing.cdx.json') }, /sbom: file .*missing\.cdx\.json.* does not exist/);
  });

  it('an SBOM file that is a JSON array', async () => {
    const path = join(tmp, 'array.json');
    writeFileSync(path, '[]');
    await expectRejected({ images: img.ref, sbom: path }, /sbom.*CycloneDX.*SPDX/);
  });

  it('an image digest with the right form that does not exist', async () => {
    await expectRejected({ images: `${img.name}@sha256:${'c'.repeat(64)}` }, /not found.*push the image/);
  });

  it('an uppercase repository name', async () => {
    await expectRejected({ images: `${stack.registry}/Octo-Org/App:latest` }, /images: .*lowercase/);
  });

  it('a `retry-budget` that is not a number', async () => {
    await expectRejected({ images: img.ref, 'retry-budget': 'two minutes' }, /retry-budget: .*not a number of seconds/);
  });

  it('a boolean input that is not true/false', async () => {
    await expectRejected({ images: img.ref, provenance: 'yes' }, /provenance: "yes" is not true or false/);
  });

  it('a `rekor-url` that is not a URL', async () => {
    await expectRejected({ images: img.ref, 'rekor-url': 'rekor.sigstore.dev' }, /rekor-url: "rekor\.sigstore\.dev" is not an http\(s\) URL/);
  });

  it('a `trusted-root` that is not JSON', async () => {
    const path = join(tmp, 'root.txt');
    writeFileSync(path, 'not a root');
    await expectRejected({ images: img.ref, 'trusted-root': path }, /trusted-root: .*trusted_root\.json/);
  });

  it('a `trusted-root` that is JSON but not a trusted root', async () => {
    const path = join(tmp, 'root.json');
    writeFileSync(path, JSON.stringify({ hello: 'world' }));
    await expectRejected({ images: img.ref, 'trusted-root': path }, /trusted-root: .*root\.json.*(not a Sigstore trusted root|certificate authority|transparency log)/);
  });

  it('an expired `identity-token`', async () => {
    const token = fakeJWT({ iss: ISSUER, sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sigstore', exp: 1_600_000_000 });
    await expectRejected({ images: img.ref, 'identity-token': token }, /identity-token .*expired/, { secrets: [token] });
  });

  it('a well-formed but forged `identity-token` that Fulcio rejects', async () => {
    const token = fakeJWT({ iss: ISSUER, sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sigstore', exp: Math.floor(Date.now() / 1000) + 600 });
    await expectRejected({ images: img.ref, provenance: 'false', 'identity-token': token }, /Fulcio at .* refused.*401.*oidc-audience/, { secrets: [token] });
  });

  it('an `identity-token` from another CI with provenance on (no GitHub claims)', async () => {
    const token = fakeJWT({ iss: 'https://gitlab.example.com', sub: 'project_path:group/app', aud: 'sigstore', exp: Math.floor(Date.now() / 1000) + 600 });
    await expectRejected({ images: img.ref, 'identity-token': token }, /provenance: .*GitHub Actions claims.*provenance: false/, { secrets: [token] });
  });

  it('the wrong `oidc-audience`', async () => {
    await expectRejected({ images: img.ref, 'oidc-audience': 'not-sigstore' }, /Fulcio at .* refused.*oidc-audience/);
  });

  it('the OIDC token endpoint failing', async () => {
    await lib.failService(stack, 'token', { status: 500 });
    try {
      await expectRejected({ images: img.ref }, /OIDC token.*permissions: id-token: write/);
    } finally {
      await lib.clearFailures(stack);
    }
  });

  it('no credentials for a registry that needs them', async () => {
    await expectRejected({ images: authImg.ref }, /refused access \(401.*log in first/, {
      watch: [{ dir: repoDir(AUTH_REPO, 'auth-registry'), name: authImg.name }],
    });
  });

  it('an unreachable registry', async () => {
    const port = await closedPort();
    await expectRejected(
      { images: `127.0.0.1:${port}/octo-org/app@${img.digest}`, 'retry-budget': '2' },
      new RegExp(`registry at http://127\\.0\\.0\\.1:${port} .*ECONNREFUSED`),
    );
  });

  it('a registry that allows pull but refuses push (403, read-only token)', async () => {
    // A tiny proxy that forwards reads to the registry and answers 403 DENIED
    // to every write, like a registry token scoped to pull only.
    const http = await import('node:http');
    const server = http.createServer(async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }));
        return;
      }
      const up = await fetch(`${stack.registryURL}${req.url}`, { method: req.method, headers: { accept: String(req.headers['accept'] ?? '*/*') } });
      const headers: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) headers[k] = v;
      });
      const body = Buffer.from(await up.arrayBuffer());
      res.writeHead(up.status, { ...headers, 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expectRejected({ images: `127.0.0.1:${port}/${REPO}@${img.digest}` }, /refuses pushes \(403.*nothing was signed.*permissions: packages: write/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
