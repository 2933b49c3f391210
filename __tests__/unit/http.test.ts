import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionError } from '../../src/errors.js';
import { Http } from '../../src/http.js';

// A scripted server: each path answers from its own list of behaviours, in
// order, repeating the last one. Requests are counted per path.
type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(code, headers).end(`status ${code}`);
  };
const drop: Behaviour = (req) => req.socket.destroy();

const scripts: Record<string, Behaviour[]> = {};
const counts: Record<string, number> = {};
const bodies: Record<string, string[]> = {};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (counts[path] = (counts[path] ?? 0) + 1);
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
