import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrustMaterial } from '@sigstore/verify';
import type { FileTarget } from '../../../src/model.js';
import { signTarget, verifySigned, writeBundles } from '../../../src/stages/sign.js';
import { FakeSigner, provenance, sbom } from '../helpers/signed.js';

const file: FileTarget = { kind: 'file', name: 'app-linux-amd64.tar.gz', digest: `sha256:${'ab'.repeat(32)}` };

describe('signing stage', () => {
  it('signs the simple-signing payload, the cosign-sign statement and one statement per predicate, each naming the subject', async () => {
    const signer = new FakeSigner();
    const st = await signTarget(signer, file, true, 'both', [provenance, sbom]);
    expect(signer.messages).toHaveLength(1);
    expect(JSON.parse(signer.messages[0]!.toString()).critical.image['docker-manifest-digest']).toBe(file.digest);
    const types = signer.statements.map((s) => JSON.parse(s.toString()) as { predicateType: string; subject: { name: string; digest: { sha256: string } }[] });
    expect(types.map((t) => t.predicateType)).toEqual(['https://sigstore.dev/cosign/sign/v1', provenance.predicateType, sbom.predicateType]);
    for (const t of types) expect(t.subject).toEqual([{ name: file.name, digest: { sha256: 'ab'.repeat(32) } }]);
    expect(st.attestations.map((a) => a.predicate)).toEqual([provenance, sbom]);
  });

  it('attach: tags makes no bundle-format signature; sign: false no signature at all', async () => {
    const tagsOnly = await signTarget(new FakeSigner(), file, true, 'tags', []);
    expect(tagsOnly.signature).toBeDefined();
    expect(tagsOnly.signatureReferrer).toBeUndefined();
    const unsigned = await signTarget(new FakeSigner(), file, false, 'both', [provenance]);
    expect(unsigned.signature).toBeUndefined();
    expect(unsigned.signatureReferrer).toBeUndefined();
    expect(unsigned.attestations).toHaveLength(1);
  });

  it('writes one bundle file per signature, named by what it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    const st = await signTarget(new FakeSigner(), file, true, 'both', [provenance, sbom, { ...sbom, format: 'spdx' }]);
    const paths = await writeBundles(dir, st);
    const [sub] = readdirSync(dir);
    expect(sub).toBe(`app-linux-amd64.tar.gz@sha256-${'ab'.repeat(32)}`);
    expect(readdirSync(join(dir, sub!)).sort()).toEqual([
      'provenance.sigstore.json',
      'sbom-spdx.sigstore.json',
      'sbom.sigstore.json',
      'signature-referrer.sigstore.json',
      'signature.sigstore.json',
    ]);
    expect(paths.size).toBe(5);
    expect(JSON.parse(readFileSync(paths.get(st.signature!)!, 'utf8'))).toEqual(st.signature!.bundle);
  });

  it('a bundle that does not verify stops the run with one line naming the subject and the fix', async () => {
    const st = await signTarget(new FakeSigner(), file, true, 'tags', []);
    const trust = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] } as unknown as TrustMaterial;
    expect(() => verifySigned(trust, st, { san: 'x', issuer: 'y' })).toThrow(
      new RegExp(
        `^Self-verification of the signature for ${file.name}@${file.digest} failed \\(.*\\); check that trusted-root belongs to the Sigstore instance at fulcio-url and rekor-url$`,
      ),
    );
  });
});
