import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionError } from '../../src/errors.js';
import { Http, proxyDispatcher, proxyNote, StreamedBody } from '../../src/http.js';

// A scripted server: each path answers from its own list of behaviours, in
// order, repeating the last one. Requests are counted per path.
type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(code, headers).end(`status ${code}`);
  };
const drop: Behaviour = (req) => req.socket.destroy();
const redirect =
  (code: number, location: string): Behaviour =>
  (_req, res) => {
    res.writeHead(code, { location }).end();
  };

const scripts: Record<string, Behaviour[]> = {};
const counts: Record<string, number> = {};
const bodies: Record<string, string[]> = {};
const heads: Record<string, IncomingMessage['headers'][]> = {};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (counts[path] = (counts[path] ?? 0) + 1);
    (heads[path] ??= []).push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      (bodies[path] ??= []).push(Buffer.concat(chunks).toString());
      const script = scripts[path] ?? [status(500)];
      const behave = script[Math.min(n, script.length) - 1] ?? status(500);
      behave(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  for (const k of Object.keys(counts)) delete counts[k];
  for (const k of Object.keys(bodies)) delete bodies[k];
  for (const k of Object.keys(heads)) delete heads[k];
});

describe('Http.request', () => {
  it('retries 503 twice then returns the 200', async () => {
    scripts['/flaky'] = [status(503), status(503), status(200)];
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/flaky`, { service: 'registry' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('status 200');
    expect(counts['/flaky']).toBe(3);
    expect(http.retries.registry).toBe(2);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    scripts['/limited'] = [status(429, { 'retry-after': '1' }), status(200)];
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/limited`, { service: 'fulcio' });
    expect(res.status).toBe(200);
    expect(counts['/limited']).toBe(2);
    expect(http.retries.fulcio).toBe(1);
  });

  it('retries a dropped connection and re-sends the same body', async () => {
    scripts['/drop'] = [drop, status(201)];
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/drop`, { service: 'rekor', method: 'POST', body: '{"kind":"dsse"}' });
    expect(res.status).toBe(201);
    expect(counts['/drop']).toBe(2);
    expect(bodies['/drop']?.at(-1)).toBe('{"kind":"dsse"}');
  });

  it('throws an ActionError naming the service and budget when 503 never stops', async () => {
    scripts['/down'] = [status(503)];
    const http = new Http({ retryBudgetMs: 2000 });
    const err = await http.request(`${base}/down`, { service: 'rekor', method: 'POST', body: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ActionError);
    const e = err as ActionError;
    expect(e.code).toBe('REKOR');
    expect(e.message).toContain('Rekor');
    expect(e.message).toContain(base);
    expect(e.message).toContain('HTTP 503');
    expect(e.message).toMatch(/2s retry budget/);
    expect(counts['/down']).toBeGreaterThan(1);
    expect(counts['/down']).toBeLessThan(20); // it gave up rather than retrying forever
  });

  it('shares one budget across requests: time spent retrying earlier calls counts', async () => {
    scripts['/slow'] = [status(429, { 'retry-after': '0.3' }), status(200)];
    scripts['/down'] = [status(503, { 'retry-after': '4.85' }), status(200)];
    const http = new Http({ retryBudgetMs: 5000 });
    expect((await http.request(`${base}/slow`, { service: 'registry' })).status).toBe(200);
    // A budget of its own would fit /down's 4.85 s wait; 0.3 s of the run's 5 s are spent already.
    // (Wide margins: a loaded machine makes requests slower, never faster.)
    await expect(http.request(`${base}/down`, { service: 'registry' })).rejects.toThrow(/The registry/);
    expect(counts['/down']).toBe(1);
  });

  it('returns a 404 without retrying', async () => {
    scripts['/missing'] = [status(404), status(200)];
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/missing`, { service: 'registry' });
    expect(res.status).toBe(404);
    await res.body?.cancel();
    expect(counts['/missing']).toBe(1);
    expect(http.retries.registry).toBe(0);
  });
});

