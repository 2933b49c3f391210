// Peak RSS of a child Node process, measured inside it: loaded with
// `--import` (see peakRssEnv), it writes its VmHWM (KiB) to PEAK_RSS_FILE
// when the process exits. Not resourceUsage().maxRSS: on Linux ru_maxrss
// survives fork+exec, so a child of a big jest worker would report the
// worker's peak. A process killed before exiting writes nothing, which
// readPeakRssMB reports as a failure. Also used by test/hostile (bench and e2e).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = process.env.PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(peakKB())));

function peakKB() {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
}

// The environment that makes a child Node process report its peak RSS to `file`.
export function peakRssEnv(file) {
  return { NODE_OPTIONS: `--import=${fileURLToPath(import.meta.url)}`, PEAK_RSS_FILE: file };
}

// The child's peak RSS in MB (the file holds KiB).
export function readPeakRssMB(file) {
  if (!existsSync(file)) throw new Error(`the child wrote no peak RSS to ${file}: it did not exit normally`);
  return Number(readFileSync(file, 'utf8')) / 1024;
}
