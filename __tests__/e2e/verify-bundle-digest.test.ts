import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';
import { ROOT } from '../../test/harness/run-action.js';
import { stackLib, type Stack } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// `sign-attest verify-bundle` as the Sigstore conformance protocol drives it,
// on message-signature bundles made on our stack: verified against the
// artifact's `sha256:<hex>` digest alone (Rekor v1, and Rekor v2 on the real
// stack), refused for another digest or a rewritten bundle digest; and the
// trusted root's validity windows: a log without a start is refused, an end
// equal to the signing time is inside the window.

type Json = Record<string, any>;

const lib = await stackLib();
const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(home: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function messageBundle(stack: Stack, data: Buffer, rekor: RekorWitness): Promise<Json> {
  const signer = new FulcioSigner({ fulcioBaseURL: stack.fulcioURL, identityProvider: { getToken: () => lib.requestToken(stack) } });
  const witnesses = [rekor, new TSAWitness({ tsaBaseURL: stack.tsaURL })];
  return bundleToJSON(await new MessageSignatureBundleBuilder({ signer, witnesses }).create({ data }));
}

// A fixture set in one folder: the artifact, its bundle, and trusted roots
// edited from the stack's.
class Case {
  constructor(
    readonly stack: Stack,
    readonly dir: string,
    readonly data: Buffer,
    readonly bundle: Json,
  ) {}

  write(name: string, json: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  }

  async root(edit: (root: Json) => void): Promise<string> {
    const root = JSON.parse(await readFile(this.stack.trustedRoot, 'utf8')) as Json;
    edit(root);
    return this.write(`root-${Math.random().toString(36).slice(2)}.json`, root);
  }

  verify(target: string, opts: { bundle?: Json; root?: string } = {}): Promise<Run> {
    const bundlePath = this.write(`bundle-${Math.random().toString(36).slice(2)}.json`, opts.bundle ?? this.bundle);
    const { subjectAlternativeName, issuer } = this.stack.identity;
    return cli(this.dir, [
      'verify-bundle',
      '--bundle',
      bundlePath,
      '--certificate-identity',
      subjectAlternativeName,
      '--certificate-oidc-issuer',
      issuer,
      '--trusted-root',
      opts.root ?? this.stack.trustedRoot,
      target,
    ]);
  }
}

// The log in the root that logged the bundle's entry.
const loggingTLog = (root: Json, bundle: Json): Json => {
  const keyId = bundle['verificationMaterial']['tlogEntries'][0]['logId']['keyId'];
  const tlog = (root['tlogs'] as Json[]).find((t) => (t['checkpointKeyId'] ?? t['logId'])['keyId'] === keyId);
  if (!tlog) throw new Error('the bundle was logged by no log of the trusted root');
  return tlog;
};

const withDigest = (bundle: Json, digest: string): Json => {
  const copy = structuredClone(bundle);
  copy['messageSignature']['messageDigest']['digest'] = Buffer.from(digest.slice('sha256:'.length), 'hex').toString('base64');
  return copy;
};

const rfc3339 = (ms: number) => new Date(ms).toISOString();

describe('verify-bundle on a message-signature bundle (Rekor v1)', () => {
  const stack = useStack({ name: 'verify-digest' });
  let c: Case;

  beforeAll(async () => {
    const dir = stack.work;
    const data = Buffer.from('an artifact verified by its digest\n');
    c = new Case(stack, dir, data, await messageBundle(stack, data, new RekorWitness({ rekorBaseURL: stack.rekorURL })));
    expect(c.bundle['verificationMaterial']['tlogEntries'][0]['kindVersion']).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
  }, 120_000);

  it('verifies against the sha256 digest of the artifact, as against the file', async () => {
    const file = join(c.dir, 'artifact.txt');
    writeFileSync(file, c.data);
    for (const target of [sha256(c.data), file]) {
      const r = await c.verify(target);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`OK: verified (signed by ${stack.identity.subjectAlternativeName}, issuer ${stack.identity.issuer})\n`);
      expect(r.code).toBe(0);
    }
  });

  it('refuses the digest of another artifact', async () => {
    const other = sha256('another artifact\n');
    const r = await c.verify(other);
    expect(r.stderr).toBe(`error: digest mismatch: the bundle signs ${sha256(c.data)}, not ${other}\n`);
    expect(r.code).toBe(1);
  });

  it('refuses a bundle whose digest was rewritten to the one given: the log recorded the signed one', async () => {
    const other = sha256('another artifact\n');
    const r = await c.verify(other, { bundle: withDigest(c.bundle, other) });
    expect(r.stderr).toMatch(new RegExp(`^error: the log entry \\d+ records ${sha256(c.data)}, not ${other}\\n$`));
    expect(r.code).toBe(1);
  });

  it('refuses a trusted root whose transparency log has no validity start', async () => {
    const root = await c.root((r) => delete loggingTLog(r, c.bundle)['publicKey']['validFor']['start']);
    for (const target of [sha256(c.data), join(c.dir, 'artifact.txt')]) {
      const r = await c.verify(target, { root });
      expect(r.stderr).toMatch(
        /^error: trusted-root: ".*" is malformed: the transparency log http:\/\/127\.0\.0\.1:\d+ has a validity window without a start \(validFor\.start\); give every log, CT log, CA and TSA the time it became trusted/,
      );
      expect(r.code).toBe(1);
    }
  });

  it('a log validity that ends at the integrated time accepts the entry; a second earlier refuses it', async () => {
    const integrated = Number(c.bundle['verificationMaterial']['tlogEntries'][0]['integratedTime']) * 1000;
    const endsAt = (ms: number) => c.root((r) => (loggingTLog(r, c.bundle)['publicKey']['validFor']['end'] = rfc3339(ms)));
    const inclusive = await endsAt(integrated);
    for (const target of [sha256(c.data), join(c.dir, 'artifact.txt')]) expect(await c.verify(target, { root: inclusive })).toMatchObject({ code: 0, stderr: '' });
    const before = await c.verify(sha256(c.data), { root: await endsAt(integrated - 1000) });
    expect(before.stderr).toMatch(/^error: .*(inclusion promise|SET)/i);
    expect(before.code).toBe(1);
  });

  it('a TSA validity that ends at the timestamp accepts it; a millisecond earlier refuses it', async () => {
    const signed = c.bundle['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps'][0]['signedTimestamp'];
    const time = RFC3161Timestamp.parse(Buffer.from(signed, 'base64')).signingTime.getTime();
    const endsAt = (ms: number) => c.root((r) => (r['timestampAuthorities'] as Json[]).forEach((t) => (t['validFor']['end'] = rfc3339(ms))));
    expect(await c.verify(sha256(c.data), { root: await endsAt(time) })).toMatchObject({ code: 0, stderr: '' });
    const before = await c.verify(sha256(c.data), { root: await endsAt(time - 1) });
    expect(before.stderr).toMatch(/^error: .*timestamp/i);
    expect(before.code).toBe(1);
  });
});

