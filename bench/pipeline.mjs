#!/usr/bin/env node
// Pipeline latency benchmark (not a test; it asserts no times). Starts the
// offline stack, puts a latency proxy (test/stack/latency-proxy.mjs) in front of
// the registry and of every Sigstore service origin, and runs, interleaved,
//   action   the bundled action (dist/index.js) as a runner runs it, default
//            inputs: sign + provenance + SBOM, attach both
//   cosign3  real cosign v3 doing the same work: sign, attest provenance,
//            attest the SBOM (Sigstore bundles as referrers; signing config)
//   cosign2  real cosign v2, the same three commands (.sig/.att tags)
// each on a fresh repository holding the same fixture image (same digest, no
// attachments yet, so every run does the same work), at every delay.
// Prints median wall, CPU and idle times, request counts per service, the
// latency cost in round trips ((T(D) - T(0)) / D, and the time some response
// was held back / D, which a loaded machine does not inflate), the
// cosign/action ratios, the request sequence of one run at the largest delay,
// and one JSON line at the end.
//
// Usage: node_modules/.bin/node bench/pipeline.mjs [--runs 5] [--delays 0,50]
//          [--tools action,cosign3,cosign2] [--real] [--tsa] [--connect-rtt] [--trace TOOL | --no-trace]
//          [--dist-b DIR]   (a second build, tool action-b, interleaved with the first)
//          [--tools action,action-tags,cosign2]   (action-tags: attach: tags, cosign v2's output, like for like)
//          [--cpu-prof DIR] (a V8 CPU profile of every action run, in DIR)
//   --connect-rtt: a new connection's first response is held back one D more (a handshake)
//   BENCH_DIST=/path/to/dist   benchmark another build of the action (its
//                              action.yml is read from the dist's parent when present)
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { cosignHome, cosignPath } from '../test/harness/producers.mjs';
import { ROOT, errorLines, runAction } from '../test/harness/runner.mjs';
import { startLatencyProxy } from '../test/stack/latency-proxy.mjs';
import { missingRealTools, pushFixtureImage, startStack } from '../test/stack/stack.mjs';
import { countByService, exposedDelayMs, inFlightMs, median, sequence, SERVICES, traceLines } from './request-log.mjs';

// ---------- options ----------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const RUNS = Number(option('runs', '5'));
const DELAYS = option('delays', '0,50').split(',').map(Number);
// --dist-b DIR: a second build of the action, run interleaved with the first as tool action-b
// (before and after a change, measured under the same load).
const DIST_B = option('dist-b', undefined);
const TOOLS = option('tools', DIST_B ? 'action,action-b,cosign3,cosign2' : 'action,cosign3,cosign2').split(',');
const REAL = flag('real');
const TSA = flag('tsa');
// Whose request sequence to print (one run at the largest delay).
const TRACE = flag('no-trace') ? undefined : option('trace', 'action');
// --cpu-prof DIR: every action run writes a V8 CPU profile there (named by tool and delay), to see where its CPU time goes.
const CPU_PROF = option('cpu-prof', undefined);
const delayOf = (ref) => /-d(\d+)-/.exec(ref)?.[1] ?? 'warmup';
// A new connection's first response waits one D more, as a TCP handshake would (off by default: per request only).
const CONNECT_RTT = flag('connect-rtt');
if (!(RUNS >= 1) || DELAYS.some((d) => !(d >= 0)) || !DELAYS.includes(0)) {
  console.error(
    'usage: pipeline.mjs [--runs N>=1] [--delays 0,50 (must include 0)] [--tools action,cosign3,cosign2] [--real] [--tsa] [--connect-rtt] [--trace TOOL | --no-trace] [--dist-b DIR] [--cpu-prof DIR]',
  );
  process.exit(2);
}
const isAction = (tool) => tool.startsWith('action');
// action-tags: the same build with `attach: tags`, the .sig/.att tags alone (what cosign v2 writes), for a like-for-like ratio with cosign2.
const KNOWN = ['action', ...(DIST_B ? ['action-b'] : []), 'action-tags', 'cosign3', 'cosign2'];
for (const t of TOOLS) if (!KNOWN.includes(t)) throw new Error(`unknown tool ${t}; use ${KNOWN.join(',')}`);
const D = Math.max(...DELAYS);

// ---------- what it needs ----------

const work = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
const log = (...a) => console.error(...a);

