// Side-by-side package sets: our generator (the bundled CLI) and syft on the
// same OCI layout, compared per ecosystem (purl type) by (name, version).
// Used by __tests__/e2e/syft-parity.test.ts and runnable by hand:
//   node test/harness/syft-parity.mjs FIXTURES_DIR [IMAGE...]   (prints the table and the differences)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// build.py's images, and metadata-image.py's (license and version edge cases)
export const IMAGES = ['debian', 'alpine', 'rpm-sqlite', 'rpm-bdb', 'rpm-ndb', 'go', 'java', 'metadata'];

/** Builds every fixture image's layers into dir (needs test/fixtures/sbom/APT_PACKAGES, as build.py does). */
export function buildFixtures(dir) {
  execFileSync('python3', [join(ROOT, 'test/fixtures/sbom/build.py'), dir], { stdio: 'inherit' });
  execFileSync('python3', [join(ROOT, 'test/fixtures/sbom/metadata-image.py'), join(dir, 'metadata')], { stdio: 'inherit' });
}

const MEDIA = {
  '.tar.gz': 'application/vnd.oci.image.layer.v1.tar+gzip',
  '.tar.zst': 'application/vnd.oci.image.layer.v1.tar+zstd',
  '.tar': 'application/vnd.oci.image.layer.v1.tar',
};
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Wraps a fixture's layers (test/fixtures/sbom/build.py output) in an OCI layout tagged `latest`. */
export function fixtureLayout(fixtureDir, layoutDir) {
  rmSync(layoutDir, { recursive: true, force: true });
  const blobs = join(layoutDir, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const putBlob = (bytes) => {
    const d = sha(bytes);
    writeFileSync(join(blobs, d.slice(7)), bytes);
    return { digest: d, size: bytes.length };
  };
  const layers = JSON.parse(readFileSync(join(fixtureDir, 'layers.json'), 'utf8'));
  const descs = [];
  const diffIds = [];
  for (const l of layers) {
    const path = join(fixtureDir, l.file);
    const bytes = readFileSync(path);
    const ext = Object.keys(MEDIA).find((e) => l.file.endsWith(e));
    const raw = ext === '.tar.gz' ? gunzipSync(bytes) : ext === '.tar.zst' ? zstdDecompressSync(bytes) : bytes;
    diffIds.push(sha(raw));
    if (!existsSync(join(blobs, l.digest.slice(7)))) linkSync(path, join(blobs, l.digest.slice(7)));
    descs.push({ mediaType: MEDIA[ext], digest: l.digest, size: bytes.length });
  }
  const config = putBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds }, history: [] })));
  const manifest = putBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: descs,
      }),
    ),
  );
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layoutDir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
    }),
  );
  return layoutDir;
}

const purlType = (purl) => /^pkg:([^/]+)\//.exec(purl ?? '')?.[1] ?? '';

/** Our packages as {type, name, version, purl, licenses, cpes} from the bundled CLI's CycloneDX. */
export function ours(layoutDir) {
  const out = execFileSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'sbom', `oci-dir:${layoutDir}`, '-q', '-o', 'cyclonedx-json'], {
    maxBuffer: 256 << 20,
  });
  return oursFromCycloneDx(JSON.parse(out.toString()));
}

/** Our CycloneDX document's packages (the image's own component and the OS left out). */
export function oursFromCycloneDx(doc) {
  return (doc.components ?? [])
    .filter((c) => c.purl && !c.purl.startsWith('pkg:oci/'))
    .map((c) => ({
      type: purlType(c.purl),
      name: c.name,
      version: c.version ?? '',
      purl: c.purl,
      licenses: (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter(Boolean),
      cpes: c.cpe ? [c.cpe] : [],
    }));
}

/** syft's packages, same shape, from syft-json. */
export function syft(layoutDir, syftBin = join(ROOT, '.tools/bin/syft')) {
  const out = execFileSync(syftBin, ['scan', `oci-dir:${layoutDir}`, '-q', '-o', 'syft-json'], {
    maxBuffer: 256 << 20,
    env: { ...process.env, SYFT_CHECK_FOR_APP_UPDATE: 'false', SYFT_CACHE_DIR: join(layoutDir, '.syft-cache') },
  });
  return syftFromJson(JSON.parse(out.toString()));
}

/** syft-json's packages (artifacts: never its file components, which its CycloneDX lists too). */
export function syftFromJson(doc) {
  return (doc.artifacts ?? []).map((a) => ({
    type: purlType(a.purl),
    name: a.name,
    version: a.version ?? '',
    purl: a.purl ?? '',
    licenses: (a.licenses ?? []).map((l) => l.spdxExpression || l.value).filter(Boolean),
    cpes: (a.cpes ?? []).map((c) => (typeof c === 'string' ? c : c.cpe)),
    syftType: a.type,
    foundBy: a.foundBy,
  }));
}

const key = (p) => `${p.type}\t${p.name}\t${p.version}`;

/** Per ecosystem counts and the differences, as {image, side: 'ours'|'syft', type, name, version}. */
export function compare(image, oursPkgs, syftPkgs) {
  const a = new Map(oursPkgs.map((p) => [key(p), p]));
  const b = new Map(syftPkgs.map((p) => [key(p), p]));
  const table = {};
  const diffs = [];
  const row = (t) => (table[t] ??= { both: 0, ours: 0, syft: 0 });
  for (const [k, p] of a) {
    if (b.has(k)) row(p.type).both++;
    else {
      row(p.type).ours++;
      diffs.push({ image, side: 'ours', type: p.type, name: p.name, version: p.version });
    }
  }
  for (const [k, p] of b) {
    if (a.has(k)) continue;
    row(p.type || `(${p.syftType})`).syft++;
    diffs.push({ image, side: 'syft', type: p.type, name: p.name, version: p.version });
  }
  // for packages both list: the primary CPE and whether a license is given
  const cpes = [];
  const licenses = [];
  for (const [k, s] of b) {
    const o = a.get(k);
    if (!o) continue;
    if (s.cpes.length > 0 && o.cpes[0] !== s.cpes[0]) cpes.push({ image, type: s.type, name: s.name, syft: s.cpes[0], ours: o.cpes[0] ?? null });
    if (s.licenses.length > 0 && o.licenses.length === 0) licenses.push({ image, type: s.type, name: s.name, syft: s.licenses.join(' AND ') });
  }
  return { table, diffs, cpes, licenses };
}

export function formatTable(tables) {
  const lines = ['| image | ecosystem | both | only ours | only syft |', '|---|---|---|---|---|'];
  for (const [image, t] of Object.entries(tables))
    for (const [eco, r] of Object.entries(t).sort()) lines.push(`| ${image} | ${eco || '(none)'} | ${r.both} | ${r.ours} | ${r.syft} |`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [fixtures, ...only] = process.argv.slice(2);
  const tables = {};
  const all = [];
  for (const image of only.length ? only : IMAGES) {
    const layout = fixtureLayout(join(fixtures, image), join(fixtures, `${image}.oci`));
    const { table, diffs } = compare(image, ours(layout), syft(layout));
    tables[image] = table;
    all.push(...diffs);
  }
  console.log(formatTable(tables));
  console.log(JSON.stringify(all, null, 1));
}
