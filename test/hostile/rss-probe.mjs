// Preloaded into an action's process (NODE_OPTIONS=--import=…): on exit,
// writes the process's peak RSS in KiB to $RSS_PROBE_FILE. VmHWM, not
// resourceUsage().maxRSS: on Linux, ru_maxrss survives fork+exec, so a child
// of a big parent (a jest worker holding test layers) would report the
// parent's size.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.RSS_PROBE_FILE) return;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(process.env.RSS_PROBE_FILE, hwm ? hwm[1] : String(process.resourceUsage().maxRSS));
});