const cosigns = TOOLS.filter((t) => t.startsWith('cosign'));
const actions = TOOLS.filter(isAction);
const realTools = REAL ? ['fulcio', 'trillian-log-server', 'trillian-log-signer', 'createtree', 'rekor-server', 'ct-server', 'timestamp-server'] : [];
if (cosigns.length || realTools.length) {
  // Links the tools when they are built in the cache; builds them on a fresh machine.
  execFileSync('bash', [join(ROOT, 'scripts/install-tools.sh'), ...cosigns, ...realTools], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
if (REAL && missingRealTools().length) throw new Error(`--real: missing ${missingRealTools().join(', ')}`);

// The action under test: BENCH_DIST, or this clone's dist/ (built when absent).
const distDir = resolve(process.env.BENCH_DIST ?? join(ROOT, 'dist'));
if (!process.env.BENCH_DIST && !existsSync(join(distDir, 'index.js'))) {
  execFileSync('bash', [join(ROOT, 'scripts/build.sh')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
const DISTS = { action: distDir, ...(DIST_B ? { 'action-b': resolve(DIST_B) } : {}), ...(TOOLS.includes('action-tags') ? { 'action-tags': distDir } : {}) };
// runAction runs ROOT/<action>/action.yml's main: a throwaway action directory
// per build under test, each with the action.yml beside that dist/ (else this
// clone's) and the build copied (a rebuild there during the bench cannot mix
// two builds; this clone's own dist/ is linked).
const actionDirs = {};
for (const [tool, dir] of Object.entries(DISTS)) {
  if (!existsSync(join(dir, 'index.js'))) throw new Error(`${dir}/index.js not found (BENCH_DIST and --dist-b must name a built dist/ directory)`);
  const actionDir = (actionDirs[tool] = join(work, tool));
  mkdirSync(actionDir);
  const actionYml = existsSync(join(dirname(dir), 'action.yml')) ? join(dirname(dir), 'action.yml') : join(ROOT, 'action.yml');
  copyFileSync(actionYml, join(actionDir, 'action.yml'));
  if (dir === join(ROOT, 'dist')) symlinkSync(dir, join(actionDir, 'dist'));
  else cpSync(dir, join(actionDir, 'dist'), { recursive: true });
}
// Which build each one was: the bundle's hash and time, as copied (a directory can be rebuilt between runs).
const builds = Object.fromEntries(
  Object.keys(DISTS).map((tool) => {
    const file = join(actionDirs[tool], 'dist', 'index.js');
    return [tool, { dist: DISTS[tool], sha256: createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12), mtime: statSync(file).mtime.toISOString() }];
  }),
);

// ---------- stack and proxies ----------

// CPU time (user + system) of this process's finished children, from /proc/self/stat's cutime and
// cstime: around one run, the CPU the tool's processes used, which the machine's load does not inflate.
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
}

function runCommand(file, args, env) {
  return new Promise((done) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => (out += `\n${e.message}`));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : -1), out }));
  });
}

