// Peak RSS of a child Node process, measured inside it: loaded with
// `--import` (see peakRssEnv), it writes process.resourceUsage().maxRSS to
// PEAK_RSS_FILE when the process exits. A process killed before exiting
// writes nothing, which readPeakRssMB reports as a failure.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = process.env.PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));

// The environment that makes a child Node process report its peak RSS to `file`.
export function peakRssEnv(file) {
  return { NODE_OPTIONS: `--import=${fileURLToPath(import.meta.url)}`, PEAK_RSS_FILE: file };
}

// The child's peak RSS in MB (maxRSS is in KiB).
export function readPeakRssMB(file) {
  if (!existsSync(file)) throw new Error(`the child wrote no peak RSS to ${file}: it did not exit normally`);
  return Number(readFileSync(file, 'utf8')) / 1024;
}
