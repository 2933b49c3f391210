import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { readInputs } from '../../src/inputs.js';
import { selectServices, SIGNING_CONFIG_V02 } from '../../src/signing-config.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const svc = (url: string, majorApiVersion: number, start: string, end?: string, operator = 'sigstore.dev') => ({
  url,
  majorApiVersion,
  validFor: { start, ...(end ? { end } : {}) },
  operator,
});

// The shape of the public-good config: a v1 and a v2 log, an expired CA, a TSA.
const config = (over: Record<string, unknown> = {}) => ({
  mediaType: SIGNING_CONFIG_V02,
  caUrls: [svc('https://fulcio.example', 1, '2023-04-14T21:38:40Z'), svc('https://old-fulcio.example', 1, '2020-01-01T00:00:00Z', '2023-01-01T00:00:00Z')],
  oidcUrls: [],
  rekorTlogUrls: [svc('https://log2025-1.rekor.example', 2, '2025-09-23T00:00:00Z'), svc('https://rekor.example', 1, '2021-01-12T11:53:27Z')],
  rekorTlogConfig: { selector: 'ANY' },
  tsaUrls: [svc('https://timestamp.example/api/v1/timestamp', 1, '2025-07-04T00:00:00Z')],
  tsaConfig: { selector: 'ANY' },
  ...over,
});

describe('selectServices', () => {
  it('takes the highest API version we speak, within its validity window', () => {
    expect(selectServices(config(), NOW, 'c')).toEqual({
      fulcioURL: 'https://fulcio.example',
      rekorURL: 'https://log2025-1.rekor.example',
      rekorVersion: 2,
      tsaURL: 'https://timestamp.example/api/v1/timestamp',
    });
  });

  it('falls back to v1 before the v2 log starts, and skips API versions it does not speak', () => {
    const early = new Date('2025-01-01T00:00:00Z');
    expect(selectServices(config(), early, 'c').rekorURL).toBe('https://rekor.example');
    const v3 = config({ rekorTlogUrls: [svc('https://v3.example', 3, '2020-01-01T00:00:00Z'), svc('https://rekor.example', 1, '2021-01-01T00:00:00Z')] });
    expect(selectServices(v3, NOW, 'c')).toMatchObject({ rekorURL: 'https://rekor.example', rekorVersion: 1 });
  });

  it('treats both ends of a validity window as inclusive and prefers the newest start', () => {
    const edge = config({ caUrls: [svc('https://a.example', 1, '2020-01-01T00:00:00Z', NOW.toISOString()), svc('https://b.example', 1, NOW.toISOString())] });
    expect(selectServices(edge, NOW, 'c').fulcioURL).toBe('https://b.example');
    const after = new Date(NOW.getTime() + 1);
    const onlyA = config({ caUrls: [svc('https://a.example', 1, '2020-01-01T00:00:00Z', NOW.toISOString())] });
    expect(selectServices(onlyA, NOW, 'c').fulcioURL).toBe('https://a.example');
    expect(selectServices(onlyA, after, 'c').fulcioURL).toBeUndefined();
  });

  it('refuses a config that needs more logs than the one this action writes to, or more than it lists', () => {
    const two = [
      svc('https://r1.example', 1, '2021-01-01T00:00:00Z', undefined, 'one.example'),
      svc('https://r2.example', 1, '2021-01-01T00:00:00Z', undefined, 'two.example'),
    ];
    expect(() => selectServices(config({ rekorTlogUrls: two, rekorTlogConfig: { selector: 'ALL' } }), NOW, 'c')).toThrow(/asks for 2 services \(selector ALL\)/);
    expect(() => selectServices(config({ rekorTlogUrls: two.slice(0, 1), rekorTlogConfig: { selector: 'EXACT', count: 2 } }), NOW, 'c')).toThrow(
      /exactly 2 services, but only 1/,
    );
    expect(selectServices(config({ rekorTlogUrls: two, rekorTlogConfig: { selector: 'EXACT', count: 1 } }), NOW, 'c').rekorURL).toBe('https://r1.example');
  });

  it('refuses another media type', () => {
    expect(() => selectServices(config({ mediaType: 'application/json' }), NOW, 'c')).toThrow(ActionError);
  });
});

describe('readInputs with signing-config', () => {
  const file = (json: unknown) => {
    const p = join(mkdtempSync(join(tmpdir(), 'sc-')), 'signing_config.v0.2.json');
    writeFileSync(p, JSON.stringify(json));
    return p;
  };
  const read = (values: Record<string, string>) => readInputs((n) => ({ images: `ghcr.io/o/app@sha256:${'1'.repeat(64)}`, ...values })[n] ?? '');
  const v1Only = () => config({ rekorTlogUrls: [svc('https://rekor.example', 1, '2021-01-12T11:53:27Z')] });

  it('takes Fulcio, Rekor and the TSA from the config, so every signature is timestamped', () => {
    const i = read({ 'signing-config': file(v1Only()) });
    expect(i).toMatchObject({
      fulcioURL: 'https://fulcio.example',
      rekorURL: 'https://rekor.example',
      rekorVersion: 1,
      tsaURL: 'https://timestamp.example/api/v1/timestamp',
    });
  });

  it('lets the URL inputs override it; a rekor-url input is a v1 log unless rekor-version says 2', () => {
    const i = read({ 'signing-config': file(config()), 'rekor-url': 'https://my-rekor.example', 'fulcio-url': 'https://my-fulcio.example' });
    expect(i).toMatchObject({ fulcioURL: 'https://my-fulcio.example', rekorURL: 'https://my-rekor.example', rekorVersion: 1, attach: 'both' });
    const v2 = read({ 'signing-config': file(config()) });
    expect(v2).toMatchObject({ rekorURL: 'https://log2025-1.rekor.example', rekorVersion: 2, attach: 'referrers' });
  });

  it('names the input when the file is not JSON', () => {
    const p = file('x');
    writeFileSync(p, 'not json');
    expect(() => read({ 'signing-config': p })).toThrow(/signing-config: .* is not a readable JSON file/);
  });
});
