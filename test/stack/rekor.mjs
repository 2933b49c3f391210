// Rekor v1 stand-in: an in-memory RFC 6962 Merkle log with signed checkpoints,
// SETs and the entry canonicalisation real Rekor applies before logging.
import crypto from 'node:crypto';
import { verifyDigest } from './ecdsa.mjs';

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const hex = (buf) => buf.toString('hex');

/** JCS (RFC 8785) for the JSON we produce: sorted keys, no whitespace. */
export function canonicalJSON(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const bad = (message) => new HttpError(400, message);

// ---------- Merkle tree (RFC 6962 §2.1) ----------

class MerkleTree {
  leaves = [];
  #complete = new Map(); // hashes of full power-of-two subtrees never change

  append(leafHash) {
    this.leaves.push(leafHash);
  }

  get size() {
    return this.leaves.length;
  }

  root(size = this.size) {
    return this.#hash(0, size);
  }

  /** Audit path for leaf m in the tree of the given size, leaf level first. */
  proof(m, size = this.size) {
    const path = (lo, hi) => {
      if (hi - lo <= 1) return [];
      const k = splitPoint(hi - lo);
      return m < lo + k ? [...path(lo, lo + k), this.#hash(lo + k, hi)] : [...path(lo + k, hi), this.#hash(lo, lo + k)];
    };
    return path(0, size);
  }

  #hash(lo, hi) {
    const n = hi - lo;
    if (n === 0) return sha256();
    if (n === 1) return this.leaves[lo];
    const key = `${lo}:${hi}`;
    const cached = this.#complete.get(key);
    if (cached) return cached;
    const k = splitPoint(n);
    const node = sha256(Buffer.from([1]), this.#hash(lo, lo + k), this.#hash(lo + k, hi));
    if ((n & (n - 1)) === 0) this.#complete.set(key, node);
    return node;
  }
}

// Largest power of two strictly smaller than n.
const splitPoint = (n) => 2 ** Math.floor(Math.log2(n - 1));

// ---------- Entry canonicalisation (rekor pkg/types/*) ----------

const b64 = (s, what) => {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw bad(`${what}: expected base64`);
  return Buffer.from(s, 'base64');
};

/** Public key from a base64 PEM that holds either a certificate or an SPKI key. */
function keyFromB64Pem(content, what) {
  const pem = b64(content, what).toString('utf8');
  try {
    return pem.includes('CERTIFICATE') ? new crypto.X509Certificate(pem).publicKey : crypto.createPublicKey(pem);
  } catch (e) {
    throw bad(`${what}: ${e.message}`);
  }
}

/**
 * The key material as Rekor stores it: parsed and re-encoded as Go's
 * encoding/pem writes it (64-column lines, trailing newline), whatever line
 * layout the client sent (rekor pkg/pki/x509 CanonicalValue). Verifiers such
 * as sigstore-python rebuild this text from the bundle's certificate and
 * compare it byte for byte.
 */
function canonicalB64Pem(content, what) {
  const pem = b64(content, what).toString('utf8');
  try {
    const text = pem.includes('CERTIFICATE') ? new crypto.X509Certificate(pem).toString() : crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' });
    return Buffer.from(text).toString('base64');
  } catch (e) {
    throw bad(`${what}: ${e.message}`);
  }
}

function hashForKey(key) {
  if (key.asymmetricKeyType === 'ed25519') return null;
  if (key.asymmetricKeyType !== 'ec') return 'sha256';
  return { 'P-384': 'sha384', 'P-521': 'sha512' }[key.export({ format: 'jwk' }).crv] ?? 'sha256';
}

/** Verifies a signature over the message itself, hashing as the key type implies. */
export const verifyMessage = (key, data, sig) => crypto.verify(hashForKey(key), data, key, sig);

const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

function parseEnvelope(text) {
  let env;
  try {
    env = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    throw bad('envelope is not valid JSON');
  }
  if (typeof env?.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures) || env.signatures.length === 0) {
    throw bad('envelope must have payloadType, payload and signatures');
  }
  return env;
}

const HASH_LENGTHS = { sha256: 64, sha384: 96, sha512: 128 };

function hashedrekord(spec) {
  const { algorithm, value } = spec?.data?.hash ?? {};
  if (!HASH_LENGTHS[algorithm] || typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${HASH_LENGTHS[algorithm]}}$`).test(value)) {
    throw bad('spec.data.hash must be {algorithm: sha256|sha384|sha512, value: lowercase hex}');
  }
  const sig = b64(spec.signature?.content, 'spec.signature.content');
  const key = keyFromB64Pem(spec.signature?.publicKey?.content, 'spec.signature.publicKey.content');
  let ok;
  try {
    ok = verifyDigest(key, Buffer.from(value, 'hex'), sig);
  } catch (e) {
    throw bad(e.message);
  }
  if (!ok) throw bad('verifying signature: invalid signature when validating ASN.1 encoded signature');
  return {
    data: { hash: { algorithm, value } },
    signature: { content: spec.signature.content, publicKey: { content: canonicalB64Pem(spec.signature.publicKey.content, 'spec.signature.publicKey.content') } },
  };
}

function dsse(spec) {
  const { envelope, verifiers } = spec?.proposedContent ?? {};
  if (typeof envelope !== 'string' || !Array.isArray(verifiers) || verifiers.length === 0) {
    throw bad('spec.proposedContent needs envelope (string) and verifiers');
  }
  const env = parseEnvelope(envelope);
  const payload = Buffer.from(env.payload, 'base64');
  const keys = verifiers.map((v, i) => [v, keyFromB64Pem(v, `verifiers[${i}]`)]);
  const signatures = env.signatures.map(({ sig }) => {
    const match = keys.find(([, key]) => verifyMessage(key, pae(env.payloadType, payload), b64(sig, 'signature')));
    if (!match) throw bad('could not verify envelope signature with any verifier');
    return { signature: sig, verifier: canonicalB64Pem(match[0], 'verifier') };
  });
  signatures.sort((a, b) => (a.signature < b.signature ? -1 : 1));
  return {
    envelopeHash: { algorithm: 'sha256', value: hex(sha256(Buffer.from(envelope))) },
    payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) },
    signatures,
  };
}

function intoto001(spec) {
  const envelope = spec?.content?.envelope;
  if (typeof envelope !== 'string') throw bad('spec.content.envelope must be a string');
  const env = parseEnvelope(envelope);
  const key = keyFromB64Pem(spec.publicKey, 'spec.publicKey');
  const payload = Buffer.from(env.payload, 'base64');
  if (!env.signatures.every(({ sig }) => verifyMessage(key, pae(env.payloadType, payload), b64(sig, 'signature')))) {
    throw bad('envelope signature does not verify');
  }
  return {
    content: {
      hash: { algorithm: 'sha256', value: hex(sha256(Buffer.from(envelope))) },
      payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) },
    },
    publicKey: canonicalB64Pem(spec.publicKey, 'spec.publicKey'),
  };
}

// v0.0.2 double-base64-encodes payload and signatures; the stored body keeps
// the client's envelope hash, recomputes the payload hash and drops the payload.
function intoto002(spec) {
  const env = parseEnvelope(spec?.content?.envelope);
  const payload = Buffer.from(b64(env.payload, 'payload').toString(), 'base64');
  const signatures = env.signatures.map(({ sig, publicKey }) => {
    const key = keyFromB64Pem(publicKey, 'signatures[].publicKey');
    const raw = Buffer.from(b64(sig, 'signature').toString(), 'base64');
    if (!verifyMessage(key, pae(env.payloadType, payload), raw)) throw bad('envelope signature does not verify');
    return { sig, publicKey: canonicalB64Pem(publicKey, 'signatures[].publicKey') };
  });
  const hash = spec.content.hash ?? { algorithm: 'sha256', value: hex(sha256(Buffer.from(JSON.stringify(env)))) };
  return {
    content: {
      envelope: { payloadType: env.payloadType, signatures },
      hash,
      payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) },
    },
  };
}

const KINDS = {
  'hashedrekord/0.0.1': hashedrekord,
  'dsse/0.0.1': dsse,
  'intoto/0.0.1': intoto001,
  'intoto/0.0.2': intoto002,
};

/** Turns a ProposedEntry into the body Rekor would store (before JCS). */
export function canonicalEntry(proposed) {
  const build = KINDS[`${proposed?.kind}/${proposed?.apiVersion}`];
  if (!build) throw bad(`unsupported entry type ${proposed?.kind}/${proposed?.apiVersion}`);
  return { apiVersion: proposed.apiVersion, kind: proposed.kind, spec: build(proposed.spec) };
}

// ---------- The log ----------

export class RekorLog {
  #tree = new MerkleTree();
  #entries = []; // shard-local order
  #byLeaf = new Map();

  /**
   * @param {object} o
   * @param {string} o.host  checkpoint signer name; must be a substring of the
   *   tlog baseUrl in trusted_root.json or @sigstore/verify rejects the checkpoint
   * @param {{publicKey: crypto.KeyObject, privateKey: crypto.KeyObject}} o.keyPair
   * @param {number} o.prefill  global index of the first entry. Entries before it
   *   are treated as an inactive shard: proofs use shard-local indexes, as real Rekor's do.
   */
  constructor({ host, keyPair, prefill = 0 }) {
    this.host = host;
    this.keyPair = keyPair;
    this.prefill = prefill;
    this.spki = keyPair.publicKey.export({ type: 'spki', format: 'der' });
    this.logID = hex(sha256(this.spki));
    // A random positive int64, as Trillian tree IDs are.
    this.treeID = crypto.randomBytes(8).readBigUInt64BE() >> 1n;
    this.treeIDHex = this.treeID.toString(16).padStart(16, '0');
  }

  get publicKeyPEM() {
    return this.keyPair.publicKey.export({ type: 'spki', format: 'pem' });
  }

  /** @returns {{uuid, entry}} the new entry, or throws HttpError (400/409). */
  add(proposed) {
    const body = Buffer.from(canonicalJSON(canonicalEntry(proposed)));
    const leaf = sha256(Buffer.from([0]), body);
    const existing = this.#byLeaf.get(hex(leaf));
    if (existing) {
      throw new HttpError(409, `An equivalent entry already exists in the transparency log with UUID ${existing.uuid}`, {
        Location: `/api/v1/log/entries/${existing.uuid}`,
      });
    }
    const entry = {
      uuid: this.treeIDHex + hex(leaf),
      shardIndex: this.#tree.size,
      body: body.toString('base64'),
      integratedTime: Math.floor(Date.now() / 1000),
      logID: this.logID,
      logIndex: this.prefill + this.#tree.size,
    };
    this.#tree.append(leaf);
    this.#entries.push(entry);
    this.#byLeaf.set(hex(leaf), entry);
    return entry;
  }

  byIndex(logIndex) {
    return this.#entries[logIndex - this.prefill];
  }

  /** Accepts both the 80-hex entry UUID and the bare 64-hex leaf hash. */
  byUUID(uuid) {
    const leaf = uuid.length === 80 && uuid.startsWith(this.treeIDHex) ? uuid.slice(16) : uuid;
    return this.#byLeaf.get(leaf.toLowerCase());
  }

  /** The `{uuid: LogEntry}` map Rekor returns, proven against the current tree. */
  render(entry) {
    const { uuid, body, integratedTime, logID, logIndex } = entry;
    const set = this.#sign(Buffer.from(canonicalJSON({ body, integratedTime, logID, logIndex })));
    const size = this.#tree.size;
    return {
      [uuid]: {
        body,
        integratedTime,
        logID,
        logIndex,
        verification: {
          signedEntryTimestamp: set.toString('base64'),
          inclusionProof: {
            logIndex: entry.shardIndex,
            rootHash: hex(this.#tree.root(size)),
            treeSize: size,
            hashes: this.#tree.proof(entry.shardIndex, size).map(hex),
            checkpoint: this.checkpoint(size),
          },
        },
      },
    };
  }

  /** GET /api/v1/log */
  info() {
    const size = this.#tree.size;
    return {
      rootHash: hex(this.#tree.root(size)),
      signedTreeHead: this.checkpoint(size),
      treeID: this.treeID.toString(),
      treeSize: size,
      inactiveShards: [],
    };
  }

  /** Signed note (rekor pkg/util/checkpoint.go); key hint = logID[0:4]. */
  checkpoint(size) {
    const note = `${this.host} - ${this.treeID}\n${size}\n${this.#tree.root(size).toString('base64')}\n` + `Timestamp: ${BigInt(Date.now()) * 1000000n}\n`;
    const sig = Buffer.concat([Buffer.from(this.logID.slice(0, 8), 'hex'), this.#sign(Buffer.from(note))]);
    return `${note}\n\u2014 ${this.host} ${sig.toString('base64')}\n`;
  }

  #sign(data) {
    return crypto.sign('sha256', data, this.keyPair.privateKey);
  }
}
