#!/usr/bin/env node
// A seeded fault-injecting HTTP reverse proxy for the offline stack: put one in
// front of the registry and one in front of fake-sigstore, point the action at
// the proxies, and a fixed fraction of requests misbehaves the way real
// networks and overloaded services do.
//
//   node test/stack/fault-proxy.mjs --target http://127.0.0.1:5000 [--seed 1] [--rate 0.25]
//        [--kinds 503,429,drop-request,drop-response] [--port 0]
//   prints one JSON ready line ({ready, url, host, port, pid}); GET /__proxy/stats on it.
//
// From tests (in-process): `const p = await startFaultProxy({target, seed}); ...; await p.close()`.
//
// Fault kinds (chosen with the same seeded PRNG):
//   503            answers 503 without forwarding
//   429            answers 429 with `Retry-After: <retryAfter>` (default 1 s) without forwarding
//   drop-request   reads the whole request, then destroys the socket; upstream never sees it
//   drop-response  forwards the request, lets upstream fully process it (a PUT manifest is
//                  stored, a Rekor entry is logged), reads the whole upstream response, then
//                  destroys the client socket before a byte of it is sent: the client cannot
//                  tell this from drop-request and must retry a write that already happened
//   truncate       like drop-response, but sends the status line, headers and about half of
//                  the body first (a connection lost mid-response); not in the default set
//   502            answers 502 without forwarding; not in the default set
//
// Determinism: every request is classified (manifest-put, rekor-post, ...). The decision for
// the n-th request of a given method+class is a pure function of (seed, method, class, n), so a
// seed reproduces the same faults on the same request streams however concurrent requests of
// different classes interleave.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEFAULT_KINDS = ['503', '429', 'drop-request', 'drop-response'];
export const ALL_KINDS = [...DEFAULT_KINDS, 'truncate', '502'];

/** mulberry32: a tiny deterministic PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FNV-1a over a string, to derive one PRNG seed per (seed, method, class, n).
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A coarse name for the request, used for stats and for seeding. */
export function classify(method, pathname) {
  if (pathname.startsWith('/v2/')) {
    if (pathname === '/v2/' || pathname === '/v2') return 'registry-ping';
    if (/\/manifests\/[^/]+$/.test(pathname)) return method === 'PUT' ? 'manifest-put' : method === 'DELETE' ? 'manifest-delete' : 'manifest-get';
    if (/\/blobs\/uploads\/?$/.test(pathname)) return 'blob-upload-start';
    if (/\/blobs\/uploads\/[^/]+$/.test(pathname)) return 'blob-upload-put';
    if (/\/blobs\/sha256:[0-9a-f]+$/.test(pathname)) return method === 'HEAD' ? 'blob-head' : 'blob-get';
    if (/\/referrers\/[^/]+$/.test(pathname)) return 'referrers';
    if (/\/tags\/list$/.test(pathname)) return 'tags-list';
    return 'registry-other';
  }
  if (pathname === '/api/v2/signingCert') return 'fulcio';
  if (pathname.startsWith('/api/v1/log/entries')) return method === 'POST' ? 'rekor-post' : 'rekor-get';
  if (pathname.startsWith('/api/v1/log')) return 'rekor-log';
  if (pathname.startsWith('/api/v1/timestamp')) return 'tsa';
  if (pathname.startsWith('/_apis/actions/oidc/token')) return 'oidc-token';
  if (pathname.startsWith('/.well-known/')) return 'oidc-discovery';
  if (pathname.startsWith('/__')) return 'hook';
  return 'other';
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function copyHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h)) if (!HOP_BY_HOP.has(k.toLowerCase()) && v !== undefined) out[k] = v;
  return out;
}

/**
 * Starts the proxy on 127.0.0.1.
 * @param {object} o
 * @param {string} o.target         upstream origin, e.g. http://127.0.0.1:5000
 * @param {number} [o.seed]         PRNG seed (default 1)
 * @param {number} [o.rate]         fraction of requests that get a fault (default 0.25)
 * @param {string[]} [o.kinds]      fault kinds to pick from (default DEFAULT_KINDS)
 * @param {number} [o.retryAfter]   Retry-After seconds on 429 (default 1)
 * @param {number} [o.port]         listen port (default 0: any free port)
 * @param {(method: string, cls: string, path: string) => boolean} [o.eligible]
 *                                  which requests may get faults (default: all but hooks)
 * @param {number} [o.maxConsecutive]  never fault more than this many requests of one
 *                                  method+class in a row (default 4), so a low budget cannot
 *                                  be exhausted by an unlucky streak
 */
