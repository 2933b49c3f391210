import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fallbackReferrers, getBlob, getManifest, tagFor } from '../../test/harness/checks.js';
import { exec, legacyTrustEnv, limiter, makeToolHome, summaryCommands, toolPath, type ToolHome, type ToolRun } from '../../test/harness/consumers.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';

// The `predicates` input: an OpenVEX document by cosign's short name and a
// test-result document by URI, each a signed in-toto statement about the
// image (and the release file), logged and attached in both formats, found
// by real cosign 2 and 3 (`verify-attestation --type openvex`, tags and
// bundles), gh, and our verify action and CLI by URI and by short name.

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = 'octo-org/octo-repo';
const OPENVEX = 'https://openvex.dev/ns';
const TESTS = 'https://example.com/test-result/v1';
const CLI = join(ROOT, 'dist', 'cli', 'index.js');

const VEX = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/2026-0001',
  author: 'octo-org',
  timestamp: '2026-12-01T00:00:00Z',
  version: 1,
  statements: [{ vulnerability: { name: 'CVE-2026-0001' }, products: [{ '@id': 'pkg:oci/app' }], status: 'not_affected', justification: 'vulnerable_code_not_present' }],
};
const RESULTS = { passed: 412, failed: 0, suite: 'unit' };

let lib: Awaited<ReturnType<typeof stackLib>>;
let stack: Stack;
let dir: string;
let ws: string;
let home: ToolHome;
let legacyEnv: Record<string, string>;
let trustJSONL: string;

