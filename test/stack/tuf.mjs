// A minimal, signed TUF repository (one ed25519 key for all four roles,
// consistent_snapshot off) so sigstore clients can fetch trusted_root.json
// through their normal TUF path instead of the public-good CDN.
import crypto from 'node:crypto';
import { canonicalJSON } from './rekor.mjs';

const SPEC_VERSION = '1.0.31';
const EXPIRES = '2099-01-01T00:00:00Z';

/**
 * @param {Record<string, Buffer>} targets  target name → content
 * @returns {Map<string, Buffer>} repository path (e.g. "1.root.json",
 *   "targets/trusted_root.json") → file content
 */
export function buildTufRepo(targets) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const key = {
    keytype: 'ed25519',
    scheme: 'ed25519',
    keyval: { public: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') },
  };
  const keyid = crypto.createHash('sha256').update(canonicalJSON(key)).digest('hex');
  const role = { keyids: [keyid], threshold: 1 };

  const sign = (signed) =>
    Buffer.from(
      JSON.stringify({
        signed,
        signatures: [{ keyid, sig: crypto.sign(null, Buffer.from(canonicalJSON(signed)), privateKey).toString('hex') }],
      }),
    );
  const common = (type) => ({ _type: type, spec_version: SPEC_VERSION, version: 1, expires: EXPIRES });

  const root = sign({
    ...common('root'),
    consistent_snapshot: false,
    keys: { [keyid]: key },
    roles: { root: role, targets: role, snapshot: role, timestamp: role },
  });
  const targetsMeta = sign({
    ...common('targets'),
    targets: Object.fromEntries(
      Object.entries(targets).map(([name, data]) => [name, { length: data.length, hashes: { sha256: crypto.createHash('sha256').update(data).digest('hex') } }]),
    ),
  });
  const snapshot = sign({ ...common('snapshot'), meta: { 'targets.json': { version: 1 } } });
  const timestamp = sign({ ...common('timestamp'), meta: { 'snapshot.json': { version: 1 } } });

  return new Map([
    ['1.root.json', root],
    ['root.json', root],
    ['targets.json', targetsMeta],
    ['snapshot.json', snapshot],
    ['timestamp.json', timestamp],
    ...Object.entries(targets).map(([name, data]) => [`targets/${name}`, data]),
  ]);
}
