// Preloaded into an action's process (NODE_OPTIONS=--import=…): on exit,
// writes the process's peak RSS in KiB to $RSS_PROBE_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.RSS_PROBE_FILE) writeFileSync(process.env.RSS_PROBE_FILE, String(process.resourceUsage().maxRSS));
});