log(`bench: starting the ${REAL ? 'real' : 'stand-in'} stack`);
const stack = await startStack({ stateDir: join(work, 'stack'), real: REAL });
const proxies = new Map(); // upstream origin → latency proxy
let failure;
try {
  await bench();
} catch (e) {
  failure = e;
} finally {
  await Promise.all([...proxies.values()].map((p) => p.close()));
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
if (failure) {
  console.error(`bench: ${failure.stack ?? failure}`);
  process.exit(1);
}

async function bench() {
  // One proxy per upstream origin: the registry, and each Sigstore origin (one for the stand-in).
  const proxyFor = async (url) => {
    const origin = new URL(url).origin;
    if (!proxies.has(origin)) proxies.set(origin, await startLatencyProxy({ target: origin, name: origin === stack.registryURL ? 'registry' : 'sigstore' }));
    return proxies.get(origin);
  };
  const via = async (url) => url.replace(new URL(url).origin, (await proxyFor(url)).url);
  const registry = await proxyFor(stack.registryURL);
  const urls = {
    fulcio: await via(stack.fulcioURL),
    rekor: await via(stack.rekorURL),
    tsa: await via(stack.tsaURL),
    tsaTimestamp: await via(stack.tsaTimestampURL),
    token: await via(stack.tokenURL),
  };
  const all = () => [...proxies.values()];
  const setDelay = (ms, connectMs = 0) => all().forEach((p) => p.setDelay(ms, connectMs));
  const resetLogs = () => all().forEach((p) => p.reset());
  const collectLog = () =>
    all()
      .flatMap((p) => p.log())
      .sort((a, b) => a.start - b.start);

  // cosign v3's signing config: this stack's services through the proxies (a TSA only with --tsa).
  const signingConfig = JSON.parse(readFileSync(stack.signingConfig, 'utf8'));
  if (!TSA) signingConfig.tsaUrls = [];
  let scText = JSON.stringify(signingConfig);
  for (const [origin, p] of proxies) scText = scText.replaceAll(origin, p.url);
  const proxiedSigningConfig = join(work, 'signing_config.v0.2.json');
  writeFileSync(proxiedSigningConfig, scText);

  // ---------- one run of each tool ----------

  let repoSeq = 0;
  // The same fixture image (same digest) in a fresh repository: nothing attached yet.
  const freshImage = (tool, delay) => pushFixtureImage(stack, `bench/${tool}-d${delay}-${++repoSeq}`, 'v1');
  // Its reference through the registry proxy.
  const proxied = (img) => `${registry.host}/${img.name.slice(img.name.indexOf('/') + 1)}@${img.digest}`;

  const tokenEnv = { ACTIONS_ID_TOKEN_REQUEST_URL: urls.token, ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.requestToken };
  // action.yml's defaults (sign, provenance, SBOM cyclonedx, attach both) plus the stack's services.
  const actionInputs = (ref, tool) => ({
    images: ref,
    ...(tool === 'action-tags' ? { attach: 'tags' } : {}),
    'fulcio-url': urls.fulcio,
    'rekor-url': urls.rekor,
    'trusted-root': stack.trustedRoot,
    ...(TSA ? { 'tsa-url': urls.tsa } : {}),
  });

  /** Runs the action; `keep(run)` may read its RUNNER_TEMP files before they are removed. */
  async function runTheAction(tool, ref, keep) {
    const started = Date.now();
    const prof = CPU_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(CPU_PROF)} --cpu-prof-name=${tool}-d${delayOf(ref)}-${Date.now()}.cpuprofile` } : {};
    const run = await runAction({ action: relative(ROOT, actionDirs[tool]), inputs: actionInputs(ref, tool), env: { ...tokenEnv, ...prof } });
    try {
      const errors = errorLines(run);
      if (run.code !== 0 || errors.length) throw new Error(`${tool} exited ${run.code}: ${errors.join(' | ') || run.stdout.slice(-2000) + run.stderr.slice(-2000)}`);
      keep?.(run);
    } finally {
      rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
    }
    return { ms: run.ms, started };
  }

  // On a connection of its own, as a new cosign process would open one.
  function githubToken() {
    return new Promise((resolve, reject) => {
      const req = http.get(`${urls.token}&audience=sigstore`, { agent: false, headers: { Authorization: `Bearer ${stack.requestToken}` } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body).value) : reject(new Error(`token endpoint: ${res.statusCode}`))));
      });
      req.on('error', reject);
    });
  }

  const homes = {};
  function cosignFlags(tool) {
    const trust = ['--trusted-root', stack.trustedRoot];
    // v3: Sigstore bundles as OCI referrers, services from the (proxied) signing config.
    if (tool === 'cosign3') return ['--signing-config', proxiedSigningConfig, ...trust];
    // v2: .sig/.att tags, services named one by one.
    return ['--fulcio-url', urls.fulcio, '--rekor-url', urls.rekor, ...trust, ...(TSA ? ['--timestamp-server-url', urls.tsaTimestamp] : [])];
  }
  let predicates; // cosign --type → predicate file, from the warm-up run

  async function runCosign(tool, ref) {
    homes[tool] ??= cosignHome(stack, mkdtempSync(join(work, `${tool}-home-`)));
    const bin = cosignPath(tool);
    const commands = [['sign'], ...Object.entries(predicates).map(([type, file]) => ['attest', '--type', type, '--predicate', file])];
    const started = Date.now();
    for (const [command, ...extra] of commands) {
      // A fresh GitHub token per command, through the proxy and timed, as cosign's github-actions
      // provider would fetch it (that provider does not pick up this stack's token URL, so it is passed in).
      const token = await githubToken();
      const r = await runCommand(bin, [command, '--yes', '--identity-token', token, ...cosignFlags(tool), ...extra, ref], homes[tool].env);
      if (r.code !== 0) throw new Error(`${tool} ${command} ${extra.join(' ')} exited ${r.code}:\n${r.out.slice(-3000)}`);
    }
    return { ms: Date.now() - started, started };
  }

  const runTool = (tool, ref) => (isAction(tool) ? runTheAction(tool, ref) : runCosign(tool, ref));

  // ---------- warm-up ----------

  // One action run (not measured) warms the page cache and gives cosign the
  // action's own provenance predicate and CycloneDX SBOM, so both tools log and
  // attach documents of the same size.
  setDelay(0);
  log(`bench: warm-up run of ${actions[0] ?? 'action'}`);
  const predicateDir = join(work, 'predicates');
  mkdirSync(predicateDir);
  await runTheAction(actions[0] ?? 'action', proxied(await freshImage('warmup', 0)), (run) => {
    const bundle = JSON.parse(readFileSync(run.outputs['provenance-bundle'], 'utf8'));
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    predicates = { slsaprovenance1: join(predicateDir, 'provenance.json'), cyclonedx: join(predicateDir, 'cyclonedx.json') };
    writeFileSync(predicates.slsaprovenance1, JSON.stringify(statement.predicate));
    copyFileSync(run.outputs['sbom-path'], predicates.cyclonedx);
  });
  for (const tool of [...actions.slice(1), ...cosigns]) {
    log(`bench: warm-up run of ${tool}`);
    await runTool(tool, proxied(await freshImage(`warmup-${tool}`, 0)));
  }

  // ---------- measured runs, interleaved ----------

  const results = Object.fromEntries(TOOLS.map((t) => [t, Object.fromEntries(DELAYS.map((d) => [d, []]))]));
  let trace; // the request log of one run of TRACE at the largest delay
  const kinds = {}; // tool → the request log of its first run at the largest delay
  for (let rep = 0; rep < RUNS; rep++) {
    // Alternate the delay order and rotate the tools, so drift on a noisy machine hits all alike.
    const delays = rep % 2 ? [...DELAYS].reverse() : DELAYS;
    const tools = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length]);
    for (const delay of delays) {
      for (const tool of tools) {
        const img = await freshImage(tool, delay);
        setDelay(delay, CONNECT_RTT ? delay : 0);
        resetLogs();
        const cpu0 = childrenCpuMs();
        const { ms, started } = await runTool(tool, proxied(img));
        const cpuMs = childrenCpuMs() - cpu0;
        const entries = collectLog();
        const connections = all().reduce((n, p) => n + p.connections(), 0);
        setDelay(0);
        const { waves, chain } = sequence(entries);
        const exposed = delay > 0 ? +(exposedDelayMs(entries) / delay).toFixed(1) : 0;
        const idleMs = ms - inFlightMs(entries);
        results[tool][delay].push({ ms, cpuMs, idleMs, requests: countByService(entries), connections, waves, chain, exposed });
        if (delay === D) kinds[tool] ??= entries;
        if (tool === TRACE && delay === D && !trace) trace = { started, entries };
        log(
          `bench: run ${rep + 1}/${RUNS} ${tool.padEnd(7)} D=${String(delay).padStart(3)} ms  ${(ms / 1000).toFixed(2)} s (CPU ${(cpuMs / 1000).toFixed(2)} s, idle ${(idleMs / 1000).toFixed(2)} s)  ${entries.length} requests on ${connections} connections, ${waves} waves, chain ${chain}${delay ? `, exposed ${exposed} round trips` : ''}`,
        );
      }
    }
  }

  // ---------- report ----------

  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const summary = {};
  for (const tool of TOOLS) {
    const s = (summary[tool] = {
      medianMs: {},
      minMs: {},
      maxMs: {},
      cpuMs: {},
      idleMs: {},
      requests: {},
      waves: {},
      chain: {},
      connections: {},
      roundTrips: {},
      roundTripsPaired: {},
      exposed: {},
    });
    for (const d of DELAYS) {
      const rs = results[tool][d];
      s.medianMs[d] = median(rs.map((r) => r.ms));
      s.minMs[d] = Math.min(...rs.map((r) => r.ms));
      s.maxMs[d] = Math.max(...rs.map((r) => r.ms));
      s.cpuMs[d] = median(rs.map((r) => r.cpuMs));
      s.idleMs[d] = median(rs.map((r) => r.idleMs));
      s.requests[d] = Object.fromEntries(SERVICES.map((svc) => [svc, median(rs.map((r) => r.requests[svc]))]));
      s.connections[d] = median(rs.map((r) => r.connections));
      s.waves[d] = median(rs.map((r) => r.waves));
      s.chain[d] = median(rs.map((r) => r.chain));
    }
    for (const d of DELAYS.filter((x) => x > 0)) {
      s.roundTrips[d] = +((s.medianMs[d] - s.medianMs[0]) / d).toFixed(1);
      // Paired: each repetition's T(D) - T(0), run close together, so slow spells of the machine cancel more.
      s.exposed[d] = median(results[tool][d].map((r) => r.exposed));
      s.roundTripsPaired[d] = +(median(results[tool][d].map((r, i) => r.ms - results[tool][0][i].ms)) / d).toFixed(1);
    }
  }
  // cosign/action for every pair, and action/action-b (how much faster the second build is).
  const ratios = {};
  const ratio = (a, b) => Object.fromEntries(DELAYS.map((d) => [d, +(summary[a].medianMs[d] / summary[b].medianMs[d]).toFixed(2)]));
  for (const a of actions) for (const c of cosigns) ratios[`${c}/${a}`] = ratio(c, a);
  if (actions.length === 2) ratios[`${actions[0]}/${actions[1]}`] = ratio(actions[0], actions[1]);

  const out = (line = '') => console.log(line);
  out(
    `\npipeline bench: ${REAL ? 'real Sigstore services' : 'Sigstore stand-in'}${TSA ? ' + TSA' : ''}${CONNECT_RTT ? ', +D per new connection' : ''}, ${RUNS} runs per tool and delay`,
  );
  for (const a of actions) out(`  ${a} = ${builds[a].dist} (index.js sha256 ${builds[a].sha256}…, ${builds[a].mtime})`);
  out("median wall time (min-max); median CPU time (user + system, all the tool's processes) and idle time (no request in flight) at each delay:");
  for (const tool of TOOLS) {
    const s = summary[tool];
    out(
      `  ${tool.padEnd(8)} ${DELAYS.map((d) => `D=${d} ms ${fmt(s.medianMs[d])} (${fmt(s.minMs[d])}-${fmt(s.maxMs[d])})`).join('   ')}   CPU ${DELAYS.map((d) => fmt(s.cpuMs[d])).join(' / ')}   idle ${DELAYS.map((d) => fmt(s.idleMs[d])).join(' / ')}`,
    );
  }
  out(`requests per run (median) at D=${D} ms; waves / chain: overlapping groups / longest run of back-to-back requests:`);
  out(`  ${'tool'.padEnd(8)}${SERVICES.map((s) => s.padStart(9)).join('')}    waves  chain  connections`);
  for (const tool of TOOLS) {
    const s = summary[tool];
    out(
      `  ${tool.padEnd(8)}${SERVICES.map((svc) => String(s.requests[D][svc]).padStart(9)).join('')}    ${String(s.waves[D]).padStart(5)}  ${String(s.chain[D]).padStart(5)}  ${String(s.connections[D]).padStart(11)}`,
    );
    if (DELAYS.some((d) => JSON.stringify(s.requests[d]) !== JSON.stringify(s.requests[D])))
      out(`    (${tool}'s request counts differ between delays: ${JSON.stringify(s.requests)})`);
  }
  out('latency cost in round trips, (T(D) - T(0)) / D; exposed = time some response was held back / D, immune to CPU noise:');
  for (const tool of TOOLS) {
    const s = summary[tool];
    out(
      `  ${tool.padEnd(8)} ${Object.entries(s.roundTrips)
        .map(([d, n]) => `D=${d} ms: ${n} (median of per-repetition differences ${s.roundTripsPaired[d]}; exposed to ${s.exposed[d]})`)
        .join('   ')}`,
    );
  }
  for (const [pair, r] of Object.entries(ratios)) out(`time ratio ${pair}: ${DELAYS.map((d) => `D=${d} ms: ${r[d]}x`).join('   ')}`);

  out(`requests by kind (one run at D=${D} ms):`);
  for (const [tool, entries] of Object.entries(kinds)) {
    const by = {};
    for (const e of entries) by[`${e.method} ${e.class}`] = (by[`${e.method} ${e.class}`] ?? 0) + 1;
    out(
      `  ${tool.padEnd(8)} ${Object.entries(by)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  }

  if (trace) {
    out(`\nrequests of one ${TRACE} run at D=${D} ms (ms from its start, start-end; L = level in the chain of back-to-back requests):`);
    for (const line of traceLines(trace.entries, trace.started)) out(`  ${line}`);
  }

  out(
    JSON.stringify({
      bench: 'pipeline',
      dist: distDir,
      builds,
      real: REAL,
      tsa: TSA,
      connectRtt: CONNECT_RTT,
      runs: RUNS,
      delays: DELAYS,
      summary,
      ratios,
      samples: Object.fromEntries(TOOLS.map((t) => [t, Object.fromEntries(DELAYS.map((d) => [d, results[t][d].map((r) => r.ms)]))])),
      cpuSamples: Object.fromEntries(TOOLS.map((t) => [t, Object.fromEntries(DELAYS.map((d) => [d, results[t][d].map((r) => r.cpuMs)]))])),
    }),
  );
}
