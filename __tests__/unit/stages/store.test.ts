import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import type { ImageResult } from '../../../src/results.js';
import { renderSummary } from '../../../src/summary.js';
import { Http } from '../../../src/http.js';
import {
  prepareStore,
  repositoryFacts,
  runStoreStep,
  storeItems,
  storeLog,
  storeSummary,
  withStoredIds,
  type StoreStep,
  type VerifiedBundle,
} from '../../../src/stages/store.js';
import { startGitHubApi, type GitHubApi } from '../../../test/stack/github-api.mjs';
import { sbomBundle, storeBundle } from '../helpers/store-bundle.js';
import { multiPlatform, runContext } from '../helpers/summary-fixture.js';

const TARGET = { apiUrl: 'https://api.github.com', serverUrl: 'https://github.com', owner: 'octo-org', repo: 'octo-app' };

function verified(kind: VerifiedBundle['kind'], uuid: string, dsse = true): VerifiedBundle {
  return { kind, image: 'ghcr.io/o/app@sha256:ab', uuid, bundle: { uuid }, dsse };
}

describe('storeItems', () => {
  it('keeps the DSSE bundles (referrer signature and attestations), not the classic message signature', () => {
    const items = storeItems([verified('signature', '/s', false), verified('signatureReferrer', '/sr'), verified('sbom', '/sb'), verified('provenance', '/p')]);
    expect(items.map((i) => [i.key, i.label])).toEqual([
      ['/sr', 'signature bundle of ghcr.io/o/app@sha256:ab'],
      ['/sb', 'SBOM bundle of ghcr.io/o/app@sha256:ab'],
      ['/p', 'provenance bundle of ghcr.io/o/app@sha256:ab'],
    ]);
    expect(items[0]?.bundle).toEqual({ uuid: '/sr' });
  });
});

describe('withStoredIds and storeSummary', () => {
  // Store the first platform image's provenance and SBOM only.
  const images = multiPlatform();
  const amd64 = images[1]!;
  const prov = amd64.artifacts.find((a) => a.kind === 'provenance')!;
  const sbom = amd64.artifacts.find((a) => a.kind === 'sbom')!;
  const step: StoreStep = {
    total: 9,
    outcome: {
      target: TARGET,
      attempted: 2,
      warnings: [],
      stored: new Map([
        [prov.uuid!, { id: 41, url: 'https://github.com/octo-org/octo-app/attestations/41' }],
        [sbom.uuid!, { id: 42, url: 'https://github.com/octo-org/octo-app/attestations/42' }],
      ]),
    },
  };

  it('puts each id on the row of the Rekor entry it came from, and nowhere else', () => {
    const out: ImageResult[] = withStoredIds(images, step);
    const ids = out.flatMap((img) => img.artifacts.filter((a) => a.attestationId).map((a) => [img.digest, a.kind, a.attestationId, a.attestationUrl]));
    expect(ids).toEqual([
      [amd64.digest, 'sbom', 42, 'https://github.com/octo-org/octo-app/attestations/42'],
      [amd64.digest, 'provenance', 41, 'https://github.com/octo-org/octo-app/attestations/41'],
    ]);
    expect(withStoredIds(images, { skipped: 'attestation-store is false', total: 9 })).toBe(images);
  });

  it('summarises the step for the summary, and nothing when it was not tried', () => {
    expect(storeSummary(step)).toEqual({
      repository: 'octo-org/octo-app',
      page: 'https://github.com/octo-org/octo-app/attestations',
      stored: 2,
      total: 9,
      warnings: [],
    });
    expect(storeSummary({ skipped: 'no token', total: 9 })).toBeUndefined();
  });

  it('the summary links the attestations page and each id', () => {
    const md = renderSummary(withStoredIds(images, step), runContext({ store: storeSummary(step) }));
    expect(md).toContain('**GitHub attestation store:** 2 bundles of 9 stored in [octo-org/octo-app’s attestations](https://github.com/octo-org/octo-app/attestations)');
    expect(md).toContain('[attestation 41](https://github.com/octo-org/octo-app/attestations/41)');
    const links = [...md.matchAll(/\]\((https:\/\/github\.com\/[^)]+)\)/g)].map((m) => m[1]);
    expect(links).toEqual([
      'https://github.com/octo-org/octo-app/attestations',
      'https://github.com/octo-org/octo-app/attestations/42',
      'https://github.com/octo-org/octo-app/attestations/41',
    ]);
    // The table stays a table: a link in the "Attached as" cell.
    const table = marked.lexer(md).find((t) => t.type === 'table' && t.raw.includes('attestation 41')) as { rows: unknown[][] } | undefined;
    expect(table?.rows.every((r) => r.length === 3)).toBe(true);
  });

  it('shows a warning in words, escaped', () => {
    const md = renderSummary(
      images,
      runContext({
        store: {
          repository: 'o/r',
          page: 'https://github.com/o/r/attestations',
          stored: 0,
          total: 3,
          warnings: ['HTTP 403 <b>no</b> `permissions: attestations: write`'],
        },
      }),
    );
    expect(md).toContain(
      '**GitHub attestation store:** Nothing stored in [o/r’s attestations](https://github.com/o/r/attestations). ⚠️ HTTP 403 &#60;b&#62;no&#60;/b&#62;',
    );
  });
});

