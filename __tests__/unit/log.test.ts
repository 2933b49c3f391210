import { describe, it, expect, afterAll, beforeAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Http, type RetryNotice } from '../../src/http.js';
import { artifactLine, imageLabel, retryLine, RunLog, type LogSink } from '../../src/log.js';

// A sink that records what the runner's log would show, in order.
function recorder(): LogSink & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    info: (l) => out.push(l),
    startGroup: (t) => out.push(`::group::${t}`),
    endGroup: () => out.push('::endgroup::'),
  };
}

const D = (c: string) => `sha256:${c.repeat(64)}`;
const INDEX = { name: 'ghcr.io/org/app', digest: D('a'), platforms: 2 };
const AMD = { name: 'ghcr.io/org/app', digest: D('b'), platform: 'linux/amd64' };
const ARM = { name: 'ghcr.io/org/app', digest: D('c'), platform: 'linux/arm64' };

describe('RunLog', () => {
  it('prints one group per image, in image order, whatever order the lines arrived in', () => {
    const sink = recorder();
    const log = new RunLog([INDEX, AMD, ARM], sink);
    // Concurrent work: lines of the three images arrive interleaved.
    log.image(ARM.name, ARM.digest).info('layer 1/1');
    log.image(AMD.name, AMD.digest).info('layer 1/1');
    log.info('Signing as someone');
    log.image(INDEX.name, INDEX.digest).info('SBOM: index document');
    log.image(ARM.name, ARM.digest).info('signature: Rekor log index 3');
    log.image(AMD.name, AMD.digest).info('signature: Rekor log index 2');
    expect(sink.out).toEqual(['Signing as someone']); // run-level lines go out at once, images are held
    log.flush();
    log.flush(); // a second flush (success path, then catch) prints nothing twice
    expect(sink.out).toEqual([
      'Signing as someone',
      `::group::ghcr.io/org/app@${D('a')} (index of 2 platform images)`,
      'app@aaaaaaaaaaaa index: SBOM: index document',
      '::endgroup::',
      `::group::ghcr.io/org/app@${D('b')} (linux/amd64)`,
      'app@bbbbbbbbbbbb linux/amd64: layer 1/1',
      'app@bbbbbbbbbbbb linux/amd64: signature: Rekor log index 2',
      '::endgroup::',
      `::group::ghcr.io/org/app@${D('c')} (linux/arm64)`,
      'app@cccccccccccc linux/arm64: layer 1/1',
      'app@cccccccccccc linux/arm64: signature: Rekor log index 3',
      '::endgroup::',
    ]);
  });

  it('prints a single image as it goes, without a group', () => {
    const sink = recorder();
    const img = { name: 'ghcr.io/org/app', digest: D('d') };
    const log = new RunLog([img], sink);
    log.image(img.name, img.digest).info('layer 1/1');
    expect(sink.out).toEqual(['app@dddddddddddd: layer 1/1']);
    log.flush();
    expect(sink.out).toEqual(['app@dddddddddddd: layer 1/1']);
  });

  it('refuses lines for an image that is not part of the run', () => {
    const log = new RunLog([AMD], recorder());
    expect(() => log.image(ARM.name, ARM.digest)).toThrow(/no log for/);
  });

  it('labels the same platform of two repositories apart', () => {
    expect(imageLabel({ name: 'r/a/one', digest: D('e'), platform: 'linux/amd64' })).not.toBe(imageLabel({ name: 'r/b/two', digest: D('f'), platform: 'linux/amd64' }));
  });
});

describe('artifactLine', () => {
  const base = { logIndex: 42, uuid: 'u', integratedTime: 1, bundle: '/tmp/x/provenance.sigstore.json' };

  it('names the kind, the Rekor log index and both places it was attached', () => {
    const line = artifactLine({ ...base, kind: 'provenance', tag: 'sha256-abc.att', referrer: D('9'), fallbackTag: 'sha256-abc' });
    expect(line).toBe(
      `provenance attestation: Rekor log index 42, attached as cosign tag sha256-abc.att and referrer ${D('9')} (listed by the referrers tag fallback: the registry has no referrers API)`,
    );
  });

  it('says where the bundle went when nothing was attached', () => {
    expect(artifactLine({ ...base, kind: 'signature' })).toBe('signature: Rekor log index 42, not attached (attach: none), bundle /tmp/x/provenance.sigstore.json');
  });
});

describe('retry lines', () => {
  let server: Server;
  let url: string;
  let calls = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      calls++;
      res.writeHead(calls <= 2 ? 503 : 200).end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/log/entries`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('hears one notice per retry with service, status, attempt and the budget left', async () => {
    const notices: RetryNotice[] = [];
    const http = new Http({ retryBudgetMs: 20_000, onRetry: (n) => notices.push(n) });
    const res = await http.request(url, { method: 'POST', service: 'rekor', body: '{}' });
    expect(res.status).toBe(200);
    expect(notices.map((n) => [n.service, n.failure, n.attempt, n.what])).toEqual([
      ['rekor', 'HTTP 503', 1, 'POST /api/v1/log/entries'],
      ['rekor', 'HTTP 503', 2, 'POST /api/v1/log/entries'],
    ]);
    for (const n of notices) {
      expect(n.budgetMs).toBe(20_000);
      expect(n.budgetLeftMs).toBeGreaterThan(0);
      expect(n.budgetLeftMs).toBeLessThanOrEqual(20_000 - n.delayMs);
    }
    expect(retryLine(notices[0]!)).toMatch(/^Rekor: HTTP 503 on POST \/api\/v1\/log\/entries; attempt 2 in [\d.]+s \([\d.]+s of the 20s retry budget left\)$/);
  });
});
