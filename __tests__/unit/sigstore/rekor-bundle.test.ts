import { describe, it, expect } from '@jest/globals';
import { bundleFromJSON, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';
import { cosignRekorBundle } from '../../../src/formats/cosign.js';
import { bundleJSON, rekorEntryURL, toTlogEntry } from '../../../src/sigstore/bundle.js';
import type { RekorEntry } from '../../../src/sigstore/rekor.js';

const LOG_ID = 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d';
const BODY_JSON = '{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":{"algorithm":"sha256","value":"aa"}}}';
const BODY = Buffer.from(BODY_JSON).toString('base64');
const SET = Buffer.from('set-der-bytes').toString('base64');
const CHECKPOINT = 'rekor.sigstore.dev - 1193050959916656506\n53604735\nq80=\n\n— rekor.sigstore.dev abcd\n';

function entry(over: Partial<RekorEntry> = {}): RekorEntry {
  return {
    uuid: `24296fb24b8ad77a${'e'.repeat(64)}`,
    body: BODY,
    integratedTime: 1740770291,
    logID: LOG_ID,
    logIndex: 175508996,
    verification: {
      signedEntryTimestamp: SET,
      inclusionProof: { logIndex: 53604734, rootHash: 'ab'.repeat(32), treeSize: 53604735, hashes: ['01'.repeat(32), 'ff'.repeat(32)], checkpoint: CHECKPOINT },
    },
    ...over,
  };
}

describe('toTlogEntry', () => {
  const t = toTlogEntry(entry());

  it('writes global logIndex and integratedTime as strings', () => {
    expect(t.logIndex).toBe('175508996');
    expect(t.integratedTime).toBe('1740770291');
  });

  it('writes logIndex 0 as "0", not dropping it', () => {
    expect(toTlogEntry(entry({ logIndex: 0 })).logIndex).toBe('0');
  });

  it('converts the hex logID to 32 key-id bytes', () => {
    expect(Buffer.from(t.logId.keyId).toString('hex')).toBe(LOG_ID);
    expect(t.logId.keyId).toHaveLength(32);
  });

  it('takes kind and version from the decoded body', () => {
    expect(t.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    const hashed = Buffer.from('{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}').toString('base64');
    expect(toTlogEntry(entry({ body: hashed })).kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
  });

  it('keeps the decoded body bytes as canonicalizedBody', () => {
    expect(Buffer.from(t.canonicalizedBody).toString('utf8')).toBe(BODY_JSON);
  });

  it('decodes the SET into the inclusion promise', () => {
    expect(Buffer.from(t.inclusionPromise?.signedEntryTimestamp ?? []).toString()).toBe('set-der-bytes');
  });

  it('converts the inclusion proof: shard-local index and sizes as strings, hex hashes to bytes', () => {
    const p = t.inclusionProof;
    expect(p?.logIndex).toBe('53604734');
    expect(p?.treeSize).toBe('53604735');
    expect(Buffer.from(p?.rootHash ?? []).toString('hex')).toBe('ab'.repeat(32));
    expect(p?.hashes.map((h) => Buffer.from(h).toString('hex'))).toEqual(['01'.repeat(32), 'ff'.repeat(32)]);
    expect(p?.checkpoint).toEqual({ envelope: CHECKPOINT });
  });

  it('leaves promise and proof undefined when Rekor returned no verification', () => {
    const bare = toTlogEntry(entry({ verification: undefined }));
    expect(bare.inclusionPromise).toBeUndefined();
    expect(bare.inclusionProof).toBeUndefined();
  });
});

describe('cosignRekorBundle', () => {
  it('produces the exact legacy bundle JSON: capitalised outer keys, body/integratedTime/logIndex/logID order', () => {
    expect(cosignRekorBundle(entry())).toBe(
      `{"SignedEntryTimestamp":"${SET}","Payload":{"body":"${BODY}","integratedTime":1740770291,"logIndex":175508996,"logID":"${LOG_ID}"}}`,
    );
  });

  it('writes integratedTime and logIndex as JSON numbers, including 0', () => {
    const b = JSON.parse(cosignRekorBundle(entry({ logIndex: 0 }))) as { Payload: Record<string, unknown> };
    expect(b.Payload['logIndex']).toBe(0);
    expect(b.Payload['integratedTime']).toBe(1740770291);
  });
});

describe('rekorEntryURL', () => {
  it('uses the search UI for the public-good Rekor', () => {
    expect(rekorEntryURL('https://rekor.sigstore.dev', 42)).toBe('https://search.sigstore.dev/?logIndex=42');
    expect(rekorEntryURL('https://rekor.sigstore.dev/', 0)).toBe('https://search.sigstore.dev/?logIndex=0');
  });

  it('uses the v1 API for any other Rekor', () => {
    expect(rekorEntryURL('http://127.0.0.1:3000/', 7)).toBe('http://127.0.0.1:3000/api/v1/log/entries?logIndex=7');
    expect(rekorEntryURL('https://rekor.example.com', 7)).toBe('https://rekor.example.com/api/v1/log/entries?logIndex=7');
  });
});

describe('bundleJSON', () => {
  const bundleFor = (e: RekorEntry) => {
    const b = toMessageSignatureBundle({ digest: Buffer.alloc(32, 1), signature: Buffer.from('sig'), certificate: Buffer.from('cert'), certificateChain: false });
    b.verificationMaterial.tlogEntries = [toTlogEntry(e)];
    return b;
  };

  // The first entry of a log (or of a new shard): proto3 JSON would drop
  // these zero values, and sigstore-python refuses the bundle without them.
  it('writes logIndex 0, proof logIndex 0 and an empty hashes list out', () => {
    const first = entry({
      logIndex: 0,
      verification: { signedEntryTimestamp: SET, inclusionProof: { logIndex: 0, rootHash: 'ab'.repeat(32), treeSize: 1, hashes: [], checkpoint: CHECKPOINT } },
    });
    const plain = bundleToJSON(bundleFor(first)).verificationMaterial.tlogEntries[0] as unknown as Record<string, unknown>;
    expect('logIndex' in plain).toBe(false);
    const t = bundleJSON(bundleFor(first)).verificationMaterial.tlogEntries[0]!;
    expect(t.logIndex).toBe('0');
    expect(t.inclusionProof).toMatchObject({ logIndex: '0', treeSize: '1', hashes: [] });
    expect(Object.keys(t)[0]).toBe('logIndex');
    expect(bundleFromJSON(JSON.parse(JSON.stringify(bundleJSON(bundleFor(first))))).verificationMaterial.tlogEntries[0]?.logIndex).toBe('0');
  });

  it('leaves every other entry exactly as proto3 JSON writes it', () => {
    expect(JSON.stringify(bundleJSON(bundleFor(entry())))).toBe(JSON.stringify(bundleToJSON(bundleFor(entry()))));
  });
});