describe('storeLog', () => {
  it('one info line with the pages stored, the reason it was not used (unless turned off), the warnings', () => {
    const outcome = { target: TARGET, attempted: 1, warnings: ['w'], stored: new Map([['u', { id: 7, url: 'https://github.com/octo-org/octo-app/attestations/7' }]]) };
    expect(storeLog({ outcome, total: 3 }, 'auto')).toEqual({
      info: ['GitHub attestation store: stored 1 of 3 bundle(s) in octo-org/octo-app: https://github.com/octo-org/octo-app/attestations/7'],
      warnings: ['w'],
    });
    expect(storeLog({ skipped: 'github-token is empty', total: 3 }, 'auto')).toEqual({
      info: ['GitHub attestation store: not used: github-token is empty'],
      warnings: [],
    });
    expect(storeLog({ skipped: 'attestation-store is false', total: 3 }, 'false')).toEqual({ info: [], warnings: [] });
  });
});

describe('repositoryFacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-'));
  const event = (payload: unknown) => {
    const p = join(dir, `${Math.random()}.json`);
    writeFileSync(p, JSON.stringify(payload));
    return p;
  };
  it('reads visibility and owner type from the event payload, and tolerates its absence', () => {
    expect(repositoryFacts(event({ repository: { private: true, owner: { type: 'User' } } }))).toEqual({ private: true, ownerType: 'User' });
    expect(repositoryFacts(event({ repository: { visibility: 'public' } }))).toEqual({ private: false });
    expect(repositoryFacts(join(dir, 'missing.json'))).toEqual({});
    expect(repositoryFacts(undefined)).toEqual({});
  });
});

describe('runStoreStep against the stand-in', () => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi({ repos: { 'octo-org/octo-repo': {} }, tokens: { ghs_writer: { attestations: 'write' } } });
  });
  afterAll(() => api.close());
  const env = () => ({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'octo-org/octo-repo' });

  it("stores the run's DSSE bundles, an SBOM's of megabytes included, each as built, and their ids land on their rows", async () => {
    const sbom = sbomBundle(20_000, 'cd'.repeat(32));
    const prov = storeBundle('cd'.repeat(32));
    const bundles: VerifiedBundle[] = [
      { kind: 'signature', image: 'reg/app@sha256:cd', uuid: '/sig', bundle: { messageSignature: {} }, dsse: false },
      { kind: 'sbom', image: 'reg/app@sha256:cd', uuid: '/sbom', bundle: sbom, dsse: true },
      { kind: 'provenance', image: 'reg/app@sha256:cd', uuid: '/prov', bundle: prov, dsse: true },
    ];
    // The SBOM's upload (the first) gets a 503 once: sent again, whole.
    api.fail(503, { times: 1, method: 'POST' });
    const http = new Http({ retryBudgetMs: 5_000 });
    const before = api.requests.length;
    const step = await runStoreStep(storeItems(bundles), prepareStore({ mode: 'auto', token: 'ghs_writer', http }, env()));
    expect(step.total).toBe(2);
    expect(step.outcome?.warnings).toEqual([]);
    expect(http.retries.github).toBe(1);
    expect(api.requests.slice(before).map((r) => r.status)).toEqual([503, 201, 201]);
    const byId = (key: string) => api.stored.find((s) => s.id === step.outcome?.stored.get(key)?.id)?.bundle;
    expect(JSON.stringify(byId('/prov'))).toBe(JSON.stringify(prov));
    expect(JSON.stringify(byId('/sbom'))).toBe(JSON.stringify(sbom));
    const rows: ImageResult[] = [
      {
        name: 'reg/app',
        digest: 'sha256:cd',
        artifacts: [
          { kind: 'signature', uuid: '/sig', bundle: 's.json' },
          { kind: 'sbom', uuid: '/sbom', bundle: 'sb.json' },
        ],
      },
    ];
    const [row] = withStoredIds(rows, step);
    expect(row?.artifacts.map((a) => a.attestationId)).toEqual([undefined, step.outcome?.stored.get('/sbom')?.id]);
  });
});
