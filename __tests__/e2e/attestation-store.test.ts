import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fallbackReferrers, getManifest, tagFor } from '../../test/harness/checks.js';
import { exec, makeToolHome, toolPath, type ToolRun } from '../../test/harness/consumers.js';
import { errorLines, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';
import { startGitHubApi, type GitHubApi } from '../../test/stack/github-api.mjs';

// GitHub's attestation store, end to end: the bundled action uploads its
// DSSE bundles to the stand-in (test/stack/github-api.mjs), which refuses
// any request not shaped as GitHub documents it, and the REAL gh then
// verifies the image from that store, without --bundle-from-oci. gh is
// pointed at the stand-in as at its `github.localhost` development host:
// GH_HOST=github.localhost makes it call http://api.github.localhost/…, and
// HTTP_PROXY delivers those requests to the stand-in (the registry, on a
// loopback address, is never proxied).

const REPO = 'octo-org/octo-repo';
const WRITER = 'ghs_storeWriterToken0123456789abcdef';
const READER = 'ghs_storeReaderToken0123456789abcdef';
const CDX = 'https://cyclonedx.org/bom';
const SLSA = 'https://slsa.dev/provenance/v1';
const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';

let stack: Stack;
let lib: Awaited<ReturnType<typeof stackLib>>;
let api: GitHubApi;
let jsonl: string;

beforeAll(async () => {
  expect(process.version.startsWith('v24.')).toBe(true);
  lib = await stackLib();
  const dir = mkdtempSync(join(tmpdir(), 'store-e2e-'));
  stack = await lib.startStack({ stateDir: dir });
  api = await startGitHubApi({
    repos: { [REPO]: {}, 'octo-user/private-repo': { userPrivate: true } },
    tokens: { [WRITER]: { attestations: 'write' }, [READER]: { attestations: 'read' } },
  });
  jsonl = join(dir, 'trusted_root.jsonl');
  writeFileSync(jsonl, JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

function run(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<ActionRun> {
  return runAction({ inputs: { ...stackInputs(stack), ...inputs }, env: { ...stack.env, GITHUB_API_URL: api.url, ...env } });
}

const warnings = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::warning'));
const rows = (r: ActionRun) => JSON.parse(r.outputs['results'] ?? '[]') as Record<string, any>[];
// What the runner shows: it consumes ::add-mask:: lines and hides those values.
const unmasked = (r: ActionRun) =>
  (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const posts = (from: number) => api.requests.slice(from).filter((q) => q.method === 'POST');

function gh(img: PushedImage, extra: string[] = [], token = READER): Promise<ToolRun> {
  const home = makeToolHome();
  return exec(toolPath('gh'), ['attestation', 'verify', `oci://${img.ref}`, '--repo', REPO, '--custom-trusted-root', jsonl, ...extra], {
    ...home.env,
    GH_HOST: 'github.localhost',
    GH_TOKEN: token,
    HTTP_PROXY: api.url,
    http_proxy: api.url,
  });
}

describe('with attestations: write', () => {
  let img: PushedImage;
  let r: ActionRun;
  let before: number;

  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/store-app');
    before = api.requests.length;
    r = await run({ images: img.ref, 'github-token': WRITER });
  });

  it('signs, attaches and uploads every DSSE bundle once, shaped as GitHub documents it', () => {
    expect(errorLines(r)).toEqual([]);
    expect(warnings(r)).toEqual([]);
    expect(r.code).toBe(0);
    const sent = posts(before);
    // The signature referrer, the SBOM and the provenance: not the classic message signature.
    expect(sent.map((q) => [q.path, q.status])).toEqual(Array(3).fill([`/repos/${REPO}/attestations`, 201]));
    for (const q of sent) {
      expect(q.headers['authorization']).toBe(`token ${WRITER}`);
      expect(q.headers['accept']).toBe('application/vnd.github+json');
      expect(q.headers['x-github-api-version']).toBe('2022-11-28');
      expect(Object.keys(q.body as object)).toEqual(['bundle']);
    }
    const types = sent.map((q) => JSON.parse(Buffer.from((q.body as any).bundle.dsseEnvelope.payload, 'base64').toString()).predicateType);
    expect(types.sort()).toEqual([SLSA, CDX, COSIGN_SIGN].sort());
  });

  it('puts each id and page on its results row; the bundle stored is the bundle file', () => {
    const row = rows(r)[0]!;
    expect(row['signature']['attestationId']).toBeUndefined();
    for (const kind of ['signatureReferrer', 'sbom', 'provenance']) {
      const a = row[kind];
      const stored = api.stored.find((s) => s.id === a.attestationId);
      expect(stored).toBeDefined();
      expect(a.attestationUrl).toBe(`https://github.com/${REPO}/attestations/${a.attestationId}`);
      expect(stored?.bundle).toEqual(JSON.parse(readFileSync(a.bundle, 'utf8')));
      expect(stored?.digests).toEqual([img.digest]);
    }
  });

  it('says so in the log and the summary, with links to the attestations page', () => {
    expect(r.stdout).toMatch(new RegExp(`GitHub attestation store: stored 3 of 3 bundle\\(s\\) in ${REPO}: https://github.com/${REPO}/attestations/\\d+`));
    expect(r.summary).toContain(`**GitHub attestation store:** 3 bundles of 3 stored in [octo-org/octo-repo’s attestations](https://github.com/${REPO}/attestations)`);
    const id = rows(r)[0]!['provenance']['attestationId'];
    expect(r.summary).toContain(`[attestation ${id}](https://github.com/${REPO}/attestations/${id})`);
  });

  it('never prints the token', () => {
    expect(unmasked(r)).not.toContain(WRITER);
    expect(r.stdout).toContain(`::add-mask::${WRITER}`);
  });

  it('real gh verifies the image from the store (provenance and the CycloneDX SBOM), not from the registry', async () => {
    const from = api.requests.length;
    // --format json: gh prints each verified attestation's statement and certificate.
    const verified = async (extra: string[]) => {
      const res = await gh(img, ['--format', 'json', ...extra]);
      expect({ code: res.code, out: res.code === 0 ? '' : res.out }).toEqual({ code: 0, out: '' });
      return JSON.parse(res.out) as {
        verificationResult: { statement: { predicateType: string; subject: { digest: { sha256: string } }[] }; signature: { certificate: Record<string, string> } };
      }[];
    };
    const provenance = await verified([]);
    const sbom = await verified(['--predicate-type', CDX]);
    for (const [results, type] of [
      [provenance, SLSA],
      [sbom, CDX],
    ] as const) {
      expect(results).toHaveLength(1);
      const v = results[0]!.verificationResult;
      expect(v.statement.predicateType).toBe(type);
      expect(v.statement.subject.map((x) => `sha256:${x.digest.sha256}`)).toEqual([img.digest]);
      expect(v.signature.certificate['sourceRepositoryURI']).toBe(`https://github.com/${REPO}`);
    }
    const reads = api.requests.slice(from).map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`);
    expect(reads).toContain(`GET /repos/${REPO}/attestations/${img.digest}`);
    expect(reads.some((p) => /^GET \/_bundles\/\d+$/.test(p))).toBe(true);
  });

  it('real gh still refuses what does not verify: a type not stored, another issuer, a tampered stored bundle', async () => {
    const absent = await gh(img, ['--predicate-type', 'https://openvex.dev/ns']);
    expect(absent.code).not.toBe(0);
    expect(absent.out).toContain('no attestations found');
    const issuer = await gh(img, ['--cert-oidc-issuer', 'https://issuer.example']);
    expect(issuer.code).not.toBe(0);
    expect(issuer.out).toContain('expected Issuer to be https://issuer.example, got https://token.actions.githubusercontent.com');
    // Flip the provenance signature in the store: gh must check what it fetched.
    const stored = api.stored.find((x) => x.predicateType === SLSA && x.digests.includes(img.digest))!;
    const original = JSON.stringify(stored.bundle);
    const sigs = (stored.bundle as any).dsseEnvelope.signatures;
    const raw = Buffer.from(sigs[0].sig, 'base64');
    raw[raw.length - 1]! ^= 1;
    sigs[0].sig = raw.toString('base64');
    try {
      const tampered = await gh(img);
      expect(tampered.code).not.toBe(0);
      expect(tampered.out).toContain('verifying with issuer');
    } finally {
      stored.bundle = JSON.parse(original);
    }
    expect((await gh(img)).code).toBe(0);
  });
});

describe('without the permission or the store', () => {
  let img: PushedImage;
  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/store-denied');
  });

  it('a 403 (auto) is one warning naming permissions: attestations: write; everything is still attached', async () => {
    const from = api.requests.length;
    const r = await run({ images: img.ref, sbom: 'false', 'github-token': READER });
    expect(r.code).toBe(0);
    expect(errorLines(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /^::warning::GitHub attestation store: the upload of the signature bundle of .* failed: HTTP 403 Resource not accessible by integration\. .*`permissions: attestations: write`.*attestation-store: false/,
      ),
    ]);
    expect(posts(from)).toHaveLength(1); // the rest would get the same answer
    expect(unmasked(r)).not.toContain(READER);
    const row = rows(r)[0]!;
    expect(row['provenance']['attestationId']).toBeUndefined();
    expect(await getManifest(img.name, tagFor(img.digest, '.sig'))).toBeDefined();
    expect(await getManifest(img.name, tagFor(img.digest, '.att'))).toBeDefined();
    expect((await fallbackReferrers(img.name, img.digest)).length + (row['provenance']['referrer'] ? 0 : 1)).toBeGreaterThanOrEqual(2);
    expect(r.summary).toMatch(/\*\*GitHub attestation store:\*\* Nothing stored in .* ⚠️ GitHub attestation store: the upload/);
  });

  it('with attestation-store: true a 403 is still only a warning', async () => {
    const r = await run({ images: img.ref, sbom: 'false', 'github-token': READER, 'attestation-store': 'true' });
    expect(r.code).toBe(0);
    expect(warnings(r)).toEqual([expect.stringMatching(/HTTP 403 .*`permissions: attestations: write`/)]);
    expect(warnings(r)[0]).not.toContain('attestation-store: false');
  });

  it('an unknown repository (404) names the fix; a user-owned private repository names Enterprise Cloud', async () => {
    const missing = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER }, { GITHUB_REPOSITORY: 'octo-org/gone' });
    expect(missing.code).toBe(0);
    expect(warnings(missing)).toEqual([expect.stringMatching(/HTTP 404 Not Found\. The token cannot see octo-org\/gone/)]);
    const priv = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER, 'attestation-store': 'true' }, { GITHUB_REPOSITORY: 'octo-user/private-repo' });
    expect(priv.code).toBe(0);
    expect(warnings(priv)).toEqual([expect.stringMatching(/user-owned private repositories.*Enterprise Cloud: make octo-user\/private-repo public/)]);
  });

  it('a spent rate limit names its reset time; GitHub Enterprise Server (true) names its lack of a store', async () => {
    api.fail(403, {
      method: 'POST',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1893456000' },
      body: { message: 'API rate limit exceeded for installation ID 42.' },
    });
    const limited = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER });
    expect(limited.code).toBe(0);
    expect(warnings(limited)).toEqual([
      expect.stringMatching(
        /HTTP 403 API rate limit exceeded for installation ID 42\. GitHub's API rate limit for this token is spent \(it resets at 2030-01-01T00:00:00Z\): re-run the job after the reset/,
      ),
    ]);
    const ghes = await run(
      { images: img.ref, sbom: 'false', 'github-token': WRITER, 'attestation-store': 'true' },
      { GITHUB_SERVER_URL: 'https://ghes.corp.example', GITHUB_REPOSITORY: 'octo-org/not-on-ghes' },
    );
    expect(ghes.code).toBe(0);
    expect(warnings(ghes)).toEqual([
      expect.stringMatching(
        /HTTP 404 Not Found\. The server https:\/\/ghes\.corp\.example looks like GitHub Enterprise Server, which has no attestation store: set attestation-store: false there/,
      ),
    ]);
  });

  it("a 500 is retried through the run's one retry path; 500s past the retry budget are a warning", async () => {
    api.fail(500, { method: 'POST', times: 1 });
    const once = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER });
    expect(once.code).toBe(0);
    expect(warnings(once)).toEqual([]);
    expect(once.stdout).toMatch(/The GitHub API: HTTP 500 on POST \/repos\/octo-org\/octo-repo\/attestations.*retry/i);
    expect(rows(once)[0]!['provenance']['attestationId']).toBeGreaterThan(0);

    api.fail(502, { method: 'POST', times: 1000 });
    const down = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER, 'retry-budget': '2' });
    api.clearFaults();
    expect(down.code).toBe(0);
    expect(errorLines(down)).toEqual([]);
    expect(warnings(down)).toEqual([
      expect.stringMatching(/The GitHub API at http:\/\/127\.0\.0\.1:\d+ failed: HTTP 502 on POST \/repos\/octo-org\/octo-repo\/attestations after \d+ attempt\(s\)/),
    ]);
    expect(await getManifest(img.name, tagFor(img.digest, '.sig'))).toBeDefined();
  });

  it('false sends nothing; auto on GitHub Enterprise Server sends nothing and says why', async () => {
    const from = api.requests.length;
    const off = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER, 'attestation-store': 'false' });
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('GitHub attestation store');
    expect(off.summary).not.toContain('attestation store');
    const ghes = await run({ images: img.ref, sbom: 'false', 'github-token': WRITER }, { GITHUB_SERVER_URL: 'https://ghes.corp.example' });
    expect(ghes.code).toBe(0);
    expect(warnings(ghes)).toEqual([]);
    expect(ghes.stdout).toContain('GitHub attestation store: not used: https://ghes.corp.example is GitHub Enterprise Server');
    expect(api.requests.length).toBe(from);
  });

  it('an attestation-store value that is not auto, true or false is an input error', async () => {
    const r = await run({ images: img.ref, 'attestation-store': 'yes' });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([expect.stringMatching(/attestation-store: "yes" is not one of auto, true, false/)]);
  });
});
