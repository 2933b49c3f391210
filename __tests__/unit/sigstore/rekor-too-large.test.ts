import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionError } from '../../../src/errors.js';
import { Http } from '../../../src/http.js';
import { createEntry, type ProposedEntry } from '../../../src/sigstore/rekor.js';

// rekor-server started with --max_request_body_size answers 413 with this
// exact body (measured on rekor v1.6.1); a proxy in front of the public log may
// answer 413 without naming the limit.
const REKOR_413 = (limit: number) => JSON.stringify({ code: 413, message: `Request Entity Too Large. Limit set to ${limit}` });

let server: Server;
let base: string;
let requests = 0;
let answer = REKOR_413(8192);

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(413, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const bigDSSE = (): ProposedEntry => ({
  apiVersion: '0.0.1',
  kind: 'dsse',
  spec: { proposedContent: { envelope: JSON.stringify({ payload: 'x'.repeat(20_000) }), verifiers: ['dmVyaWZpZXI='] } },
});

async function refusal(): Promise<ActionError> {
  const err = await createEntry(new Http({ retryBudgetMs: 30_000 }), base, bigDSSE()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ActionError);
  return err as ActionError;
}

describe('a Rekor entry refused for its size (HTTP 413)', () => {
  it('fails once, naming the size, the limit the log states and the ways out', async () => {
    requests = 0;
    answer = REKOR_413(8192);
    const err = await refusal();
    expect(requests).toBe(1);
    expect(err.code).toBe('REKOR');
    const size = Buffer.byteLength(JSON.stringify(bigDSSE()));
    expect(err.message).toContain(`${size}-byte dsse entry`);
    expect(err.message).toContain('limit 8192 bytes');
    expect(err.message).toContain('Rekor v2');
    expect(err.message).toContain('`sbom: false`');
    expect(err.message).toContain('smaller SBOM');
    expect(err.message).not.toMatch(/\n/);
  });

  it('says the log has a limit when a proxy answers 413 without one', async () => {
    requests = 0;
    answer = '<html><body>413 Request Entity Too Large</body></html>';
    const err = await refusal();
    expect(requests).toBe(1);
    expect(err.message).toContain('over its request size limit');
    expect(err.message).not.toContain('<html>');
  });
});
