import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, fixtureLayout, formatTable, IMAGES, ours, ROOT, syft, type ParityDiff, type ParityPkg, type ParityTable } from '../../test/harness/syft-parity.mjs';

// Parity with syft, measured: the bundled CLI and syft scan the same OCI
// layouts of the SBOM fixture images; every difference in (ecosystem, name,
// version) must be listed with its reason in test/fixtures/sbom/syft-parity.json,
// and every listed one must still occur, so the file stays true.

interface Listed extends ParityDiff {
  reason: string;
}
const SYFT = join(ROOT, '.tools/bin/syft');
const expected = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sbom/syft-parity.json'), 'utf8')) as { differences: Listed[] }).differences;
const id = (d: ParityDiff) => `${d.image} ${d.side} ${d.type} ${d.name}@${d.version}`;

let work: string;
const scans = new Map<string, { ours: ParityPkg[]; syft: ParityPkg[] }>();
const diffs: ParityDiff[] = [];
const tables: Record<string, ParityTable> = {};

beforeAll(() => {
  if (!existsSync(SYFT)) throw new Error('syft is missing from .tools/bin: run bash scripts/install-tools.sh syft');
  work = mkdtempSync(join(tmpdir(), 'syft-parity-'));
  execFileSync('python3', [join(ROOT, 'test/fixtures/sbom/build.py'), work], { stdio: 'inherit' });
  for (const image of IMAGES) {
    const layout = fixtureLayout(join(work, image), join(work, `${image}.oci`));
    const scan = { ours: ours(layout), syft: syft(layout) };
    scans.set(image, scan);
    const { table, diffs: d } = compare(image, scan.ours, scan.syft);
    tables[image] = table;
    diffs.push(...d);
  }
  console.log(`parity with syft per ecosystem\n${formatTable(tables)}`);
}, 600_000);

afterAll(() => work && rmSync(work, { recursive: true, force: true }));

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

  it('finds packages in every ecosystem of every fixture on both sides', () => {
    for (const image of IMAGES) {
      expect(Object.values(tables[image]!).reduce((n, r) => n + r.both, 0)).toBeGreaterThan(0);
    }
  });
});