export async function startFaultProxy({
  target,
  seed = 1,
  rate = 0.25,
  kinds = DEFAULT_KINDS,
  retryAfter = 1,
  port = 0,
  eligible = (_m, cls) => cls !== 'hook',
  maxConsecutive = 4,
} = {}) {
  if (!target) throw new Error('startFaultProxy: target is required');
  const upstream = new URL(target);
  for (const k of kinds) if (!ALL_KINDS.includes(k)) throw new Error(`unknown fault kind ${k}; use ${ALL_KINDS.join(', ')}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let cfg = { rate, kinds: [...kinds], retryAfter, always: undefined };

  const seq = new Map(); // method+class → requests seen
  const streak = new Map(); // method+class → consecutive faults
  let stats;
  const reset = () => {
    stats = { seed, rate: cfg.rate, requests: 0, forwarded: 0, faults: 0, byKind: {}, byClass: {}, requestsByClass: {}, log: [] };
    seq.clear();
    streak.clear();
  };
  reset();

  function decide(method, cls, pathname) {
    if (cfg.always) return cfg.always;
    if (!eligible(method, cls, pathname) || cfg.rate <= 0) return undefined;
    const key = `${method} ${cls}`;
    const n = seq.get(key) ?? 0;
    seq.set(key, n + 1);
    const rnd = mulberry32(fnv1a(`${seed}|${key}|${n}`));
    const hit = rnd() < cfg.rate;
    const kind = cfg.kinds[Math.floor(rnd() * cfg.kinds.length)];
    if (!hit || !kind) {
      streak.set(key, 0);
      return undefined;
    }
    const s = (streak.get(key) ?? 0) + 1;
    if (s > maxConsecutive) {
      streak.set(key, 0);
      return undefined;
    }
    streak.set(key, s);
    return kind;
  }

  function count(kind, cls, method, pathname) {
    stats.faults++;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    stats.byClass[cls] ??= {};
    stats.byClass[cls][kind] = (stats.byClass[cls][kind] ?? 0) + 1;
    if (stats.log.length < 2000) stats.log.push(`${kind} ${method} ${pathname}`);
  }

  function forward(req, body) {
    return new Promise((resolve, reject) => {
      const up = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          agent,
          // Host is passed through, so the registry builds upload Locations that
          // come back through the proxy.
          headers: { ...copyHeaders(req.headers), 'content-length': String(body.length) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/__proxy/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(stats));
    }
    if (url.pathname === '/__proxy/reset' && req.method === 'POST') {
      reset();
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(stats));
    }
    const method = req.method ?? 'GET';
    const cls = classify(method, url.pathname);
    stats.requests++;
    stats.requestsByClass[cls] = (stats.requestsByClass[cls] ?? 0) + 1;
    const chunks = [];
    try {
      for await (const c of req) chunks.push(c);
    } catch {
      return;
    }
    const body = Buffer.concat(chunks);
    let kind = decide(method, cls, url.pathname);
    // Counted when applied: a truncate of an empty body (HEAD, 201, 202) is a drop-response.
    if (kind && kind !== 'truncate') count(kind, cls, method, url.pathname);

    if (kind === '503') {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      return res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected by fault-proxy' }] }));
    }
    if (kind === '502') {
      res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      return res.end('bad gateway (injected by fault-proxy)');
    }
    if (kind === '429') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(cfg.retryAfter) });
      return res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'injected by fault-proxy' }] }));
    }
    if (kind === 'drop-request') return req.socket.destroy();

    let out;
    try {
      out = await forward(req, body);
      stats.forwarded++;
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      return res.end(`fault-proxy: upstream ${upstream.origin} failed: ${e?.message ?? e}`);
    }
    if (kind === 'truncate') {
      if (out.body.length < 2 || method === 'HEAD') kind = 'drop-response';
      count(kind, cls, method, url.pathname);
    }
    if (kind === 'drop-response') return req.socket.destroy();
    const headers = copyHeaders(out.headers);
    if (kind === 'truncate') {
      headers['content-length'] = String(out.body.length);
      res.writeHead(out.status, headers);
      res.write(out.body.subarray(0, Math.floor(out.body.length / 2)), () => setTimeout(() => req.socket.destroy(), 5));
      return;
    }
    headers['content-length'] = String(out.body.length);
    res.writeHead(out.status, headers);
    res.end(out.body);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address();
  const host = `127.0.0.1:${actual}`;
  return {
    url: `http://${host}`,
    host,
    port: actual,
    target: upstream.origin,
    /** A snapshot of the injected-fault counters. */
    stats: () => structuredClone(stats),
    reset,
    /** Changes the fault rate / kinds for later requests. */
    configure: (c) => {
      cfg = { ...cfg, ...c };
      stats.rate = cfg.rate;
    },
    /** Every later request gets this fault (e.g. '502', 'drop-request'); undefined restores the rate. */
    always: (kind) => {
      cfg.always = kind;
    },
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r(undefined)));
      agent.destroy();
    },
  };
}

// ---------- CLI ----------

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.replace(/^--/, '');
    const v = argv[i + 1];
    if (!k || v === undefined) throw new Error(`missing value for ${argv[i]}`);
    o[k] = v;
  }
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const a = parseArgs(process.argv.slice(2));
    const proxy = await startFaultProxy({
      target: a.target,
      seed: a.seed ? Number(a.seed) : undefined,
      rate: a.rate ? Number(a.rate) : undefined,
      kinds: a.kinds ? a.kinds.split(',') : undefined,
      retryAfter: a['retry-after'] ? Number(a['retry-after']) : undefined,
      port: a.port ? Number(a.port) : 0,
    });
    process.stdout.write(JSON.stringify({ ready: true, url: proxy.url, host: proxy.host, port: proxy.port, pid: process.pid }) + '\n');
    const stop = () => proxy.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (e) {
    console.error(`fault-proxy: ${e.message}`);
    process.exit(2);
  }
}
