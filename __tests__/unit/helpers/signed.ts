import type { SerializedBundle } from '@sigstore/bundle';
import type { Predicate, SignedResult, SignedTarget, Signer, SignerIdentity, Subject } from '../../../src/model.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../src/sign.js';

// Signed results without Sigstore: each "signature" records what was signed,
// so stage tests can follow data through signing, attaching and rows.

let nextIndex = 100;

export function fakeSigned(signed: Buffer, kind: SignedResult['kind']): SignedResult {
  const logIndex = nextIndex++;
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    ...(kind === 'dsse' ? { dsseEnvelope: { payload: signed.toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [] } } : { messageSignature: {} }),
  } as unknown as SerializedBundle;
  return {
    kind,
    bundle,
    entry: { uuid: `uuid-${logIndex}`, body: Buffer.from('{"kind":"x"}').toString('base64'), integratedTime: 1764590000, logID: 'ab', logIndex },
    signature: Buffer.from(`sig-${logIndex}`),
    ...(kind === 'dsse' ? { envelopeJSON: JSON.stringify({ payload: signed.toString('base64') }) } : {}),
  };
}

// A Signer that logs nothing: what it was asked to sign, in order.
export class FakeSigner implements Signer {
  readonly identity: SignerIdentity = {
    kind: 'certificate',
    san: 'https://github.com/o/r/.github/workflows/w.yml@refs/heads/main',
    issuer: 'https://issuer.test',
    certificatePEM: 'CERT',
    chainPEM: 'CHAIN',
  };
  readonly messages: Buffer[] = [];
  readonly statements: Buffer[] = [];
  readonly digests: Buffer[] = [];
  async signDigest(digest: Buffer): Promise<SignedResult> {
    this.digests.push(digest);
    return fakeSigned(digest, 'hashedrekord');
  }
  async signMessage(payload: Buffer): Promise<SignedResult> {
    this.messages.push(payload);
    return fakeSigned(payload, 'hashedrekord');
  }
  async signStatement(statement: Buffer): Promise<SignedResult> {
    this.statements.push(statement);
    return fakeSigned(statement, 'dsse');
  }
}

export const provenance: Predicate = { kind: 'provenance', predicateType: 'https://slsa.dev/provenance/v1', document: { buildDefinition: {} } };
export const sbom: Predicate = {
  kind: 'sbom',
  format: 'cyclonedx',
  predicateType: 'https://cyclonedx.org/bom',
  document: { bomFormat: 'CycloneDX', components: [{ purl: 'pkg:npm/a@1' }] },
  path: '/tmp/sbom.cdx.json',
};

export type { SignedTarget, Subject };
