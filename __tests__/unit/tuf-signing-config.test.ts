import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { readActionInputs, readInputsWithServices } from '../../src/inputs.js';
import { fetchSigningConfig, SIGNING_CONFIG_V02 } from '../../src/signing-config.js';
import { loadTrustMaterial } from '../../src/verify.js';
import { buildTufRepo } from '../../test/stack/tuf.mjs';

// The signing config from a TUF repository (as the public-good one is read),
// served here by a signed repository on 127.0.0.1, and the embedded
// public-good copy when the repository cannot be reached.

const dir = mkdtempSync(join(tmpdir(), 'tuf-config-'));
process.env['RUNNER_TEMP'] = dir;
const svc = (url: string) => ({ url, majorApiVersion: 1, validFor: { start: '2024-01-01T00:00:00Z' }, operator: 'example' });
const CONFIG = {
  mediaType: SIGNING_CONFIG_V02,
  caUrls: [svc('https://fulcio.example')],
  rekorTlogUrls: [svc('https://rekor.example')],
  rekorTlogConfig: { selector: 'ANY' },
  tsaUrls: [svc('https://tsa.example/api/v1/timestamp')],
  tsaConfig: { selector: 'ANY' },
};
const EMBEDDED = {
  fulcioURL: 'https://fulcio.sigstore.dev',
  rekorURL: 'https://rekor.sigstore.dev',
  rekorVersion: 1,
  tsaURL: 'https://timestamp.sigstore.dev/api/v1/timestamp',
};

let server: Server;
let mirror: string;
let deadMirror: string;
const rootPath = join(dir, 'root.json');
const requests: string[] = [];

