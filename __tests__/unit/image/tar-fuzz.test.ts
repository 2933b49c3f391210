// Generation and mutation fuzzing of the tar reader against Go's archive/tar.
// A fixed seed makes every run the same sequence of archives; the loop stops
// at a time budget (TAR_FUZZ_SECONDS, default 30) or TAR_FUZZ_MAX archives.
// Each archive is built from tar pieces that matter to a reader (every entry
// type, pax/global/long-name meta headers with good and bad records, all four
// sparse encodings, zero blocks, prefixes, base-256 numbers), then mutated
// (bytes in header fields with the checksum fixed up or not, truncation,
// block insertion, deletion and duplication). Where Go lists entries we must
// list the same ones with the same content; where Go fails, we must fail at
// the same entry.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparable, goListMany, goTarlist, nodeList } from '../helpers/tarlist.js';
import { archive, rng } from '../helpers/tarfuzz.js';

const SEED = Number(process.env['TAR_FUZZ_SEED'] ?? 0x5eed7a12);
const SECONDS = Number(process.env['TAR_FUZZ_SECONDS'] ?? 30);
const MAX_ARCHIVES = Number(process.env['TAR_FUZZ_MAX'] ?? 100_000);
const BATCH = 250;
const MAX_CONTENT = 1 << 20; // larger entries end the listing ("toobig") on both sides

// A global pax header whose records include a bad one gets its path from
// the record or from the header depending on Go's random map order; only the
// name of such entries is left out of the comparison.
function fuzzComparable(lines: string[]): string[] {
  return comparable(lines).map((l) => (l.split('\t')[1] === 'g' ? l.replace(/^[^\t]*/, '*') : l));
}

beforeAll(() => {
  goTarlist();
}, 120_000);

describe('tar reader fuzzing against Go', () => {
  it(
    `lists what Go lists for every generated and mutated archive (seed ${SEED}, ${SECONDS} s)`,
    async () => {
      const r = rng(SEED);
      const started = performance.now();
      const outcomes = { end: 0, error: 0, toobig: 0 };
      let count = 0;
      let entries = 0;
      const time = { generate: 0, go: 0, ours: 0 };
      while (count < MAX_ARCHIVES && performance.now() - started < SECONDS * 1000) {
        let t = performance.now();
        const batch = Array.from({ length: BATCH }, () => archive(r));
        time.generate += performance.now() - t;
        t = performance.now();
        const go = await goListMany(batch, MAX_CONTENT);
        time.go += performance.now() - t;
        t = performance.now();
        for (const [i, a] of batch.entries()) {
          const want = fuzzComparable(go[i]!);
          const got = fuzzComparable(await nodeList(a, r.pick([61, 512, 4096, 1 << 20]), MAX_CONTENT));
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            const file = join(mkdtempSync(join(tmpdir(), 'tar-fuzz-')), `case-${count + i}.tar`);
            writeFileSync(file, a);
            console.log(`tar fuzz mismatch (seed ${SEED}, archive ${count + i}) saved to ${file}\ngo:\n${go[i]!.join('\n')}\nours:\n${got.join('\n')}`);
          }
          expect(got).toEqual(want);
          const last = want.at(-1)!;
          outcomes[last === 'end' ? 'end' : last === 'error' ? 'error' : 'toobig']++;
          entries += want.length - 1;
        }
        time.ours += performance.now() - t;
        count += batch.length;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `tar fuzz: seed ${SEED}, ${count} archives (${outcomes.end} read to the end, ${outcomes.error} refused, ${outcomes.toobig} over ${MAX_CONTENT} bytes), ${entries} entries, ${seconds} s (generating ${(time.generate / 1000).toFixed(1)} s, Go ${(time.go / 1000).toFixed(1)} s, ours and comparing ${(time.ours / 1000).toFixed(1)} s)`,
      );
      expect(count).toBeGreaterThanOrEqual(BATCH);
      // The generator must reach both outcomes often, or the comparison proves little.
      expect(outcomes.end).toBeGreaterThan(count / 10);
      expect(outcomes.error).toBeGreaterThan(count / 10);
    },
    (SECONDS + 90) * 1000,
  );
});
