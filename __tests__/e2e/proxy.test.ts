import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { errorLines } from '../../test/harness/run-action.js';
import { useStack } from '../../test/harness/use-stack.js';

// A self-hosted runner behind a proxy: with HTTP_PROXY set, the action's
// requests to the registry and the Sigstore services go through it (a real
// tinyproxy, from scripts/install-deps.sh), and NO_PROXY is honoured.

const stack = useStack({ name: 'proxy-e2e' });
let proxy: ChildProcess;
let proxyURL: string;
let logFile: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

// The requests tinyproxy forwarded, as `METHOD TARGET`.
const forwarded = () => [...readFileSync(logFile, 'utf8').matchAll(/Request \(file descriptor \d+\): (\S+ \S+) HTTP/g)].map((m) => m[1]!);

beforeAll(async () => {
  const dir = stack.tempDir('tinyproxy-');
  const port = await freePort();
  logFile = join(dir, 'tinyproxy.log');
  const conf = join(dir, 'tinyproxy.conf');
  writeFileSync(conf, [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 60', `LogFile "${logFile}"`, 'LogLevel Info', 'MaxClients 200', 'Allow 127.0.0.1', ''].join('\n'));
  writeFileSync(logFile, '');
  proxy = spawn('/usr/bin/tinyproxy', ['-d', '-c', conf], { stdio: 'ignore' });
  proxyURL = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)).listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('tinyproxy did not start');
});

afterAll(() => {
  proxy?.kill('SIGTERM');
});

describe('behind an HTTP proxy', () => {
  it('sends the registry, Fulcio and Rekor requests through HTTP_PROXY, and signs as usual', async () => {
    const img = await stack.push('octo-org/proxied');
    const before = forwarded().length;
    const r = await stack.run({ images: img.ref }, { env: { HTTP_PROXY: proxyURL } });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    const seen = forwarded().slice(before);
    console.log(`through the proxy: ${seen.length} requests, e.g. ${seen.slice(0, 3).join(', ')}`);
    // undici tunnels every request through the proxy with CONNECT, plain HTTP too.
    expect(seen).toContain(`CONNECT ${stack.registry}`);
    expect(seen).toContain(`CONNECT ${new URL(stack.fulcioURL).host}`);
    expect(seen).toContain(`CONNECT ${new URL(stack.rekorURL).host}`);
    expect(seen.every((s) => s.startsWith('CONNECT 127.0.0.1:'))).toBe(true);
  });

  it('goes direct to the hosts NO_PROXY names', async () => {
    const img = await stack.push('octo-org/proxied-not');
    const before = forwarded().length;
    const r = await stack.run({ images: img.ref }, { env: { HTTP_PROXY: proxyURL, NO_PROXY: '127.0.0.1' } });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(forwarded().slice(before)).toEqual([]);
  });

  it('a proxy that is down fails the run with one error line, not a silent direct connection', async () => {
    const img = await stack.push('octo-org/proxied-down');
    const down = `http://127.0.0.1:${await freePort()}`;
    // Credentials in the proxy URL never reach the log.
    const r = await stack.run({ images: img.ref, 'retry-budget': '2' }, { env: { HTTP_PROXY: down.replace('//', '//user:s3cret@') } });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    console.log(errorLines(r)[0]);
    expect(errorLines(r)[0]).toContain(`The registry at http://${stack.registry} failed: ECONNREFUSED (HTTP_PROXY is set: ${down}) on GET`);
    expect(`${r.stdout}\n${r.stderr}`).not.toContain('s3cret');
  });
});
