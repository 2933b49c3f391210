import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTrustFiles } from '../../src/trust-files.js';

const spki = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const der = (pemText: string) => [...pemText.matchAll(/-----BEGIN [A-Z ]+-----\n([\s\S]*?)\n-----END/g)].map((m) => m[1]!.replace(/\n/g, ''));
const keyOf = (path: string) => createPublicKey(readFileSync(path, 'utf8')).export({ type: 'spki', format: 'der' }).toString('base64');

function fixture() {
  const k = {
    oldLog: spki(),
    log: spki(),
    otherLog: spki(),
    oldCt: spki(),
    ct: spki(),
    root: randomBytes(300).toString('base64'),
    inter: randomBytes(280).toString('base64'),
  };
  const closed = { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' };
  const open = { start: '2021-01-01T00:00:00Z' };
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      { baseUrl: 'https://rekor.example', publicKey: { rawBytes: k.oldLog, validFor: closed } },
      { baseUrl: 'https://rekor.example/', publicKey: { rawBytes: k.log, validFor: open } },
      { baseUrl: 'https://other.example', publicKey: { rawBytes: k.otherLog, validFor: open } },
    ],
    ctlogs: [
      { baseUrl: 'https://ct.example', publicKey: { rawBytes: k.ct, validFor: open } },
      { baseUrl: 'https://ct.example', publicKey: { rawBytes: k.oldCt, validFor: closed } },
    ],
    certificateAuthorities: [{ certChain: { certificates: [{ rawBytes: k.inter }, { rawBytes: k.root }] } }],
  };
  const dir = mkdtempSync(join(tmpdir(), 'trust-files-'));
  const input = join(dir, 'input.json');
  writeFileSync(input, JSON.stringify(root, null, 2));
  return { k, root, dir, input };
}

describe('writeTrustFiles', () => {
  it('writes the root as given and as one JSON line, next to the bundles', async () => {
    const { root, dir, input } = fixture();
    const files = await writeTrustFiles(dir, input, { legacy: false, rekorURL: 'https://rekor.example' });
    expect(files).toEqual({ json: join(dir, 'trusted_root.json'), jsonl: join(dir, 'trusted_root.jsonl') });
    expect(readFileSync(files.json, 'utf8')).toBe(`${readFileSync(input, 'utf8')}\n`);
    const lines = readFileSync(files.jsonl, 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(root);
  });

  it('for the tag path writes every CA certificate, the key of the log the run used and the open CT log key', async () => {
    const { k, dir, input } = fixture();
    const { legacy } = await writeTrustFiles(dir, input, { legacy: true, rekorURL: 'https://rekor.example' });
    expect(legacy).toEqual({ roots: join(dir, 'fulcio_roots.pem'), rekorKey: join(dir, 'rekor.pub'), ctlogKey: join(dir, 'ctlog.pub') });
    expect(der(readFileSync(legacy!.roots, 'utf8'))).toEqual([k.inter, k.root]);
    expect(keyOf(legacy!.rekorKey)).toBe(k.log);
    expect(keyOf(legacy!.ctlogKey!)).toBe(k.ct);
  });

  it('picks the log named by rekor-url, not merely the newest one', async () => {
    const { k, dir, input } = fixture();
    const { legacy } = await writeTrustFiles(dir, input, { legacy: true, rekorURL: 'https://other.example/' });
    expect(keyOf(legacy!.rekorKey)).toBe(k.otherLog);
  });
});
