import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';
import { MAX_COMPONENTS, MAX_KEPT_FILES, MAX_SYMLINKS } from '../../src/catalogers/limits.js';
import { dpkgLayer, hostileLayers, whiteoutLayers } from '../../test/hostile/layers.mjs';

// Issue 15: each hostile layer class, pushed as an image and run through the
// bundled action. Each run must end on its own (killed after KILL_MS, far
// above the 30 s target, only so that a regression cannot hang CI) and stay
// under 350 MB peak RSS, and whatever the scanner skipped must show as a
// ::warning:: annotation naming the file and the limit, or, where a complete
// SBOM is impossible, as one ::error:: with nothing signed.

const KILL_MS = 90_000;
const MAX_RSS_MB = 350;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const stack = useStack({ name: 'hostile-e2e' });

const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function putBlob(repo: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes);
  const start = await fetch(`${stack.registryURL}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const url = new URL(start.headers.get('location') as string, stack.registryURL);
  url.searchParams.set('digest', digest);
  const res = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (res.status !== 201) throw new Error(`blob PUT ${res.status}`);
  return digest;
}

// An image whose layers are exactly these tars (gzipped).
async function pushLayers(repo: string, tars: Buffer[]): Promise<string> {
  const layers = [];
  for (const t of tars) {
    const gz = gzipSync(t);
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await putBlob(repo, gz), size: gz.length });
  }
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: tars.map(digestOf) } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await putBlob(repo, config), size: config.length },
      layers,
    }),
  );
  const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/latest`, { method: 'PUT', body: manifest, headers: { 'content-type': OCI_MANIFEST } });
  if (res.status !== 201) throw new Error(`manifest PUT ${res.status}`);
  return `${stack.registry}/${repo}@${digestOf(manifest)}`;
}

interface Measured {
  run: ActionRun;
  rssMB: number;
  warnings: string[];
}

// The action with only the SBOM on, its peak RSS taken by a preloaded probe.
async function scan(repo: string, tars: Buffer[]): Promise<Measured> {
  const ref = await pushLayers(repo, tars);
  const probe = join(stack.work, `${repo.replace(/\W/g, '_')}.rss`);
  const run = await runAction({
    inputs: { ...stackInputs(stack), images: ref, sign: 'false', provenance: 'false', sbom: 'generate', attach: 'none' },
    env: { ...stack.env, NODE_OPTIONS: `--import=${join(ROOT, 'test/harness/peak-rss.mjs')}`, PEAK_RSS_FILE: probe },
    killAfterMs: KILL_MS,
  });
  const rssMB = existsSync(probe) ? Number(readFileSync(probe, 'utf8')) / 1024 : NaN;
  console.log(`${repo}: exit ${run.code}${run.killed ? ' (killed)' : ''}, ${(run.ms / 1000).toFixed(1)} s, peak RSS ${rssMB.toFixed(0)} MB`);
  return { run, rssMB, warnings: run.stdout.split('\n').filter((l) => l.startsWith('::warning')) };
}

function endedWithin(m: Measured): void {
  expect(m.run.killed).toBe(false);
  expect(m.rssMB).toBeLessThan(MAX_RSS_MB);
}

const layersOf = (name: string) => (hostileLayers[name] as () => Buffer[])();
// @actions/core escapes ':' in annotation properties.
const SCAN_TITLE = (path: string) => `title=SBOM scan%3A ${path}`;

