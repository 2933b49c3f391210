import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLatencyProxy, type LatencyProxy } from '../../test/stack/latency-proxy.mjs';

// The latency proxy bench/pipeline.mjs puts in front of the registry and the
// Sigstore services: it must forward every request and response unchanged and
// add its delay to each response, without serialising concurrent requests.

interface Seen {
  method: string;
  url: string;
  host: string;
  header: string | undefined;
  sha256: string;
  bytes: number;
}

const seen: Seen[] = [];
let waiting: (() => void)[] = [];
let barrier = 0; // when > 0, /barrier answers only once this many requests have arrived
let upstream: Server;
let target: string;
let proxy: LatencyProxy;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const big = randomBytes(3 * 1024 * 1024 + 17);

beforeAll(async () => {
  upstream = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host ?? '',
        header: req.headers['x-test'] as string | undefined,
        sha256: sha256(body),
        bytes: body.length,
      });
      const path = (req.url ?? '').split('?')[0];
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(big.length) });
        if (req.method === 'HEAD') res.end();
        else res.end(big);
      } else if (path === '/barrier') {
        waiting.push(() => res.writeHead(200).end('released'));
        if (waiting.length >= barrier) {
          waiting.forEach((release) => release());
          waiting = [];
        }
      } else {
        // Echoes what it got, with a Location built from Host as a registry does.
        res.writeHead(path === '/created' ? 201 : 200, {
          'content-type': 'application/json',
          location: `http://${req.headers.host}/v2/x/blobs/uploads/abc`,
          'x-upstream': 'yes',
        });
        res.end(JSON.stringify({ method: req.method, url: req.url, sha256: sha256(body) }));
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  proxy = await startLatencyProxy({ target, name: 'registry' });
});

afterEach(() => {
  proxy.setDelay(0);
  proxy.reset();
  seen.length = 0;
});

afterAll(async () => {
  await proxy.close();
  await new Promise((r) => upstream.close(r));
});

describe('latency proxy', () => {
  it('forwards method, path, query, headers and body, and passes the response back unchanged', async () => {
    const body = Buffer.from('{"hello":"world"}');
    const res = await fetch(`${proxy.url}/created?digest=sha256%3Aabc&x=1`, { method: 'PUT', body, headers: { 'x-test': 'kept', 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    // Host passes through, so Locations built from it lead back through the proxy.
    expect(res.headers.get('location')).toBe(`${proxy.url}/v2/x/blobs/uploads/abc`);
    expect(await res.json()).toEqual({ method: 'PUT', url: '/created?digest=sha256%3Aabc&x=1', sha256: sha256(body) });
    expect(seen).toEqual([{ method: 'PUT', url: '/created?digest=sha256%3Aabc&x=1', host: proxy.host, header: 'kept', sha256: sha256(body), bytes: body.length }]);
    const [entry] = proxy.log();
    expect(entry).toMatchObject({
      proxy: 'registry',
      method: 'PUT',
      path: '/created?digest=sha256%3Aabc&x=1',
      class: 'other',
      status: 201,
      reqBytes: body.length,
      delayMs: 0,
    });
    expect(entry?.end).toBeGreaterThanOrEqual(entry?.start ?? Infinity);
  });

  it('streams large bodies both ways byte for byte, and answers HEAD without a body', async () => {
    const up = await fetch(`${proxy.url}/upload`, { method: 'POST', body: big });
    expect(((await up.json()) as { sha256: string }).sha256).toBe(sha256(big));
    const down = await fetch(`${proxy.url}/big`);
    expect(sha256(Buffer.from(await down.arrayBuffer()))).toBe(sha256(big));
    const head = await fetch(`${proxy.url}/big`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(big.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect(proxy.log().map((e) => [e.method, e.reqBytes, e.resBytes])).toEqual([
      ['POST', big.length, expect.any(Number)],
      ['GET', 0, big.length],
      ['HEAD', 0, 0],
    ]);
  });

  it('adds the delay to the response', async () => {
    proxy.setDelay(300);
    const t0 = performance.now();
    const res = await fetch(`${proxy.url}/slow`);
    await res.arrayBuffer();
    // A lower bound only: a slow machine can take longer, never less.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(299);
    const [entry] = proxy.log();
    expect(entry?.delayMs).toBe(300);
    expect((entry?.end ?? 0) - (entry?.start ?? 0)).toBeGreaterThanOrEqual(299);
    expect(proxy.delay()).toBe(300);
  });

  it('forwards concurrent requests at once and delays them side by side', async () => {
    // The upstream answers none of the three until all three have arrived: a
    // proxy that forwarded one at a time would never complete them.
    proxy.setDelay(200);
    barrier = 3;
    const t0 = performance.now();
    const all = await Promise.all(
      [1, 2, 3].map((i) => fetch(`${proxy.url}/barrier?i=${i}`).then(async (r) => [r.status, await r.text(), performance.now() - t0] as const)),
    );
    for (const [status, text, ms] of all) {
      expect([status, text]).toEqual([200, 'released']);
      expect(ms).toBeGreaterThanOrEqual(199);
    }
    expect(proxy.log()).toHaveLength(3);
  });

  it('with connectDelayMs, holds back the first response on each new connection once more', async () => {
    const fresh = await startLatencyProxy({ target, delayMs: 20, connectDelayMs: 300 });
    try {
      const t0 = performance.now();
      await (await fetch(`${fresh.url}/first`)).arrayBuffer();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(319);
      await (await fetch(`${fresh.url}/second`)).arrayBuffer();
      await (await fetch(`${fresh.url}/third`)).arrayBuffer();
      // Exactly one response per connection paid the handshake (the client
      // decides whether a later request reuses a kept-alive connection).
      const delays = fresh.log().map((e) => e.delayMs);
      expect(delays[0]).toBe(320);
      expect(delays.every((d) => d === 20 || d === 320)).toBe(true);
      expect(delays.filter((d) => d === 320)).toHaveLength(fresh.connections());
    } finally {
      await fresh.close();
    }
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const dead = await startLatencyProxy({ target: 'http://127.0.0.1:1', delayMs: 10 });
    try {
      const res = await fetch(`${dead.url}/v2/`);
      expect(res.status).toBe(502);
      expect(await res.text()).toMatch(/latency-proxy: upstream http:\/\/127\.0\.0\.1:1 failed/);
      expect(dead.log()[0]).toMatchObject({ method: 'GET', path: '/v2/', status: 502 });
    } finally {
      await dead.close();
    }
  });

  it('counts the connections clients open and keeps them alive across requests', async () => {
    // A proxy of its own, so no earlier test's socket is reused: one keep-alive
    // socket serves several sequential requests.
    const fresh = await startLatencyProxy({ target });
    try {
      for (let i = 0; i < 3; i++) await (await fetch(`${fresh.url}/k${i}`)).arrayBuffer();
      expect(fresh.log()).toHaveLength(3);
      expect(fresh.connections()).toBeGreaterThanOrEqual(1);
      expect(fresh.connections()).toBeLessThan(3);
    } finally {
      await fresh.close();
    }
  });
});
