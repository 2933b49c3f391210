import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCycloneDx } from '../../src/sbom/cyclonedx.js';
import { getManifest } from '../../test/harness/checks.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { spdxSchemaErrors } from '../../test/harness/spdx-schema.js';
import { stackInputs, stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// `sign-attest sbom` through the bundled CLI for every source and format,
// and the action's sbom-format input: CycloneDX and SPDX as two signed
// attestations, each verified by our verifier by type.

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const stack = useStack({ name: 'sbom-e2e', auth: true, fixture: { repo: 'octo-org/sbom', tag: 'v1' } });
let work: string;
let img: PushedImage;
let layoutDigest: string;
let configDigest: string;
let multi: string; // an index of two platform images, tagged multi
let platforms: string[];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: work } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end();
  });
}

async function put(registry: string, repo: string, ref: string, body: object, mediaType: string): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT ${ref}: ${res.status} ${await res.text()}`);
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
const cdxPurls = (doc: Record<string, any>) => new Set((doc['components'] as { purl?: string }[]).map((c) => c.purl).filter((p): p is string => Boolean(p)));
const spdxPurls = (doc: Record<string, any>) =>
  new Set(
    (doc['packages'] as { externalRefs?: { referenceType: string; referenceLocator: string }[] }[])
      .flatMap((p) => p.externalRefs ?? [])
      .filter((r) => r.referenceType === 'purl' && !r.referenceLocator.startsWith('pkg:oci/'))
      .map((r) => r.referenceLocator),
  );

beforeAll(async () => {
  const lib = await stackLib();
  work = stack.work;
  img = stack.image;
  layoutDigest = await lib.buildFixtureLayout(join(work, 'layout'), 'v1');
  execFileSync('skopeo', ['copy', '--quiet', `oci:${join(work, 'layout')}:v1`, `oci-archive:${join(work, 'oci.tar')}:v1`]);
  execFileSync('skopeo', ['copy', '--quiet', `oci:${join(work, 'layout')}:v1`, `docker-archive:${join(work, 'docker.tar')}:example.org/app:v1`]);
  configDigest = (json(join(work, 'layout/blobs/sha256', layoutDigest.slice(7)))['config'] as { digest: string }).digest;
  const base = (await getManifest(img.name, img.digest)) as Record<string, unknown>;
  const repo = 'octo-org/sbom';
  const amd64Body = { ...base, annotations: { platform: 'amd64' } };
  const arm64Body = { ...base, annotations: { platform: 'arm64' } };
  const amd64 = await put(stack.registry, repo, 'amd64', amd64Body, OCI_MANIFEST);
  const arm64 = await put(stack.registry, repo, 'arm64', arm64Body, OCI_MANIFEST);
  platforms = [amd64, arm64];
  const size = (b: object) => Buffer.byteLength(JSON.stringify(b));
  multi = await put(
    stack.registry,
    repo,
    'multi',
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, digest: amd64, size: size(amd64Body), platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, digest: arm64, size: size(arm64Body), platform: { os: 'linux', architecture: 'arm64' } },
      ],
    },
    OCI_INDEX,
  );
}, 180_000);

describe('sign-attest sbom: every source, every format, one scan', () => {
  const sources = () => [
    { name: 'registry', source: img.tagRef, digest: img.digest },
    { name: 'oci-dir', source: `oci-dir:${join(work, 'layout')}:v1`, digest: layoutDigest },
    { name: 'oci-archive', source: `oci-archive:${join(work, 'oci.tar')}`, digest: layoutDigest },
    { name: 'docker-archive', source: `docker-archive:${join(work, 'docker.tar')}`, digest: configDigest },
  ];
  const purls = new Map<string, Set<string>>();

  it.each(['registry', 'oci-dir', 'oci-archive', 'docker-archive'])('%s: CycloneDX 1.6 and SPDX 2.3 files that validate, and the table on stdout', async (name) => {
    const s = sources().find((x) => x.name === name)!;
    const cdx = join(work, `${name}.cdx.json`);
    const spdx = join(work, `${name}.spdx.json`);
    const r = await cli(['sbom', s.source, '-o', `cyclonedx-json=${cdx}`, '-o', `spdx-json=${spdx}`, '-o', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME +VERSION +TYPE$/);
    expect(r.stdout).toMatch(/^lodash +4\.17\.21 +npm$/m);
    expect(r.stdout).toMatch(/^bash +5\.2\.15-2\+b8 +deb$/m);
    expect(r.stderr).toMatch(/^layer 1\/2 sha256:[0-9a-f]{12} /m);
    expect(r.stderr).toMatch(/^layer 2\/2 /m);
    // Three outputs, one scan: each layer is read once.
    expect(r.stderr.match(/^layer 1\/2 \S+ (gzip|zstd|none): /gm)).toHaveLength(1);
    expect(r.stderr).toContain(`wrote spdx document to ${spdx}`);

    const c = json(cdx);
    expect(await validateCycloneDx(readFileSync(cdx, 'utf8'))).toBeUndefined();
    expect(c['specVersion']).toBe('1.6');
    expect(c['metadata'].component.version).toBe(s.digest);
    const d = json(spdx);
    expect(spdxSchemaErrors(d)).toEqual([]);
    expect(d['spdxVersion']).toBe('SPDX-2.3');
    expect(d['creationInfo'].creators[0]).toMatch(/^Tool: sign-attest-\d+\.\d+\.\d+/);
    expect((d['packages'] as any[])[0].versionInfo).toBe(s.digest);
    expect(d['documentNamespace']).toContain(s.digest.replace(':', '-'));
    expect(spdxPurls(d)).toEqual(cdxPurls(c));
    expect(cdxPurls(c).size).toBeGreaterThan(20);
    purls.set(name, cdxPurls(c));
  });

  it('finds the same packages from every source', () => {
    const sets = [...purls.values()];
    expect(sets).toHaveLength(4);
    for (const s of sets) expect(s).toEqual(sets[0]);
  });

  it('a bare -o goes to stdout; -q prints nothing on stderr', async () => {
    const r = await cli(['sbom', `oci-dir:${join(work, 'layout')}`, '-q', '-o', 'spdx-json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(spdxSchemaErrors(JSON.parse(r.stdout))).toEqual([]);
  });

  it('usage mistakes exit 2 with one line and a pointer to --help', async () => {
    for (const args of [
      ['sbom'],
      ['sbom', img.tagRef, '-o', 'spdx-json', '-o', 'table'],
      ['sbom', img.tagRef, '-o', 'xml'],
      ['sbom', img.tagRef, '--platform', 'amd64'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: sbom: .+\nrun "sign-attest sbom --help" for usage\n$/);
    }
  });

  it('a missing file is one error line naming the fix, exit 1', async () => {
    const r = await cli(['sbom', `docker-archive:${join(work, 'nope.tar')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: docker-archive: cannot open .*nope\.tar .*; pass the path of an existing tar file\n$/);
  });

  it('--help describes every option and shows an example', async () => {
    const r = await cli(['sbom', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sign-attest sbom: \S/);
    for (const flag of ['-o, --output FORMAT[=FILE]', '--platform', '-q, --quiet', '--registry-username']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/^example:\n {2}sign-attest sbom /m);
  });
});