describe('hostile layers: bounded, and problems shown as annotations', () => {
  it('jar with overlapping zip entries (a 600-byte zip bomb): refused as overlapping', async () => {
    const m = await scan('hostile/overlap', layersOf('overlapping zip entries'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toEqual([
      expect.stringMatching(
        /^::warning title=SBOM scan%3A \/app\/bomb\.jar::SBOM for .*hostile\/overlap@sha256:\w+: \/app\/bomb\.jar \(layer sha256:\w+\): not read: entries .* overlap$/,
      ),
    ]);
  });

  it('jar-in-jar fan-out (64 overlapping copies per level, 6 levels)', async () => {
    const m = await scan('hostile/fanout', layersOf('jar-in-jar fan-out'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings[0]).toContain(SCAN_TITLE('/app/nest.jar'));
    expect(m.warnings[0]).toMatch(/overlap/);
  });

  it('jar-in-jar 50 deep: the first levels are read, the depth limit is named', async () => {
    const m = await scan('hostile/deep', layersOf('jar-in-jar depth'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings[0]).toContain(SCAN_TITLE('/app/deep.jar'));
    expect(m.warnings[0]).toMatch(
      /lib\/level49\.jar!\/lib\/level48\.jar!\/lib\/level47\.jar!\/lib\/level46\.jar!\/lib\/level45\.jar: nested deeper than 4 archives, not read/,
    );
  });

  it('zip64 end record claiming 2^31 entries', async () => {
    const m = await scan('hostile/zip64', layersOf('zip64 entry count'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toEqual([expect.stringMatching(/z64\.jar.*not read: claims 2147483648 entries, but its 66-byte central directory holds at most 1$/)]);
  });

  it('rpm ndb header with 60,000 string arrays claiming 2^32-1 strings each', async () => {
    const m = await scan('hostile/ndb', layersOf('rpm ndb string-array count'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toEqual([
      expect.stringMatching(/\/var\/lib\/rpm\/Packages\.db .*rpm-db-cataloger: record skipped: rpm header tag 1049 claims 4294967295 strings in \d+ bytes$/),
    ]);
  });

  it('BerkeleyDB overflow chain that loops, referenced by 100 values: 10 annotations, then a count', async () => {
    const m = await scan('hostile/bdb', layersOf('BerkeleyDB overflow loop'));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    // every value's chain revisits page 2; the cataloger reports 10 and
    // counts the other 90 in one more problem, of which the step shows 10
    // annotations and counts the last
    expect(m.warnings).toHaveLength(11);
    expect(m.warnings.slice(0, 10).every((w) => w.includes(SCAN_TITLE('/var/lib/rpm/Packages')))).toBe(true);
    expect(m.warnings[0]).toMatch(/rpm-db-cataloger: record skipped: page 1 item 1: overflow chain revisits page 2 \(a loop, or pages shared by two values\)$/);
    expect(m.warnings[10]).toMatch(/^::warning title=SBOM scan::1 more SBOM scanner problem not shown here/);
    expect(m.run.stdout).toContain('90 more records skipped');
  });

  it('dpkg status with 400,000 stanzas: one ::error:: naming the component limit, nothing signed', async () => {
    const before = await (await stackLib()).getStats(stack);
    const m = await scan('hostile/dpkg', layersOf('dpkg 400,000 stanzas'));
    endedWithin(m);
    expect(m.run.code).toBe(1);
    expect(errorLines(m.run)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^::error::cannot generate a complete SBOM for .*hostile\/dpkg@sha256:\w+: \/var\/lib\/dpkg\/status \(layer sha256:\w+\) lists more than ${MAX_COMPONENTS} packages \(the SBOM component limit\); pass your own SBOM with the sbom input, or sbom: false$`,
        ),
      ),
    ]);
    expect(m.run.outputs['sbom-bundle'] ?? '').toBe('');
    const after = await (await stackLib()).getStats(stack);
    expect([after['fulcio'], after['rekorPost']]).toEqual([before['fulcio'], before['rekorPost']]);
  });

  it('300,000 symbolic links: one ::error:: naming the layer and the limit', async () => {
    const m = await scan('hostile/symlinks', layersOf('300,000 symlinks'));
    endedWithin(m);
    expect(m.run.code).toBe(1);
    expect(errorLines(m.run)).toEqual([
      expect.stringMatching(
        new RegExp(String.raw`^::error::cannot generate a complete SBOM for .*: layer sha256:\w+: at /l/${MAX_SYMLINKS}, more than ${MAX_SYMLINKS} symbolic links`),
      ),
    ]);
  });

  it('100,000 package.json files: one ::error:: naming the memory limit', async () => {
    const m = await scan('hostile/pkgfiles', layersOf('100,000 package.json'));
    endedWithin(m);
    expect(m.run.code).toBe(1);
    expect(errorLines(m.run)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^::error::cannot generate a complete SBOM for .*: layer sha256:\w+: at /n/${MAX_KEPT_FILES}/package\.json, more than ${MAX_KEPT_FILES} package files`,
        ),
      ),
    ]);
  });

  it('60,000 whiteouts over 120,000 lower paths (quadratic before): the one surviving package, no warning', async () => {
    const m = await scan('hostile/whiteouts', whiteoutLayers(60_000));
    endedWithin(m);
    expect(m.run.code).toBe(0);
    expect(m.warnings).toEqual([]);
    const doc = JSON.parse(readFileSync(m.run.outputs['sbom-path'] as string, 'utf8')) as { components: { name: string }[] };
    expect(doc.components.map((c) => c.name)).toEqual(['survivor']);
  });

  it(`at the component limit (${MAX_COMPONENTS} dpkg packages), a legitimate worst case still fits`, async () => {
    const m = await scan('hostile/limit', [dpkgLayer(MAX_COMPONENTS)]);
    endedWithin(m);
    expect(errorLines(m.run)).toEqual([]);
    expect(m.run.code).toBe(0);
    const doc = JSON.parse(readFileSync(m.run.outputs['sbom-path'] as string, 'utf8')) as { components: unknown[] };
    expect(doc.components).toHaveLength(MAX_COMPONENTS);
  });
});
