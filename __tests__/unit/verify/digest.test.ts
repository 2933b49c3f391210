import { describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { p256 } from '@noble/curves/nist.js';
import { verifyPrehashed } from '../../../src/verify/prehashed.js';
import { missingValidityStart } from '../../../src/verify/validity.js';

// Digest-form verification of message signatures (ECDSA over a given hash)
// and the trusted-root rule that every validity window has a start.

const data = Buffer.from('the artifact\n');
const digest = (alg: string, bytes: Buffer = data) => createHash(alg).update(bytes).digest();

describe('verifyPrehashed', () => {
  it.each([
    ['prime256v1', 'sha256'],
    ['secp384r1', 'sha384'],
    ['secp521r1', 'sha512'],
  ])('%s: a signature over the file verifies against its %s digest, and not against another', (namedCurve, alg) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
    const signature = sign(alg, data, privateKey);
    expect(verifyPrehashed(publicKey, signature, { algorithm: alg, digest: digest(alg) })).toBe(true);
    expect(verifyPrehashed(publicKey, signature, { algorithm: alg, digest: digest(alg, Buffer.from('another artifact\n')) })).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve }).publicKey;
    expect(verifyPrehashed(other, signature, { algorithm: alg, digest: digest(alg) })).toBe(false);
  });

  it('either s of a signature verifies, as node:crypto verifies it over the file (no low-S rule)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signature = sign('sha256', data, privateKey);
    const parsed = p256.Signature.fromBytes(signature, 'der');
    const mirrored = Buffer.from(new p256.Signature(parsed.r, p256.Point.Fn.ORDER - parsed.s).toBytes('der'));
    for (const sig of [signature, mirrored]) expect(verifyPrehashed(publicKey, sig, { algorithm: 'sha256', digest: digest('sha256') })).toBe(true);
  });

  it('a malformed or truncated signature is a failed signature, not a crash', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signature = sign('sha256', data, privateKey);
    expect(verifyPrehashed(publicKey, signature.subarray(0, signature.length - 3), { algorithm: 'sha256', digest: digest('sha256') })).toBe(false);
    expect(verifyPrehashed(publicKey, Buffer.from('not DER'), { algorithm: 'sha256', digest: digest('sha256') })).toBe(false);
  });

  it('a P-384 key (SHA-384 by its key details) is not checked against a sha256 digest', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const signature = sign('sha256', data, privateKey);
    expect(() => verifyPrehashed(publicKey, signature, { algorithm: 'sha256', digest: digest('sha256') })).toThrow(
      /ECDSA secp384r1\) signs sha384 digests, not sha256: pass the artifact file/,
    );
  });

  it('a digest of the wrong length for its algorithm is refused', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => verifyPrehashed(publicKey, sign('sha256', data, privateKey), { algorithm: 'sha256', digest: digest('sha256').subarray(0, 20) })).toThrow(
      /signs sha256 digests/,
    );
  });

  it('Ed25519 and RSA keys are refused with the way out (pass the file)', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(() => verifyPrehashed(ed.publicKey, sign(null, data, ed.privateKey), { algorithm: 'sha256', digest: digest('sha256') })).toThrow(
      /Ed25519 signature covers the artifact itself and cannot be checked against a digest: pass the artifact file/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => verifyPrehashed(rsa.publicKey, sign('sha256', data, rsa.privateKey), { algorithm: 'sha256', digest: digest('sha256') })).toThrow(
      /a rsa signature cannot be checked against a digest here .*pass the artifact file/,
    );
  });
});

describe('missingValidityStart', () => {
  const START = '2024-01-01T00:00:00Z';
  const key = { rawBytes: Buffer.from('key').toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256' };
  const chain = { certificates: [{ rawBytes: Buffer.from('cert').toString('base64') }] };
  function root(over: { tlog?: object; ctlog?: object; ca?: object; tsa?: object } = {}): TrustedRoot {
    return TrustedRoot.fromJSON({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        { baseUrl: 'https://rekor.example', hashAlgorithm: 'SHA2_256', publicKey: { ...key, validFor: { start: START } }, logId: { keyId: 'AA==' } },
        { baseUrl: 'https://rekor2.example', hashAlgorithm: 'SHA2_256', publicKey: { ...key, ...over.tlog }, logId: { keyId: 'AQ==' } },
      ],
      ctlogs: [{ baseUrl: 'https://ct.example', hashAlgorithm: 'SHA2_256', publicKey: { ...key, validFor: { start: START }, ...over.ctlog }, logId: { keyId: 'Ag==' } }],
      certificateAuthorities: [{ uri: 'https://fulcio.example', certChain: chain, validFor: { start: START }, ...over.ca }],
      timestampAuthorities: [{ uri: 'https://tsa.example', certChain: chain, validFor: { start: START, end: '2025-01-01T00:00:00Z' }, ...over.tsa }],
    });
  }

  it('accepts a root whose every window has a start (ends are optional)', () => {
    expect(missingValidityStart(root({ tlog: { validFor: { start: START } } }))).toBeUndefined();
  });

  it('names the log, CT log, CA or TSA whose window has no start, or no window at all', () => {
    expect(missingValidityStart(root({ tlog: { validFor: { end: '2030-01-01T00:00:00Z' } } }))).toBe(
      'the transparency log https://rekor2.example has a validity window without a start (validFor.start)',
    );
    expect(missingValidityStart(root({ tlog: { validFor: {} } }))).toMatch(/transparency log https:\/\/rekor2\.example/);
    expect(missingValidityStart(root({ tlog: {} }))).toMatch(/transparency log https:\/\/rekor2\.example/);
    const ok = { tlog: { validFor: { start: START } } };
    expect(missingValidityStart(root({ ...ok, ctlog: { validFor: {} } }))).toMatch(/^the CT log https:\/\/ct\.example/);
    expect(missingValidityStart(root({ ...ok, ca: { validFor: undefined } }))).toMatch(/^the certificate authority https:\/\/fulcio\.example/);
    expect(missingValidityStart(root({ ...ok, tsa: { validFor: { end: '2025-01-01T00:00:00Z' } } }))).toMatch(/^the timestamp authority https:\/\/tsa\.example/);
  });
});