beforeAll(async () => {
  for (const tool of ['cosign2', 'cosign3', 'gh'] as const) toolPath(tool);
  lib = await stackLib();
  dir = mkdtempSync(join(tmpdir(), 'custom-predicates-'));
  stack = await lib.startStack({ stateDir: join(dir, 'stack') });
  home = makeToolHome();
  legacyEnv = legacyTrustEnv(dir, stack.trustedRoot);
  trustJSONL = join(dir, 'trusted_root.jsonl');
  writeFileSync(trustJSONL, JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
  ws = join(dir, 'ws');
  mkdirSync(join(ws, 'dist'), { recursive: true });
  writeFileSync(join(ws, 'vex.json'), JSON.stringify(VEX, null, 2));
  writeFileSync(join(ws, 'results.json'), JSON.stringify(RESULTS));
  writeFileSync(join(ws, 'dist', 'app.tar.gz'), 'the app');
  writeFileSync(join(ws, 'broken.json'), '{"statements": [');
  writeFileSync(join(ws, 'list.json'), '[1, 2]');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const run = (inputs: Record<string, string>) => runAction({ cwd: ws, inputs: { ...stackInputs(stack), sbom: 'false', ...inputs }, env: stack.env });
const PREDICATES = `openvex=vex.json\n${TESTS}=results.json`;
const identity = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER];
const said = (r: ToolRun) => `${r.tool.split('/').pop()} ${r.args.join(' ')} → exit ${r.code}: ${r.out.trim().split('\n').slice(-2).join(' | ')}`;

function statementOf(bundle: any): any {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

describe('custom predicates on an image (attached both ways) and a release file', () => {
  let img: PushedImage;
  let tagsImg: PushedImage;
  let both: ActionRun;
  let tagsOnly: ActionRun;
  let results: any[];
  const verdicts = new Map<string, ToolRun>();

  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/vexed');
    tagsImg = await lib.pushFixtureImage(stack, 'octo-org/vexed-tags');
    await lib.resetStats(stack);
    both = await run({ images: img.ref, predicates: PREDICATES, 'subject-path': 'dist/app.tar.gz' });
    const stats = await lib.getStats(stack);
    tagsOnly = await run({ images: tagsImg.ref, predicates: PREDICATES, attach: 'tags' });
    console.log(`custom predicates: image + file in ${both.ms} ms (requests ${JSON.stringify(stats)}); attach: tags in ${tagsOnly.ms} ms`);
    results = JSON.parse(both.outputs['results'] ?? '[]');

    const tools = limiter(2);
    const jobs: Promise<void>[] = [];
    const check = (label: string, tool: 'cosign2' | 'cosign3' | 'gh', args: string[], env: Record<string, string> = {}) =>
      jobs.push(tools(() => exec(toolPath(tool), args, { ...home.env, ...env })).then((r) => void verdicts.set(label, r)));
    const root = ['--trusted-root', stack.trustedRoot];
    for (const type of ['openvex', TESTS]) {
      check(`cosign3 bundles ${type}`, 'cosign3', ['verify-attestation', '--type', type, ...identity, ...root, img.ref]);
      check(`cosign3 tags ${type}`, 'cosign3', ['verify-attestation', '--new-bundle-format=false', '--type', type, ...identity, ...root, img.ref]);
      check(`cosign2 bundles ${type}`, 'cosign2', ['verify-attestation', '--type', type, ...identity, ...root, img.ref]);
      check(`cosign2 tags ${type}`, 'cosign2', ['verify-attestation', '--type', type, ...identity, tagsImg.ref], legacyEnv);
      check(`cosign3 tags-only image ${type}`, 'cosign3', ['verify-attestation', '--new-bundle-format=false', '--type', type, ...identity, ...root, tagsImg.ref]);
    }
    check('cosign3 absent type', 'cosign3', ['verify-attestation', '--type', 'vuln', ...identity, ...root, img.ref]);
    check('cosign2 absent type tags', 'cosign2', ['verify-attestation', '--type', 'vuln', ...identity, tagsImg.ref], legacyEnv);
    for (const type of [OPENVEX, TESTS]) {
      check(`gh ${type}`, 'gh', [
        'attestation',
        'verify',
        `oci://${img.ref}`,
        '--bundle-from-oci',
        '--repo',
        REPO,
        '--custom-trusted-root',
        trustJSONL,
        '--predicate-type',
        type,
      ]);
    }
    const file = results.find((r) => r.file);
    for (const p of file?.predicates ?? []) {
      const type = p.typeName ?? p.predicateType;
      for (const tool of ['cosign2', 'cosign3'] as const) {
        check(`${tool} file ${type}`, tool, ['verify-blob-attestation', '--bundle', p.bundle, '--type', type, ...identity, ...root, join(ws, 'dist', 'app.tar.gz')]);
      }
      check(`gh file ${type}`, 'gh', [
        'attestation',
        'verify',
        join(ws, 'dist', 'app.tar.gz'),
        '--bundle',
        p.bundle,
        '--repo',
        REPO,
        '--custom-trusted-root',
        trustJSONL,
        '--predicate-type',
        p.predicateType,
      ]);
    }
    await Promise.all(jobs);
    for (const [label, r] of verdicts) console.log(`${label}: ${said(r)}`);
  }, 600_000);

  it('succeeds and lists both predicates in results for the image and the file', () => {
    expect(errorLines(both)).toEqual([]);
    expect(both.code).toBe(0);
    expect(tagsOnly.code).toBe(0);
    const image = results.find((r) => r.image);
    const file = results.find((r) => r.file);
    for (const row of [image, file]) {
      expect(row.predicates.map((p: any) => p.predicateType)).toEqual([OPENVEX, TESTS]);
      expect(row.predicates[0].typeName).toBe('openvex');
      expect(row.predicates[1].typeName).toBeUndefined();
    }
    expect(image.predicates[0].tag).toBe(tagFor(img.digest, '.att'));
    expect(image.predicates[0].referrer).toMatch(/^sha256:/);
    expect(file.predicates[0].subjects).toBe(1);
  });

  it('each statement carries the document as its predicate, about the image digest', () => {
    const image = results.find((r) => r.image);
    const [vex, tests] = image.predicates.map((p: any) => statementOf(JSON.parse(readFileSync(p.bundle, 'utf8'))));
    expect(vex.predicateType).toBe(OPENVEX);
    expect(vex.predicate).toEqual(VEX);
    expect(vex.subject).toEqual([{ name: img.name, digest: { sha256: img.digest.slice(7) } }]);
    expect(tests.predicateType).toBe(TESTS);
    expect(tests.predicate).toEqual(RESULTS);
  });

  it('attaches a .att layer with the predicateType annotation and a referrer bundle with dev.sigstore.bundle.predicateType', async () => {
    const att = await getManifest(img.name, tagFor(img.digest, '.att'));
    const types = att?.layers?.map((l) => l.annotations?.['predicateType']).sort();
    expect(types).toEqual([OPENVEX, 'https://slsa.dev/provenance/v1', TESTS].sort());
    const vexLayer = att!.layers!.find((l) => l.annotations?.['predicateType'] === OPENVEX)!;
    const envelope = JSON.parse((await getBlob(img.name, vexLayer.digest)).toString('utf8'));
    expect(JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicate).toEqual(VEX);
    const referrers = await fallbackReferrers(img.name, img.digest);
    const annotated = referrers.map((r) => (r.manifest as { annotations?: Record<string, string> }).annotations?.['dev.sigstore.bundle.predicateType']).filter(Boolean);
    expect(annotated).toEqual(expect.arrayContaining([OPENVEX, TESTS]));
  });

  it('cosign v2 and v3 verify-attestation --type openvex and --type URI find them in bundles and tags', () => {
    for (const type of ['openvex', TESTS]) {
      for (const where of ['cosign3 bundles', 'cosign3 tags', 'cosign2 bundles', 'cosign2 tags', 'cosign3 tags-only image']) {
        const r = verdicts.get(`${where} ${type}`);
        expect(r && said(r)).toMatch(/→ exit 0/);
      }
    }
  });

  it('cosign rejects a type that was not attested', () => {
    for (const label of ['cosign3 absent type', 'cosign2 absent type tags']) {
      expect(verdicts.get(label)?.code).not.toBe(0);
      expect(verdicts.get(label)?.out).toMatch(/none of the attestations matched the predicate type/);
    }
  });

  it('gh attestation verify --bundle-from-oci --predicate-type finds each', () => {
    for (const type of [OPENVEX, TESTS]) expect(said(verdicts.get(`gh ${type}`)!)).toMatch(/→ exit 0/);
  });

  it('the release file’s statements verify with cosign verify-blob-attestation and gh', () => {
    for (const type of ['openvex', TESTS]) {
      for (const tool of ['cosign2', 'cosign3', 'gh']) expect(said(verdicts.get(`${tool} file ${type}`)!)).toMatch(/→ exit 0/);
    }
  });

  it('our verify action accepts the types by short name and by URI, and fails on an absent one', async () => {
    const verify = (types: string) =>
      runAction({
        action: 'verify',
        inputs: { images: img.ref, 'certificate-identity': SAN, 'certificate-oidc-issuer': ISSUER, 'trusted-root': stack.trustedRoot, 'predicate-types': types },
      });
    const byName = await verify(`openvex,${TESTS}`);
    expect(errorLines(byName)).toEqual([]);
    const verified = JSON.parse(byName.outputs['verified'] ?? '[]');
    expect(verified[0].verified).toBe(true);
    const byURI = await verify(OPENVEX);
    expect(byURI.code).toBe(0);
    const absent = await verify('vuln');
    expect(absent.code).toBe(1);
    expect(errorLines(absent).join('\n')).toMatch(/attestation\/vuln\/v1/);
  }, 120_000);

  it('our CLI accepts --type openvex and --type URI', async () => {
    const cli = (...types: string[]) =>
      exec(process.execPath, [CLI, 'verify', img.ref, ...identity, '--trusted-root', stack.trustedRoot, ...types.flatMap((t) => ['--type', t])], home.env);
    const ok = await cli('openvex', TESTS);
    expect(said(ok)).toMatch(/→ exit 0/);
    const byURI = await cli(OPENVEX);
    expect(byURI.code).toBe(0);
    const absent = await cli('vuln');
    expect(absent.code).toBe(1);
  }, 120_000);

  it('the summary lists the attestations and its cosign commands run verbatim', async () => {
    expect(both.summary).toContain('Attestation (openvex)');
    expect(both.summary).toContain('cosign verify-attestation --type openvex');
    const commands = summaryCommands(both.summary).filter((c) => c.startsWith('cosign ') || c.startsWith('gh '));
    expect(commands.some((c) => c.includes(`--type ${TESTS}`))).toBe(true);
    for (const cosign of ['cosign2', 'cosign3'] as const) {
      for (const c of commands.filter((x) => cosign === 'cosign3' || x.startsWith('cosign '))) {
        const r = await exec('/bin/sh', ['-c', c], { ...home.env, PATH: home.pathWith(cosign) });
        expect(`${cosign}: ${c.split('\n')[0]} → ${r.code} ${r.code ? r.out : ''}`).toBe(`${cosign}: ${c.split('\n')[0]} → 0 `);
      }
    }
  }, 300_000);
});

describe('a broken predicates input fails the step with one line and logs nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['a missing document', 'openvex=missing.json', /^::error::predicates: missing\.json does not exist; pass the path of the openvex JSON document$/],
    ['a document that is not JSON', 'openvex=broken.json', /^::error::predicates: broken\.json is not JSON \(.*\); a predicate must be a JSON document$/],
    ['a JSON array', `${TESTS}=list.json`, /^::error::predicates: list\.json is JSON but not an object \(an array\)/],
    ['a line without =', 'vex.json', /^::error::predicates: line 1 "vex\.json" is not predicate-type=path/],
    ['an unknown short name', 'openvexx=vex.json', /^::error::predicates: line 1: "openvexx" is neither a predicate type URI nor one of cosign's --type names/],
  ];
  for (const [what, predicates, message] of cases) {
    it(
      what,
      async () => {
        const img = await lib.pushFixtureImage(stack, 'octo-org/vex-error');
        await lib.resetStats(stack);
        const r = await run({ images: img.ref, predicates });
        expect(r.code).toBe(1);
        const lines = errorLines(r);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        const stats = await lib.getStats(stack);
        expect(stats['rekorPost']).toBe(0);
        expect(stats['fulcio']).toBe(0);
        expect(await getManifest(img.name, tagFor(img.digest, '.att'))).toBeUndefined();
      },
      60_000,
    );
  }
});
