import { createHash, createPrivateKey, createPublicKey, scrypt, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ActionError, errorLine } from './errors.js';

// A cosign private key (`cosign generate-key-pair`): a PEM whose body is JSON
// holding scrypt parameters and a NaCl secretbox (XSalsa20-Poly1305) around
// the PKCS#8 DER key. cosign signs only with keys in this form (a plain
// PKCS#8 or SEC 1 PEM is refused with "unsupported pem type"), so we accept
// exactly what it accepts.

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPEM: string;
  publicKeyDER: Buffer; // SPKI
  // What cosign v3 writes as the bundle's publicKey hint: base64 SHA-256 of the SPKI DER.
  hint: string;
}

// v2 and later write SIGSTORE, earlier releases COSIGN; the body is the same.
const PEM_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
// cosign writes N = 32768 (older) or 65536; far larger values only burn memory.
const MAX_SCRYPT_N = 1 << 20;

interface EncryptedKey {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

const fail = (message: string): never => {
  throw new ActionError('INPUT', message);
};

// The signing-key input: the PEM text itself (from a secret) or a file path.
export function signingKeyText(value: string): string {
  const v = value.trim();
  if (v.includes('-----BEGIN')) return v;
  if (!existsSync(v)) {
    fail('signing-key: neither a PEM key nor the path of an existing file; pass the contents of cosign.key (from a secret) or its path');
  }
  try {
    return readFileSync(v, 'utf8');
  } catch (err) {
    return fail(`signing-key: cannot read "${v}" (${errorLine(err)}); pass the contents of cosign.key or a readable path`);
  }
}

export async function decryptSigningKey(pemText: string, password: string): Promise<SigningKey> {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pemText);
  if (!m) return fail('signing-key: not a PEM block; pass the cosign.key written by cosign generate-key-pair');
  const label = m[1] as string;
  if (!PEM_LABELS.includes(label)) {
    return fail(
      `signing-key: a "${label}" PEM is not a cosign key (cosign signs only with its encrypted key format); ` +
        'convert it with cosign import-key-pair --key FILE, or make one with cosign generate-key-pair',
    );
  }
  let enc: EncryptedKey;
  try {
    enc = JSON.parse(Buffer.from((m[2] as string).replace(/\s+/g, ''), 'base64').toString('utf8')) as EncryptedKey;
  } catch {
    return fail('signing-key: the PEM body is not the JSON cosign writes; pass cosign.key unmodified');
  }
  const { kdf, cipher, ciphertext } = enc;
  if (kdf?.name !== 'scrypt' || cipher?.name !== 'nacl/secretbox') {
    return fail(
      `signing-key: unsupported encryption (kdf ${kdf?.name ?? 'none'}, cipher ${cipher?.name ?? 'none'}); only cosign's scrypt + nacl/secretbox keys are supported: re-create it with cosign generate-key-pair`,
    );
  }
  const { N = 0, r = 0, p = 0 } = kdf.params ?? {};
  const valid = (n: number) => Number.isSafeInteger(n) && n > 0;
  if (!valid(N) || !valid(r) || !valid(p) || (N & (N - 1)) !== 0 || N > MAX_SCRYPT_N || r * p >= 1 << 30) {
    return fail(`signing-key: scrypt parameters N=${N} r=${r} p=${p} are not ones cosign writes; re-create the key with cosign generate-key-pair`);
  }
  const salt = Buffer.from(kdf.salt ?? '', 'base64');
  const nonce = Buffer.from(cipher.nonce ?? '', 'base64');
  const sealed = Buffer.from(ciphertext ?? '', 'base64');
  if (nonce.length !== 24 || sealed.length <= 16) return fail('signing-key: the secretbox nonce or ciphertext is malformed; pass cosign.key unmodified');

  // The cipher is loaded only by runs that sign with a key (a chunk of its own).
  const [secret, { xsalsa20poly1305 }] = await Promise.all([
    new Promise<Buffer>((resolve, reject) =>
      scrypt(Buffer.from(password, 'utf8'), salt, 32, { N, r, p, maxmem: 256 * N * r + (1 << 20) }, (err, key) => (err ? reject(err) : resolve(key))),
    ),
    import('@noble/ciphers/salsa.js'),
  ]);
  let der: Uint8Array;
  try {
    der = xsalsa20poly1305(secret, nonce).decrypt(sealed);
  } catch {
    return fail(
      'signing-key-password: wrong password for signing-key (it does not decrypt the key); pass the password given to cosign generate-key-pair in signing-key-password or COSIGN_PASSWORD',
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (err) {
    return fail(`signing-key: the decrypted key is not a PKCS#8 private key (${errorLine(err)}); re-create it with cosign generate-key-pair`);
  }
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (type !== 'ec' || curve !== 'prime256v1') {
    return fail(
      `signing-key: an ${type === 'ec' ? `ECDSA ${curve} ` : `${type?.toUpperCase() ?? 'unknown'} `}key; sign-attest signs with ECDSA P-256 keys only (what cosign generate-key-pair makes): create one with cosign generate-key-pair`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const publicKeyDER = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPEM: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyDER,
    hint: createHash('sha256').update(publicKeyDER).digest('base64'),
  };
}