beforeAll(async () => {
  // A real (public-good) trusted root as the second target: loadTrustMaterial parses it.
  const seeds = (await import('@sigstore/tuf/seeds.json', { with: { type: 'json' } })).default as Record<string, { targets: Record<string, string> }>;
  const trustedRoot = Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']!.targets['trusted_root.json']!, 'base64');
  const files = buildTufRepo({ 'signing_config.v0.2.json': Buffer.from(JSON.stringify(CONFIG)), 'trusted_root.json': trustedRoot });
  writeFileSync(rootPath, files.get('root.json')!);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = files.get((req.url ?? '').replace(/^\/tuf\//, ''));
    res.writeHead(file ? 200 : 404).end(file ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tuf`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadMirror = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/tuf`;
  await new Promise((r) => probe.close(r));
});

afterAll(() => new Promise((r) => server.close(r)));

describe('fetchSigningConfig', () => {
  it('reads signing_config.v0.2.json from the repository and selects its services; the trusted root shares the refreshed metadata', async () => {
    const warnings: string[] = [];
    expect(await fetchSigningConfig({ mirrorURL: mirror, rootPath }, (m) => warnings.push(m))).toEqual({
      fulcioURL: 'https://fulcio.example',
      rekorURL: 'https://rekor.example',
      rekorVersion: 1,
      tsaURL: 'https://tsa.example/api/v1/timestamp',
    });
    const trust = await loadTrustMaterial(undefined, (m) => warnings.push(m), { mirrorURL: mirror, rootPath });
    expect(trust.tlogs.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    // One metadata refresh for both targets.
    expect(requests.filter((r) => r.endsWith('timestamp.json'))).toHaveLength(1);
    expect(requests.filter((r) => r.includes('/targets/')).sort()).toEqual(['/tuf/targets/signing_config.v0.2.json', '/tuf/targets/trusted_root.json']);
  });

  it('falls back to the embedded public-good config with one warning when the repository cannot be reached', async () => {
    const warnings: string[] = [];
    expect(await fetchSigningConfig({ mirrorURL: deadMirror, rootPath }, (m) => warnings.push(m))).toEqual(EMBEDDED);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Using the public-good signing config embedded in the action: the TUF repository could not be reached \(.+\)$/);
  });

  it('without a fallback (a private repository), an unreachable repository is an INPUT error naming the fix', async () => {
    const err = await fetchSigningConfig({ mirrorURL: deadMirror, rootPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).message).toMatch(
      /^tuf-mirror-url: cannot read signing_config\.v0\.2\.json from http:\/\/127\.0\.0\.1:\d+\/tuf \(.+\); fix the mirror or tuf-root, or pass signing-config or fulcio-url and rekor-url$/,
    );
  });
});

describe('readInputsWithServices', () => {
  const get = (values: Record<string, string>) => (name: string) => ({ images: `ghcr.io/o/app@sha256:${'a'.repeat(64)}`, ...values })[name] ?? '';

  it('takes the services of the tuf-mirror-url repository when no service is named, and timestamps (its TSA)', async () => {
    const inputs = await readInputsWithServices(get({ 'tuf-mirror-url': mirror, 'tuf-root': rootPath }), () => {
      throw new Error('no warning expected');
    });
    expect(inputs).toMatchObject({
      fulcioURL: 'https://fulcio.example',
      rekorURL: 'https://rekor.example',
      rekorVersion: 1,
      tsaURL: 'https://tsa.example/api/v1/timestamp',
    });
    expect(inputs.servicesFrom).toBe(`the signing config of ${mirror}`);
  });

  it('lets tsa-url override the TUF config', async () => {
    const inputs = await readInputsWithServices(get({ 'tuf-mirror-url': mirror, 'tuf-root': rootPath, 'tsa-url': 'https://my-tsa.example' }));
    expect(inputs).toMatchObject({ fulcioURL: 'https://fulcio.example', tsaURL: 'https://my-tsa.example' });
  });

  it('asks no TUF repository when fulcio-url or rekor-url names the instance (no public TSA for a private Fulcio/Rekor)', async () => {
    const inputs = await readInputsWithServices(
      get({ 'tuf-mirror-url': deadMirror, 'tuf-root': rootPath, 'fulcio-url': 'https://fulcio.private', 'rekor-url': 'https://rekor.private' }),
    );
    expect(inputs).toMatchObject({ fulcioURL: 'https://fulcio.private', rekorURL: 'https://rekor.private', tsaURL: undefined });
    expect(inputs.servicesFrom).toBeUndefined();
  });

  it('refuses tuf-mirror-url without tuf-root, and an input error comes before any request', async () => {
    await expect(readInputsWithServices(get({ 'tuf-mirror-url': mirror }))).rejects.toThrow(/tuf-mirror-url and tuf-root go together/);
    // Had the (unreachable, private) repository been asked first, its error would come instead.
    await expect(readInputsWithServices(get({ 'tuf-mirror-url': deadMirror, 'tuf-root': rootPath, attach: 'sometimes' }))).rejects.toThrow(/^attach: "sometimes"/);
  });
});

describe('readActionInputs (the action entry)', () => {
  const get = (values: Record<string, string>) => (name: string) => ({ images: `ghcr.io/o/app@sha256:${'a'.repeat(64)}`, ...values })[name] ?? '';

  it('asks nothing yet: the embedded public-good services stand in, and the TUF config is read when signing starts', async () => {
    const before = requests.length;
    const inputs = readActionInputs(get({ 'tuf-mirror-url': mirror, 'tuf-root': rootPath }));
    expect(requests.length).toBe(before);
    expect(inputs).toMatchObject({ fulcioURL: EMBEDDED.fulcioURL, tsaURL: EMBEDDED.tsaURL });
    expect(await inputs.servicesFromTuf?.()).toMatchObject({ fulcioURL: 'https://fulcio.example', tsaURL: 'https://tsa.example/api/v1/timestamp' });
  });

  it('leaves runs that name their services by URL alone (no TSA unless tsa-url)', () => {
    const inputs = readActionInputs(get({ 'fulcio-url': 'https://fulcio.private', 'rekor-url': 'https://rekor.private' }));
    expect(inputs.servicesFromTuf).toBeUndefined();
    expect(inputs.tsaURL).toBeUndefined();
  });
});
