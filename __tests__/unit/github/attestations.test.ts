import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Http } from '../../../src/http.js';
import {
  API_VERSION,
  attestationUrl,
  createdId,
  isHostedGitHub,
  planStore,
  storeWarning,
  toFailure,
  uploadToStore,
  type StoreTarget,
} from '../../../src/github/attestations.js';
import { bundleProblem, snappyLiteral, startGitHubApi, type GitHubApi } from '../../../test/stack/github-api.mjs';
import { sbomBundle, storeBundle } from '../helpers/store-bundle.js';

const ENV = { GITHUB_ACTIONS: 'true', GITHUB_API_URL: 'https://api.github.com', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo-org/octo-repo' };
const TARGET: StoreTarget = { apiUrl: 'https://api.github.com', serverUrl: 'https://github.com', owner: 'octo-org', repo: 'octo-repo' };

const bundle = storeBundle;

describe('planStore', () => {
  it('auto uploads on GitHub.com with a token and a repository', () => {
    expect(planStore('auto', ENV, 'tok')).toEqual({ upload: true, target: TARGET });
  });
  it('auto takes a GHE.com tenant and its API URL', () => {
    const plan = planStore('auto', { ...ENV, GITHUB_SERVER_URL: 'https://acme.ghe.com', GITHUB_API_URL: 'https://api.acme.ghe.com/' }, 'tok');
    expect(plan).toEqual({ upload: true, target: { ...TARGET, serverUrl: 'https://acme.ghe.com', apiUrl: 'https://api.acme.ghe.com' } });
  });
  it('auto skips GitHub Enterprise Server, a user-owned private repository, no token, no runner', () => {
    expect(planStore('auto', { ...ENV, GITHUB_SERVER_URL: 'https://ghes.corp.example' }, 'tok')).toMatchObject({
      upload: false,
      reason: expect.stringMatching(/Enterprise Server/),
    });
    expect(planStore('auto', ENV, 'tok', { private: true, ownerType: 'User' })).toMatchObject({ upload: false, reason: expect.stringMatching(/user-owned private/) });
    expect(planStore('auto', ENV, 'tok', { private: true, ownerType: 'Organization' })).toMatchObject({ upload: true });
    expect(planStore('auto', ENV, '')).toMatchObject({ upload: false, reason: 'github-token is empty' });
    expect(planStore('auto', { ...ENV, GITHUB_ACTIONS: undefined }, 'tok')).toMatchObject({ upload: false });
  });
  it('true tries even where auto would not; false never uploads', () => {
    expect(planStore('true', { ...ENV, GITHUB_SERVER_URL: 'https://ghes.corp.example', GITHUB_API_URL: '' }, 'tok')).toEqual({
      upload: true,
      target: { ...TARGET, serverUrl: 'https://ghes.corp.example', apiUrl: 'https://ghes.corp.example/api/v3' },
    });
    expect(planStore('false', ENV, 'tok')).toEqual({ upload: false, reason: 'attestation-store is false' });
    expect(planStore('true', { ...ENV, GITHUB_REPOSITORY: 'nope' }, 'tok')).toMatchObject({ upload: false });
  });
  it('knows hosted GitHub from Enterprise Server', () => {
    expect(isHostedGitHub('https://github.com')).toBe(true);
    expect(isHostedGitHub('https://octo.ghe.com')).toBe(true);
    expect(isHostedGitHub('https://github.example.com')).toBe(false);
    expect(isHostedGitHub('not a url')).toBe(false);
  });
});

describe('storeWarning', () => {
  const ctx = { mode: 'auto' as const, target: TARGET, item: 'provenance of reg/app@sha256:ab', stored: 0, total: 3 };
  it('403: names the permission, and with auto how to turn the store off', () => {
    const w = storeWarning({ status: 403, message: 'Resource not accessible by integration' }, ctx);
    expect(w).toMatch(/HTTP 403 Resource not accessible by integration/);
    expect(w).toContain('`permissions: attestations: write`');
    expect(w).toContain('attestation-store: false');
    expect(w).toContain('--bundle-from-oci');
    expect(storeWarning({ status: 403, message: 'x' }, { ...ctx, mode: 'true' })).not.toContain('attestation-store: false');
  });
  it('rate limits name the reset time', () => {
    const w = storeWarning(
      { status: 403, message: 'API rate limit exceeded for installation ID 1.', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' } },
      ctx,
    );
    expect(w).toMatch(/rate limit .* resets at 2023-11-14T22:13:20Z/);
    expect(storeWarning({ status: 429, message: 'slow down' }, ctx)).toMatch(/rate limit/);
    expect(storeWarning({ status: 403, message: 'API rate limit exceeded.', headers: { 'x-ratelimit-remaining': '0' } }, ctx)).toContain(
      'HTTP 403 API rate limit exceeded. GitHub',
    );
  });
  it('user-owned private repositories, 404 on GitHub.com and on Enterprise Server, 401, 422, no answer', () => {
    expect(storeWarning({ status: 422, message: 'Feature not available for user-owned private repositories.' }, ctx)).toMatch(
      /Enterprise Cloud: make octo-org\/octo-repo public/,
    );
    expect(storeWarning({ status: 404, message: 'Not Found' }, ctx)).toMatch(/cannot see octo-org\/octo-repo/);
    expect(storeWarning({ status: 404, message: 'Not Found' }, { ...ctx, target: { ...TARGET, serverUrl: 'https://ghes.corp.example' } })).toMatch(
      /Enterprise Server.*attestation-store: false/,
    );
    expect(storeWarning({ status: 401, message: 'Bad credentials' }, ctx)).toMatch(/github-token/);
    expect(storeWarning({ status: 422, message: 'Validation Failed', details: ['Invalid Argument - values do not match'] }, ctx)).toMatch(
      /signed by a workflow of this repository/,
    );
    expect(storeWarning({ message: 'The GitHub API at https://api.github.com failed: HTTP 502' }, { ...ctx, stored: 1 })).toMatch(
      /stored 1 of 3 bundles in octo-org\/octo-repo, then .*re-run the job/,
    );
  });
});

describe('response parsing', () => {
  it('createdId takes {"id": N} as JSON or text', () => {
    expect(createdId({ id: 42 })).toBe(42);
    expect(createdId('{"id": 7}')).toBe(7);
    expect(createdId({ id: '42' })).toBeUndefined();
    expect(createdId('nope')).toBeUndefined();
    expect(createdId({ id: 0 })).toBeUndefined();
  });
  it('toFailure reads octokit errors', () => {
    const err = Object.assign(new Error('x'), { status: 422, response: { data: { message: 'Validation Failed', errors: [{ message: 'bad bundle' }] }, headers: {} } });
    expect(toFailure(err)).toEqual({ status: 422, message: 'Validation Failed', headers: {}, details: ['bad bundle'] });
    expect(toFailure(new Error('boom'))).toEqual({ message: 'boom' });
  });
  it('attestation URLs point at the repository page', () => {
    expect(attestationUrl(TARGET, 9)).toBe('https://github.com/octo-org/octo-repo/attestations/9');
  });
});

describe('the stand-in rejects what GitHub would', () => {
  it('bundle shape', () => {
    expect(bundleProblem({ bundle: bundle() })).toBeUndefined();
    expect(bundleProblem({})).toEqual({ message: expect.stringMatching(/bundle is required/) });
    expect(bundleProblem({ bundle: { ...bundle(), mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' } })?.message).toMatch(/v0\.3/);
    const { dsseEnvelope: _, ...noContent } = bundle();
    expect(bundleProblem({ bundle: noContent })?.message).toMatch(/Sigstore bundle|dsseEnvelope/);
    expect(bundleProblem({ bundle: { ...bundle(), dsseEnvelope: { ...bundle().dsseEnvelope, payloadType: 'text/plain' } } })?.message).toMatch(/payloadType/);
    expect(bundleProblem({ bundle: bundle('xyz') })?.message).toMatch(/sha256 digest/);
    const b = bundle();
    expect(bundleProblem({ bundle: { ...b, verificationMaterial: { certificate: b.verificationMaterial.certificate } } })?.message).toMatch(
      /Sigstore bundle|transparency log/,
    );
  });
  it('snappy literal blocks have the varint length and 64 KiB literals', () => {
    const data = Buffer.alloc(70_000, 7);
    const enc = snappyLiteral(data);
    expect([...enc.subarray(0, 3)]).toEqual([0xf0, 0xa2, 0x04]); // 70000 as a varint
    expect(enc[3]).toBe(61 << 2);
    expect(enc.length).toBe(3 + 3 + 65536 + 3 + (70_000 - 65536));
  });
});

describe('uploadToStore against the stand-in', () => {
  let api: GitHubApi;
  const http = () => new Http({ retryBudgetMs: 5_000 });
  beforeAll(async () => {
    api = await startGitHubApi({ repos: { 'octo-org/octo-repo': {} }, tokens: { ghs_writer: { attestations: 'write' }, ghs_reader: { attestations: 'read' } } });
  });
  afterAll(() => api.close());
  const target = (): StoreTarget => ({ ...TARGET, apiUrl: api.url });

  it('POSTs {bundle} with the token, the JSON media type and the pinned API version; answers carry ids', async () => {
    const items = [
      { key: 'a', label: 'provenance', bundle: bundle() },
      { key: 'b', label: 'sbom', bundle: bundle('cd'.repeat(32), 'https://cyclonedx.org/bom') },
    ];
    const before = api.requests.length;
    const out = await uploadToStore(items, { target: target(), token: 'ghs_writer', http: http(), mode: 'auto' });
    expect(out.warnings).toEqual([]);
    expect([...out.stored.values()].map((s) => s.url)).toEqual([...out.stored.values()].map((s) => `https://github.com/octo-org/octo-repo/attestations/${s.id}`));
    const sent = api.requests.slice(before);
    expect(sent.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/repos/octo-org/octo-repo/attestations', 201],
      ['POST', '/repos/octo-org/octo-repo/attestations', 201],
    ]);
    expect(sent[0]?.headers['authorization']).toBe('token ghs_writer');
    expect(sent[0]?.headers['accept']).toBe('application/vnd.github+json');
    expect(sent[0]?.headers['x-github-api-version']).toBe(API_VERSION);
    expect(sent[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(sent[0]?.body).toEqual({ bundle: items[0]?.bundle });
    expect(api.stored.slice(-2).map((s) => s.digests)).toEqual([[`sha256:${'ab'.repeat(32)}`], [`sha256:${'cd'.repeat(32)}`]]);
  });

  it('streams an SBOM-sized bundle with its Content-Length, sends it whole again after a 502, and the store gets it as built', async () => {
    const big = sbomBundle(20_000); // a payload of megabytes: many slices
    const text = JSON.stringify({ bundle: big });
    expect(big.dsseEnvelope.payload.length).toBeGreaterThan(1_000_000);
    api.fail(502, { times: 1, method: 'POST' });
    const h = http();
    const before = api.requests.length;
    const out = await uploadToStore([{ key: 'sbom', label: 'SBOM', bundle: big }], { target: target(), token: 'ghs_writer', http: h, mode: 'auto' });
    expect(out.warnings).toEqual([]);
    expect(h.retries.github).toBe(1);
    const sent = api.requests.slice(before);
    expect(sent.map((r) => [r.status, r.headers['content-length'], r.headers['transfer-encoding']])).toEqual([
      [502, String(Buffer.byteLength(text)), undefined],
      [201, String(Buffer.byteLength(text)), undefined],
    ]);
    expect(sent[1]?.headers['content-type']).toMatch(/^application\/json/);
    expect(sent[1]?.body).toEqual({ bundle: big });
    const stored = api.stored.find((s) => s.id === out.stored.get('sbom')?.id);
    expect(JSON.stringify({ bundle: stored?.bundle })).toBe(text);
  });

  it('a 403 stops after the first bundle with one warning naming the permission', async () => {
    const before = api.requests.length;
    const out = await uploadToStore(
      [1, 2, 3].map((i) => ({ key: `k${i}`, label: `bundle ${i}`, bundle: bundle() })),
      { target: target(), token: 'ghs_reader', http: http(), mode: 'auto' },
    );
    expect(api.requests.length - before).toBe(1);
    expect(out.stored.size).toBe(0);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/HTTP 403 Resource not accessible by integration.*permissions: attestations: write/);
    expect(out.warnings[0]).not.toContain('ghs_reader');
  });

  it('a 500 is retried through Http once, then stored; a 404 repository is a warning', async () => {
    api.fail(500, { times: 1, method: 'POST' });
    const h = http();
    const out = await uploadToStore([{ key: 'x', label: 'provenance', bundle: bundle() }], { target: target(), token: 'ghs_writer', http: h, mode: 'true' });
    expect(out.stored.get('x')?.id).toBeGreaterThan(0);
    expect(h.retries.github).toBe(1);
    const missing = await uploadToStore([{ key: 'y', label: 'provenance', bundle: bundle() }], {
      target: { ...target(), repo: 'gone' },
      token: 'ghs_writer',
      http: http(),
      mode: 'true',
    });
    expect(missing.warnings[0]).toMatch(/HTTP 404 Not Found.*cannot see octo-org\/gone/);
  });

  it('a refused bundle (422) is a warning and the next one still goes', async () => {
    const bad = { ...bundle(), dsseEnvelope: { ...bundle().dsseEnvelope, payloadType: 'text/plain' } };
    const out = await uploadToStore(
      [
        { key: 'bad', label: 'odd bundle', bundle: bad },
        { key: 'good', label: 'provenance', bundle: bundle() },
      ],
      { target: target(), token: 'ghs_writer', http: http(), mode: 'auto' },
    );
    expect(out.warnings).toEqual([expect.stringMatching(/odd bundle failed: HTTP 422 Validation Failed \(dsseEnvelope.payloadType/)]);
    expect([...out.stored.keys()]).toEqual(['good']);
  });

  it('a spent retry budget on 503s is one warning, not a throw', async () => {
    api.fail(503, { times: 50, method: 'POST' });
    const out = await uploadToStore([{ key: 'z', label: 'provenance', bundle: bundle() }], {
      target: target(),
      token: 'ghs_writer',
      http: new Http({ retryBudgetMs: 600 }),
      mode: 'auto',
    });
    expect(out.warnings[0]).toMatch(/The GitHub API at http:\/\/127\.0\.0\.1:\d+ failed: HTTP 503/);
  });
});
