#!/usr/bin/env node
// A latency-adding HTTP reverse proxy for the offline stack: put one in front
// of the registry and one in front of each Sigstore service origin, point the
// tools at the proxies, and every request costs at least one extra `delay` ms,
// as it would across a real network. bench/pipeline.mjs uses it to measure how
// many sequential round trips a run pays.
//
//   node test/stack/latency-proxy.mjs --target http://127.0.0.1:5000 [--delay 50] [--connect-delay 0] [--port 0]
//   prints one JSON ready line ({ready, url, host, port, pid}); GET /__proxy/log on it.
//
// From code (in-process): `const p = await startLatencyProxy({target, delayMs}); p.setDelay(50); ...; await p.close()`.
//
// How it delays: the request is streamed upstream at once; when the upstream
// response head arrives, the proxy waits `delay` ms and only then sends the
// status line, headers and (streamed) body. So each request's round trip grows
// by exactly `delay`, whatever the upstream took, and requests in flight at the
// same time are delayed concurrently, not one after another. New connections
// cost nothing extra unless `connectDelayMs` is set (then the first response on
// each connection waits that much longer, as a TCP or TLS handshake would);
// `connections` in the log says how many a client opened.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { classify } from './fault-proxy.mjs';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function copyHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h)) if (!HOP_BY_HOP.has(k.toLowerCase()) && v !== undefined) out[k] = v;
  return out;
}

/**
 * Starts the proxy on 127.0.0.1.
 * @param {object} o
 * @param {string} o.target      upstream origin, e.g. http://127.0.0.1:5000
 * @param {number} [o.delayMs]   added to every response (default 0)
 * @param {number} [o.connectDelayMs]  added once more to the first response on each new connection (default 0)
 * @param {number} [o.port]      listen port (default 0: any free port)
 * @param {string} [o.name]      label stored in every log entry (default: the target's host)
 */
export async function startLatencyProxy({ target, delayMs = 0, connectDelayMs = 0, port = 0, name } = {}) {
  if (!target) throw new Error('startLatencyProxy: target is required');
  const upstream = new URL(target);
  const label = name ?? upstream.host;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let delay = delayMs;
  let connectDelay = connectDelayMs;
  const served = new WeakSet(); // sockets that have carried a response
  let entries = [];
  let connections = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/__proxy/log') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ delayMs: delay, connections, entries }));
    }
    const method = req.method ?? 'GET';
    const fresh = !served.has(req.socket);
    served.add(req.socket);
    const wait = delay + (fresh ? connectDelay : 0);
    const entry = {
      proxy: label,
      method,
      path: url.pathname + url.search,
      class: classify(method, url.pathname),
      start: Date.now(),
      upstreamMs: 0,
      delayMs: wait,
      end: 0,
      status: 0,
      reqBytes: 0,
      resBytes: 0,
    };
    entries.push(entry);
    req.on('data', (c) => (entry.reqBytes += c.length));
    const up = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path: req.url,
        agent,
        // Host is passed through, so the registry builds upload Locations that
        // come back through the proxy.
        headers: copyHeaders(req.headers),
      },
      (upRes) => {
        entry.upstreamMs = Date.now() - entry.start;
        const send = () => {
          entry.status = upRes.statusCode ?? 502;
          res.writeHead(entry.status, copyHeaders(upRes.headers));
          upRes.on('data', (c) => (entry.resBytes += c.length));
          upRes.on('end', () => (entry.end = Date.now()));
          upRes.pipe(res);
        };
        if (wait > 0) setTimeout(send, wait);
        else send();
      },
    );
    up.on('error', (e) => {
      entry.status = 502;
      entry.end = Date.now();
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency-proxy: upstream ${upstream.origin} failed: ${e?.message ?? e}`);
    });
    req.pipe(up);
  });
  server.on('connection', () => connections++);
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
    /** Changes the delay (and the extra delay of a new connection's first response) for requests that arrive from now on. */
    setDelay: (ms, connectMs = connectDelay) => {
      delay = ms;
      connectDelay = connectMs;
    },
    delay: () => delay,
    /** Every request since the last reset: {proxy, method, path, class, start, upstreamMs, delayMs, end, status, reqBytes, resBytes} (start, end: ms since the epoch). */
    log: () => structuredClone(entries),
    /** TCP connections accepted since the last reset. */
    connections: () => connections,
    reset: () => {
      entries = [];
      connections = 0;
    },
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r(undefined)));
      agent.destroy();
    },
  };
}

// ---------- CLI ----------

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (k) => {
    const i = args.indexOf(`--${k}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    const proxy = await startLatencyProxy({
      target: opt('target'),
      delayMs: Number(opt('delay') ?? 0),
      connectDelayMs: Number(opt('connect-delay') ?? 0),
      port: Number(opt('port') ?? 0),
    });
    process.stdout.write(JSON.stringify({ ready: true, url: proxy.url, host: proxy.host, port: proxy.port, pid: process.pid }) + '\n');
    const stop = () => proxy.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (e) {
    console.error(`latency-proxy: ${e.message}`);
    process.exit(2);
  }
}
