#!/usr/bin/env node
// Hostile-layer measurements (not a test): for each class in
// test/hostile/layers.mjs, runs the SBOM generator bundled as the action
// bundles it (bench/sbom-entry.ts, mode "ours") in a child process and prints
// wall time, peak RSS (VmHWM: at exit via test/harness/peak-rss.mjs, polled for a killed child), components, SBOM size and how it ended.
// A child still running after KILL_S seconds is killed.
// Usage: node_modules/.bin/node bench/hostile.mjs [name-substring]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dpkgLayer, hostileLayers, whiteoutLayers } from '../test/hostile/layers.mjs';

const KILL_S = Number(process.env.KILL_S ?? 120);
const root = resolve(import.meta.dirname, '..');
const work = join(root, '.bench', 'hostile');
// DIST=dir measures another bundle of bench/sbom-entry.ts (e.g. one built from an older commit).
const dist = process.env.DIST ? resolve(process.env.DIST) : join(work, 'dist');
mkdirSync(work, { recursive: true });
const bin = join(root, 'node_modules', '.bin');
if (!process.env.NO_BUILD && !process.env.DIST) {
  execFileSync('bash', ['-c', `${bin}/ncc build bench/sbom-entry.ts -o ${dist} -q && bash scripts/postbuild-cyclonedx.sh ${dist}`], { cwd: root, stdio: 'inherit' });
}

const only = process.argv.slice(2);
// Not hostile: dpkg databases at sizes around the component limit, for what a legitimate worst case costs.
const list = (v) => (v ?? '').split(',').filter(Boolean);
const atLimit = Object.fromEntries(list(process.env.LIMIT_SIZES).map((n) => [`dpkg ${n} packages (limit)`, () => [dpkgLayer(Number(n))]]));
// WHITEOUTS=60000: more whiteouts than the issue's 20,000 (the e2e test uses 60,000).
const whiteouts = Object.fromEntries(list(process.env.WHITEOUTS).map((n) => [`${n} whiteouts`, () => whiteoutLayers(Number(n))]));
for (const [name, make] of Object.entries({ ...hostileLayers, ...atLimit, ...whiteouts })) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const slug = name.replace(/[^a-z0-9]+/gi, '-');
  const files = make().map((layer, i) => {
    const file = join(work, `${slug}-${i}.tar.gz`);
    writeFileSync(file, gzipSync(layer));
    return file;
  });
  const started = performance.now();
  const probe = join(work, `${slug}.rss`);
  rmSync(probe, { force: true });
  const r = await measure(join(bin, 'node'), [join(dist, 'index.js'), 'ours', ...files], {
    NODE_OPTIONS: `--import=${join(root, 'test/harness/peak-rss.mjs')}`,
    PEAK_RSS_FILE: probe,
  });
  if (existsSync(probe)) r.hwmKB = Math.max(r.hwmKB, Number(readFileSync(probe, 'utf8')));
  const seconds = (performance.now() - started) / 1000;
  const stderr = r.stderr.trim().split('\n');
  let outcome;
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    outcome = `${out.components} components, SBOM ${(out.bytes / 1e6).toFixed(2)} MB`;
  } catch {
    outcome = r.killed
      ? `killed after ${KILL_S} s`
      : `exit ${r.code}: ${stderr
          .filter((l) => /error|Error|limit/.test(l))
          .slice(0, 2)
          .join(' | ')
          .slice(0, 300)}`;
  }
  const warnings = stderr.filter((l) => /^(skipped|warning)/i.test(l));
  const layerBytes = files.map((f) => execFileSync('stat', ['-c', '%s', f]).toString().trim()).join('+');
  console.log(
    `${name.padEnd(28)} layer ${layerBytes} B gz  ${seconds.toFixed(1).padStart(6)} s  peak RSS ${(r.hwmKB / 1024).toFixed(0).padStart(5)} MB  ${outcome}${warnings.length ? `  [${warnings.length} warning lines: ${warnings[0].slice(0, 160)}]` : ''}`,
  );
}

// Runs a child, polling its peak RSS (VmHWM) so that a killed child still has a figure.
function measure(cmd, args, env) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let hwmKB = 0;
    let killed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
      } catch {
        // the child has exited between two samples
      }
    }, 50);
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_S * 1000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      done({ code, stdout, stderr, hwmKB, killed });
    });
  });
}
