// Writes the third-party notices for what dist/ bundles: every non-dev
// package in package-lock.json with its license and the license text it
// ships. (ncc's own --license finds almost nothing in ESM mode.)
// Usage: node scripts/licenses.mjs OUT_FILE
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const seen = new Map();
for (const [path, meta] of Object.entries(lock.packages)) {
  if (!path || meta.dev || (meta.optional && !existsSync(join(root, path)))) continue;
  const dir = join(root, path);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const key = `${pkg.name}@${pkg.version}`;
  if (seen.has(key)) continue;
  const file = readdirSync(dir)
    .sort()
    .find((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '';
  const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  seen.set(key, `${key}\n${license}\n${text}`);
}
const out = [...seen.keys()]
  .sort()
  .map((k) => seen.get(k))
  .join('\n\n-----\n\n');
writeFileSync(process.argv[2], out + '\n');