describe('sign-attest sbom from registries', () => {
  it('reads a private registry with --registry-username/--registry-password, and says how to log in without them', async () => {
    const lib = await stackLib();
    const priv = await lib.pushFixtureImage(stack, 'octo-org/private', 'v1', { auth: true });
    const creds = stack.registryCredentials!;
    const ok = await cli(['sbom', priv.ref, '-q', '-o', 'cyclonedx-json', '--registry-username', creds.username, '--registry-password', creds.password]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).metadata.component.version).toBe(priv.digest);
    const denied = await cli(['sbom', priv.ref, '-q']);
    expect(denied.code).toBe(1);
    expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    expect(denied.stderr).toMatch(/refused access \(401.*log in/);
  });

  it('an index: --platform picks the platform image, and a missing platform lists those it has', async () => {
    const [, arm64] = platforms;
    const r = await cli(['sbom', `${img.name}:multi`, '--platform', 'linux/arm64', '-o', 'spdx-json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.packages[0].versionInfo).toBe(arm64);
    expect(doc.packages[0].externalRefs[0].referenceLocator).toContain('arch=arm64');
    expect(r.stderr).toContain(`@${arm64} (linux/arm64)`);
    const missing = await cli(['sbom', `${img.name}:multi`, '--platform', 'linux/s390x', '-q']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: --platform linux\/s390x: .* has no such image; it has linux\/amd64, linux\/arm64\n$/);
  });
});

describe('the action with sbom-format: spdx on an index', () => {
  it('attests SPDX only: the index lists its platforms, each platform gets its own document, sbom-* outputs name it', async () => {
    const run = await runAction({ inputs: { ...stackInputs(stack), images: `${img.name}@${multi}`, 'sbom-format': 'spdx', provenance: 'false' }, env: stack.env });
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs['sbom-path']).toBe(run.outputs['sbom-spdx-path']);
    expect(run.outputs['sbom-log-index']).toBe(run.outputs['sbom-spdx-log-index']);
    const results = JSON.parse(run.outputs['results']!) as Record<string, any>[];
    expect(results.map((r) => r['digest'])).toEqual([multi, ...platforms]);
    for (const r of results) {
      expect(r['sbom']).toEqual(r['sbomSpdx']);
      expect(r['sbom'].predicateType).toBe('https://spdx.dev/Document');
      const doc = json(r['sbom'].path);
      expect(spdxSchemaErrors(doc)).toEqual([]);
      expect(doc['packages'][0].versionInfo).toBe(r['digest']);
    }
    const index = json(results[0]!['sbom'].path);
    expect(index['packages'].slice(1).map((p: { versionInfo: string }) => p.versionInfo)).toEqual(platforms);
    expect(json(results[1]!['sbom'].path)['packages'].length).toBeGreaterThan(20);
  }, 180_000);
});

describe('the action with sbom-format: cyclonedx,spdx', () => {
  let run: ActionRun;
  let signed: PushedImage;

  beforeAll(async () => {
    const lib = await stackLib();
    signed = await lib.pushFixtureImage(stack, 'octo-org/both', 'v1');
    run = await runAction({ inputs: { ...stackInputs(stack), images: signed.ref, 'sbom-format': 'cyclonedx,spdx' }, env: stack.env });
  }, 180_000);

  it('succeeds and writes both documents where a later upload-artifact step finds them', () => {
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
    const cdx = run.outputs['sbom-path']!;
    const spdx = run.outputs['sbom-spdx-path']!;
    expect(cdx.startsWith(run.runnerTemp)).toBe(true);
    expect(spdx.startsWith(run.runnerTemp)).toBe(true);
    expect(cdx).toMatch(/sbom\.cdx\.json$/);
    expect(spdx).toMatch(/sbom\.spdx\.json$/);
    expect(json(cdx)['bomFormat']).toBe('CycloneDX');
    expect(spdxSchemaErrors(json(spdx))).toEqual([]);
    expect(spdxPurls(json(spdx))).toEqual(cdxPurls(json(cdx)));
    // The step summary's artifact rows come from the same results.
    expect(run.summary).toContain('https://spdx.dev/Document');
  });

  it('signs each format as its own attestation: two bundles, two log indexes, two predicate types', () => {
    const statement = (bundle: string) => JSON.parse(Buffer.from(JSON.parse(readFileSync(bundle, 'utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
    const cdx = statement(run.outputs['sbom-bundle']!);
    const spdx = statement(run.outputs['sbom-spdx-bundle']!);
    expect(cdx.predicateType).toBe('https://cyclonedx.org/bom');
    expect(spdx.predicateType).toBe('https://spdx.dev/Document');
    expect(spdx.predicate).toEqual(json(run.outputs['sbom-spdx-path']!));
    expect(spdx.subject[0].digest.sha256).toBe(signed.digest.slice(7));
    expect(run.outputs['sbom-log-index']).not.toBe(run.outputs['sbom-spdx-log-index']);
    expect(Number(run.outputs['sbom-spdx-log-index'])).toBeGreaterThanOrEqual(0);
    const [result] = JSON.parse(run.outputs['results']!);
    expect(result.sbom).toMatchObject({ format: 'cyclonedx', predicateType: 'https://cyclonedx.org/bom', path: run.outputs['sbom-path'] });
    expect(result.sbomSpdx).toMatchObject({ format: 'spdx', predicateType: 'https://spdx.dev/Document', path: run.outputs['sbom-spdx-path'] });
    // The summary's per-ecosystem figures read the same from either document.
    expect(result.sbomSpdx.components).toEqual(result.sbom.components);
    expect(result.sbom.components.deb).toBeGreaterThan(10);
    expect(existsSync(result.sbomSpdx.bundle)).toBe(true);
    expect(result.sbomSpdx.referrer).toMatch(/^sha256:/);
    expect(result.sbomSpdx.tag).toMatch(/\.att$/);
  });

  it('our verifier finds each by type (cyclonedx, spdxjson, and the SPDX URI)', async () => {
    const policy = (await stackLib()).identityFlags(stack);
    const r = await cli(['verify', signed.ref, ...policy, '--type', 'cyclonedx', '--type', 'spdxjson', '--type', 'https://spdx.dev/Document']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`VERIFIED ${signed.ref}`);
  });

  it('an unknown sbom-format is one ::error:: naming the fix, exit 1, nothing logged', async () => {
    const lib = await stackLib();
    await lib.resetStats(stack);
    const bad = await runAction({ inputs: { ...stackInputs(stack), images: signed.ref, 'sbom-format': 'cyclonedx,swid' }, env: stack.env });
    expect(bad.code).toBe(1);
    expect(errorLines(bad)).toEqual(['::error::sbom-format: "swid" is not a known format; pass cyclonedx, spdx or both as cyclonedx,spdx']);
    expect((await lib.getStats(stack))['rekorPost']).toBe(0);
  });
});