const missing = lib.missingRealTools();
const describeV2 = missing.length === 0 && lib.hasRekorV2() ? describe : describe.skip;
if (!(missing.length === 0 && lib.hasRekorV2())) console.warn(`verify-bundle on Rekor v2 skipped: real services or rekor-tiles not built (scripts/install-tools.sh)`);

describeV2('verify-bundle on a Rekor v2 message-signature bundle (hashedrekord v0.0.2, real stack)', () => {
  const stack = useStack({ name: 'verify-digest-v2', real: true });
  let c: Case;

  beforeAll(async () => {
    const dir = stack.work;
    const data = Buffer.from('an artifact logged on Rekor v2\n');
    c = new Case(stack, dir, data, await messageBundle(stack, data, new RekorWitness({ rekorBaseURL: stack.rekorV2URL ?? '', majorApiVersion: 2 })));
    const entry = c.bundle['verificationMaterial']['tlogEntries'][0];
    expect(entry['kindVersion']).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(entry['inclusionPromise']).toBeUndefined();
  }, 300_000);

  it('verifies against the digest; refuses another digest, and a bundle rewritten to it', async () => {
    expect(await c.verify(sha256(c.data))).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^OK: verified/) });
    const other = sha256('another artifact\n');
    expect(await c.verify(other)).toMatchObject({ code: 1, stderr: `error: digest mismatch: the bundle signs ${sha256(c.data)}, not ${other}\n` });
    const rewritten = await c.verify(other, { bundle: withDigest(c.bundle, other) });
    expect(rewritten.stderr).toMatch(new RegExp(`^error: the log entry \\d+ records ${sha256(c.data)}, not ${other}\\n$`));
    expect(rewritten.code).toBe(1);
  });

  // No SET here: the checkpoint's log must have been trusted at the TSA time
  // (@sigstore/verify checks log windows only through a SET).
  it('the Rekor v2 log must be trusted at the timestamp: an end equal to it accepts, a millisecond earlier refuses', async () => {
    const signed = c.bundle['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps'][0]['signedTimestamp'];
    const time = RFC3161Timestamp.parse(Buffer.from(signed, 'base64')).signingTime.getTime();
    const endsAt = (ms: number) => c.root((r) => (loggingTLog(r, c.bundle)['publicKey']['validFor']['end'] = rfc3339(ms)));
    expect(await c.verify(sha256(c.data), { root: await endsAt(time) })).toMatchObject({ code: 0, stderr: '' });
    const before = await c.verify(sha256(c.data), { root: await endsAt(time - 1) });
    expect(before.stderr).toBe(
      `error: the transparency log ${stack.rekorV2URL} was not trusted at the signing time (${rfc3339(time)}) by the trusted root's validity window\n`,
    );
    expect(before.code).toBe(1);
  });

  it('refuses a trusted root whose Rekor v2 log has no validity start', async () => {
    const root = await c.root((r) => delete loggingTLog(r, c.bundle)['publicKey']['validFor']['start']);
    const r = await c.verify(sha256(c.data), { root });
    expect(r.stderr).toMatch(/^error: trusted-root: .* the transparency log .* has a validity window without a start/);
    expect(r.code).toBe(1);
  });
});
