import { describe, expect, it } from '@jest/globals';
import { createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { decryptSigningKey, signingKeyText } from '../../src/signing-key.js';

// Keys written by the real cosign (test/fixtures/keys: TEST KEYS, password
// below, used for nothing but tests).
const KEYS = join(process.cwd(), 'test', 'fixtures', 'keys');
const PASSWORD = 'test-only-password';
const read = (name: string) => readFileSync(join(KEYS, name), 'utf8');

async function inputError(text: string, password = PASSWORD): Promise<string> {
  const err = await decryptSigningKey(text, password).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ActionError);
  expect((err as ActionError).code).toBe('INPUT');
  const message = (err as ActionError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('decryptSigningKey', () => {
  for (const [name, tool] of [
    ['cosign-test', 'cosign v3'],
    ['cosign2-test', 'cosign v2'],
  ]) {
    it(`decrypts a ${tool} generate-key-pair key to the key of its cosign.pub`, async () => {
      const key = await decryptSigningKey(read(`${name}.key`), PASSWORD);
      const pub = createPublicKey(read(`${name}.pub`));
      expect(key.publicKeyDER.equals(pub.export({ type: 'spki', format: 'der' }))).toBe(true);
      expect(createPublicKey(key.publicKeyPEM).equals(pub)).toBe(true);
      // The hint cosign v3 writes into bundles: base64 SHA-256 of the SPKI DER.
      expect(key.hint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      const signature = sign('sha256', Buffer.from('payload'), key.privateKey);
      expect(verify('sha256', Buffer.from('payload'), pub, signature)).toBe(true);
    });
  }

  it('reads the older ENCRYPTED COSIGN PRIVATE KEY label (same body)', async () => {
    const old = read('cosign-test.key').replace(/SIGSTORE PRIVATE KEY/g, 'COSIGN PRIVATE KEY');
    const key = await decryptSigningKey(old, PASSWORD);
    expect(createPublicKey(key.publicKeyPEM).equals(createPublicKey(read('cosign-test.pub')))).toBe(true);
  });

  it('names the password inputs when the password is wrong', async () => {
    const message = await inputError(read('cosign-test.key'), 'not-the-password');
    expect(message).toMatch(/^signing-key-password: wrong password/);
    expect(message).toContain('COSIGN_PASSWORD');
  });

  it('refuses RSA and P-384 cosign keys, naming the key type and generate-key-pair', async () => {
    expect(await inputError(read('rsa-test.key'))).toMatch(/an RSA key; sign-attest signs with ECDSA P-256 keys only.*cosign generate-key-pair/);
    expect(await inputError(read('p384-test.key'))).toMatch(/an ECDSA secp384r1 key; sign-attest signs with ECDSA P-256 keys only/);
  });

  it('refuses a plain PEM private key as cosign does, pointing at import-key-pair', async () => {
    const plain = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    expect(await inputError(plain)).toMatch(/"PRIVATE KEY" PEM is not a cosign key.*cosign import-key-pair/);
  });

  it('refuses garbage, a tampered ciphertext and unknown ciphers with one line each', async () => {
    expect(await inputError('not a key at all')).toMatch(/^signing-key: not a PEM block/);
    const body = (text: string) => JSON.parse(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').toString('utf8')) as Record<string, any>;
    const pemOf = (json: object) =>
      `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(json)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    const good = body(read('cosign-test.key'));
    const ct = Buffer.from(good['ciphertext'], 'base64');
    ct[5] = (ct[5] as number) ^ 1;
    // A flipped ciphertext bit fails Poly1305 exactly as a wrong password does.
    expect(await inputError(pemOf({ ...good, ciphertext: ct.toString('base64') }))).toMatch(/wrong password/);
    expect(await inputError(pemOf({ ...good, cipher: { ...good['cipher'], name: 'aes-gcm' } }))).toMatch(/unsupported encryption \(kdf scrypt, cipher aes-gcm\)/);
    expect(await inputError(pemOf({ ...good, kdf: { ...good['kdf'], params: { N: 1 << 30, r: 8, p: 1 } } }))).toMatch(/scrypt parameters N=1073741824/);
    expect(await inputError('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90IGpzb24=\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----')).toMatch(
      /not the JSON cosign writes/,
    );
  });
});

describe('signingKeyText', () => {
  it('takes PEM text as is and reads a path otherwise', () => {
    const text = read('cosign-test.key');
    expect(signingKeyText(text)).toBe(text.trim());
    expect(signingKeyText(join(KEYS, 'cosign-test.key'))).toBe(text);
  });

  it('names both forms when the value is neither', () => {
    expect(() => signingKeyText('/no/such/cosign.key')).toThrow(/signing-key: neither a PEM key nor the path of an existing file/);
  });
});