describe('Http.request with a StreamedBody', () => {
  // 300 slices of 1 KiB, each a fresh Buffer: `opened` counts the attempts that asked for the body.
  const slices = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(4, '0')}:${'x'.repeat(1019)};`);
  const whole = slices.join('');
  const counting = (length?: number) => {
    const body = {
      opened: 0,
      streamed: new StreamedBody(function* () {
        body.opened++;
        for (const s of slices) yield Buffer.from(s);
      }, length),
    };
    return body;
  };

  it('replays the body on every retry: the factory is called once per attempt and each attempt sends all of it', async () => {
    scripts['/stream-retry'] = [drop, status(503), status(201)];
    const body = counting(Buffer.byteLength(whole));
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/stream-retry`, { service: 'github', method: 'POST', body: body.streamed });
    expect(res.status).toBe(201);
    expect(counts['/stream-retry']).toBe(3);
    expect(body.opened).toBe(3);
    expect(http.retries.github).toBe(2);
    expect(bodies['/stream-retry']).toEqual([whole, whole, whole]);
    expect(heads['/stream-retry']?.map((h) => [h['content-length'], h['transfer-encoding']])).toEqual(Array(3).fill([String(whole.length), undefined]));
  });

  it('an async body of unknown size goes chunked', async () => {
    scripts['/stream-chunked'] = [status(200)];
    let opened = 0;
    const streamed = new StreamedBody(async function* () {
      opened++;
      for (const s of slices.slice(0, 10)) yield new TextEncoder().encode(s);
    });
    const res = await new Http({ retryBudgetMs: 5000 }).request(`${base}/stream-chunked`, { service: 'github', method: 'POST', body: streamed });
    expect(res.status).toBe(200);
    expect(opened).toBe(1);
    expect(bodies['/stream-chunked']).toEqual([slices.slice(0, 10).join('')]);
    expect(heads['/stream-chunked']?.[0]?.['content-length']).toBeUndefined();
    expect(heads['/stream-chunked']?.[0]?.['transfer-encoding']).toBe('chunked');
  });

  it('a spent budget opens the body no more often than it sent it', async () => {
    scripts['/stream-down'] = [status(503)];
    const body = counting(Buffer.byteLength(whole));
    const err = await new Http({ retryBudgetMs: 700 }).request(`${base}/stream-down`, { service: 'github', method: 'POST', body: body.streamed }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).message).toMatch(/The GitHub API .* HTTP 503 on POST \/stream-down after \d+ attempt/);
    expect(body.opened).toBe(counts['/stream-down']);
    expect(bodies['/stream-down']?.every((b) => b === whole)).toBe(true);
  });

  it('follows 307 and 308 with the whole body again, opened afresh for each hop; authorization stays within the origin', async () => {
    const port = new URL(base).port;
    scripts['/moved'] = [redirect(307, '/moved-2')];
    scripts['/moved-2'] = [redirect(308, `http://localhost:${port}/moved-3`)];
    scripts['/moved-3'] = [status(201)];
    const body = counting(Buffer.byteLength(whole));
    const http = new Http({ retryBudgetMs: 5000 });
    const res = await http.request(`${base}/moved`, { service: 'github', method: 'POST', headers: { authorization: 'token secret' }, body: body.streamed });
    expect(res.status).toBe(201);
    expect(body.opened).toBe(3);
    expect([bodies['/moved'], bodies['/moved-2'], bodies['/moved-3']]).toEqual([[whole], [whole], [whole]]);
    expect([heads['/moved']?.[0]?.['authorization'], heads['/moved-2']?.[0]?.['authorization'], heads['/moved-3']?.[0]?.['authorization']]).toEqual([
      'token secret',
      'token secret',
      undefined, // localhost is another origin than 127.0.0.1
    ]);
    expect(heads['/moved-3']?.[0]?.['content-length']).toBe(String(whole.length));
    expect(http.retries.github).toBe(0);
  });

  it('a redirect loop is not retried; redirect: manual hands the 307 back', async () => {
    scripts['/loop'] = [redirect(307, '/loop')];
    const loop = counting(Buffer.byteLength(whole));
    await expect(new Http({ retryBudgetMs: 5000 }).request(`${base}/loop`, { service: 'github', method: 'POST', body: loop.streamed })).rejects.toThrow(
      /redirected more than 20 times \(a redirect loop\) on POST \/loop; this is not retried/,
    );
    expect(counts['/loop']).toBe(21);
    expect(loop.opened).toBe(21);
    const manual = counting();
    const res = await new Http({ retryBudgetMs: 5000 }).request(`${base}/loop`, { service: 'github', method: 'POST', body: manual.streamed, redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(manual.opened).toBe(1);
  });
});

describe('proxy variables', () => {
  it('a proxy is named in failures by its origin only (no user:password), and only when one is set', () => {
    expect(proxyNote({})).toBe('');
    expect(proxyNote({ HTTPS_PROXY: 'http://user:pa55@proxy.corp:3128/' })).toBe(' (HTTPS_PROXY is set: http://proxy.corp:3128)');
    expect(proxyNote({ http_proxy: 'not a url' })).toBe(' (http_proxy is set: not a URL)');
    expect(proxyDispatcher({})).toBeUndefined();
    expect(proxyDispatcher({ https_proxy: 'http://proxy.corp:3128' })).toBeDefined();
  });
});
