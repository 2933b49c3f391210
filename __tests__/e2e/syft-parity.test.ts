import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildFixtures,
  compare,
  fixtureLayout,
  formatTable,
  IMAGES,
  ours,
  ROOT,
  syft,
  type CpeDiff,
  type LicenseDiff,
  type ParityDiff,
  type ParityPkg,
  type ParityTable,
} from '../../test/harness/syft-parity.mjs';

// Parity with syft, measured: the bundled CLI and syft scan the same OCI
// layouts of the SBOM fixture images; every difference in (ecosystem, name,
// version) must be listed with its reason in test/fixtures/sbom/syft-parity.json,
// and every listed one must still occur, so the file stays true.

interface Listed extends ParityDiff {
  reason: string;
}
const SYFT = join(ROOT, '.tools/bin/syft');
const listedFile = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sbom/syft-parity.json'), 'utf8')) as {
  differences: Listed[];
  cpe: (CpeDiff & { reason: string; dictionary?: boolean })[];
  licenses: (LicenseDiff & { reason: string })[];
};
// The fixtures' entries; the benchmark image's ("benchmark") are checked by bench/sbom.mjs.
const fixture = (d: { image: string }) => IMAGES.includes(d.image);
const file = { differences: listedFile.differences.filter(fixture), cpe: listedFile.cpe.filter(fixture), licenses: listedFile.licenses.filter(fixture) };
const expected = file.differences;
const id = (d: ParityDiff) => `${d.image} ${d.side} ${d.type} ${d.name}@${d.version}`;
const cpeId = (d: { image: string; type: string; name: string; syft: string }) => `${d.image} ${d.type} ${d.name} ${d.syft}`;
const licenseId = (d: { image: string; type: string; name: string; syft: string }) => `${d.image} ${d.type} ${d.name} ${d.syft}`;
const cpeDiffs: CpeDiff[] = [];
const licenseDiffs: LicenseDiff[] = [];

let work: string;
const scans = new Map<string, { ours: ParityPkg[]; syft: ParityPkg[] }>();
const diffs: ParityDiff[] = [];
const tables: Record<string, ParityTable> = {};

beforeAll(() => {
  if (!existsSync(SYFT)) throw new Error('syft is missing from .tools/bin: run bash scripts/install-tools.sh syft');
  work = mkdtempSync(join(tmpdir(), 'syft-parity-'));
  buildFixtures(work);
  for (const image of IMAGES) {
    const layout = fixtureLayout(join(work, image), join(work, `${image}.oci`));
    const scan = { ours: ours(layout), syft: syft(layout) };
    scans.set(image, scan);
    const { table, diffs: d, cpes, licenses } = compare(image, scan.ours, scan.syft);
    tables[image] = table;
    diffs.push(...d);
    cpeDiffs.push(...cpes);
    licenseDiffs.push(...licenses);
  }
  console.log(`parity with syft per ecosystem\n${formatTable(tables)}`);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('parity with syft on the SBOM fixtures', () => {
  it('has no difference that syft-parity.json does not list with a reason', () => {
    const listed = new Set(expected.map(id));
    expect(diffs.map(id).filter((d) => !listed.has(d))).toEqual([]);
  });

  it('lists no difference that no longer occurs', () => {
    const found = new Set(diffs.map(id));
    expect(expected.map(id).filter((d) => !found.has(d))).toEqual([]);
    for (const e of expected) expect(e.reason.length).toBeGreaterThan(20);
  });

  it('gives the primary CPE syft gives, except where syft-parity.json says why not (both ways)', () => {
    const listed = new Set(file.cpe.map(cpeId));
    const found = new Set(cpeDiffs.map(cpeId));
    expect(cpeDiffs.map(cpeId).filter((d) => !listed.has(d))).toEqual([]);
    expect(file.cpe.map(cpeId).filter((d) => !found.has(d))).toEqual([]);
    // where the primaries differ, ours is still one of syft's candidates (unless syft's came from its dictionary alone)
    const fromDictionary = new Set(file.cpe.filter((c) => c.dictionary).map(cpeId));
    for (const d of cpeDiffs.filter((c) => !fromDictionary.has(cpeId(c)))) {
      const s = scans.get(d.image)!.syft.find((p) => p.type === d.type && p.name === d.name)!;
      expect(s.cpes).toContain(d.ours);
    }
  });

  it('gives a license wherever syft gives one, except where syft-parity.json says why not (both ways)', () => {
    const listed = new Set(file.licenses.map(licenseId));
    const found = new Set(licenseDiffs.map(licenseId));
    expect(licenseDiffs.map(licenseId).filter((d) => !listed.has(d))).toEqual([]);
    expect(file.licenses.map(licenseId).filter((d) => !found.has(d))).toEqual([]);
  });

  it('finds packages in every ecosystem of every fixture on both sides', () => {
    for (const image of IMAGES) {
      expect(Object.values(tables[image]!).reduce((n, r) => n + r.both, 0)).toBeGreaterThan(0);
    }
  });
});
