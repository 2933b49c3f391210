import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { envelopeToJSON, toDSSEBundle, toMessageSignatureBundle, type Bundle } from '@sigstore/bundle';
import { dsse, pem, X509Certificate } from '@sigstore/core';
import { ActionError } from './errors.js';
import type { SignedResult, Signer, SignerIdentity } from './model.js';
import type { Http } from './http.js';
import { claimString, type Identity } from './identity.js';
import { bundleJSON, toTlogEntry } from './sigstore/bundle.js';
import { requestCertificate } from './sigstore/fulcio.js';
import { createEntry, type ProposedEntry, type RekorEntry } from './sigstore/rekor.js';
import { createEntryV2 } from './sigstore/rekor-v2.js';
import { requestTimestamp } from './sigstore/tsa.js';

export type { SignedResult };

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface SigstoreEndpoints {
  fulcioURL: string;
  rekorURL: string;
  // 2: rekor-tiles (hashedrekord v0.0.2 only, no SET; a TSA is required).
  rekorVersion?: 1 | 2;
  tsaURL?: string;
}

// One ephemeral P-256 key and one Fulcio certificate for the whole run,
// reused by every signature and attestation in it.
export class RunSigner implements Signer {
  readonly identity: SignerIdentity;

  private constructor(
    private readonly http: Http,
    private readonly endpoints: SigstoreEndpoints,
    private readonly key: KeyObject,
    readonly certificatePEM: string,
    readonly chainPEM: string,
    readonly san: string,
    readonly issuer: string,
  ) {
    this.identity = { kind: 'certificate', san, issuer, certificatePEM, chainPEM };
  }

  static async create(http: Http, endpoints: SigstoreEndpoints, identity: Identity): Promise<RunSigner> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const subject = challengeClaim(identity);
    const chain = await requestCertificate(http, endpoints.fulcioURL, {
      token: identity.token,
      publicKeyPEM: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      proofOfPossession: sign('sha256', Buffer.from(subject), privateKey),
    });
    const [leaf, ...rest] = chain.map((c) => c.trim() + '\n');
    if (!leaf) throw new ActionError('FULCIO', 'Fulcio returned an empty certificate chain; check fulcio-url');
    const san = X509Certificate.parse(leaf).subjectAltName ?? '';
    return new RunSigner(http, endpoints, privateKey, leaf, rest.join(''), san, identity.issuer);
  }

  // Signs raw bytes (cosign simple-signing payloads) and logs a hashedrekord entry.
  async signMessage(payload: Buffer): Promise<SignedResult> {
    const digest = createHash('sha256').update(payload).digest();
    const signature = sign('sha256', payload, this.key);
    const bundle = toMessageSignatureBundle({ digest, signature, certificate: this.certificateDER(), certificateChain: false });
    const entry = await this.log(
      {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          signature: { content: signature.toString('base64'), publicKey: { content: this.certificateB64() } },
          data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
        },
      },
      () => digest,
      signature,
    );
    return this.finish('hashedrekord', bundle, entry, signature);
  }

  // Signs an in-toto statement as a DSSE envelope and logs a dsse entry.
  async signStatement(statement: Buffer, payloadType = IN_TOTO_PAYLOAD_TYPE): Promise<SignedResult> {
    const pae = dsse.preAuthEncoding(payloadType, statement);
    const signature = sign('sha256', pae, this.key);
    const bundle = toDSSEBundle({ artifact: statement, artifactType: payloadType, signature, certificate: this.certificateDER(), certificateChain: false });
    const envelopeJSON = JSON.stringify(envelopeToJSON(bundle.content.dsseEnvelope));
    const entry = await this.log(
      { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeJSON, verifiers: [this.certificateB64()] } } },
      () => createHash('sha256').update(pae).digest(),
      signature,
    );
    const signed = await this.finish('dsse', bundle, entry, signature);
    const envelopeTimestamp = this.endpoints.tsaURL ? await requestTimestamp(this.http, this.endpoints.tsaURL, Buffer.from(envelopeJSON)) : undefined;
    return { ...signed, envelopeJSON, envelopeTimestamp };
  }

  // Rekor v1 takes the entry as proposed; v2 a hashedrekord over the digest of
  // the signed bytes (for DSSE, the pre-authentication encoding), computed
  // only then: a v1 run does not hash a large envelope for nothing.
  private log(entry: ProposedEntry, digest: () => Buffer, signature: Buffer): Promise<RekorEntry> {
    if (this.endpoints.rekorVersion === 2) {
      return createEntryV2(this.http, this.endpoints.rekorURL, { digest: digest(), signature, certificate: this.certificateDER() });
    }
    return createEntry(this.http, this.endpoints.rekorURL, entry);
  }

  private async finish(kind: SignedResult['kind'], bundle: Bundle, entry: RekorEntry, signature: Buffer): Promise<SignedResult> {
    bundle.verificationMaterial.tlogEntries = [toTlogEntry(entry)];
    let timestamp: Buffer | undefined;
    if (this.endpoints.tsaURL) {
      timestamp = await requestTimestamp(this.http, this.endpoints.tsaURL, signature);
      bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: timestamp }] };
    }
    return { kind, bundle: bundleJSON(bundle), entry, signature, timestamp };
  }

  private certificateDER(): Buffer {
    return pem.toDER(this.certificatePEM);
  }

  private certificateB64(): string {
    return Buffer.from(this.certificatePEM).toString('base64');
  }
}

// Fulcio's proof of possession is a signature over the token's challenge
// claim: `sub` for CI issuers, the email for interactive email identities.
function challengeClaim(identity: Identity): string {
  const email = claimString(identity.claims, 'email');
  if (email && /accounts\.google\.com|oauth2\.sigstore\.dev/.test(identity.issuer)) return email;
  const sub = claimString(identity.claims, 'sub');
  if (!sub) throw new ActionError('IDENTITY', 'The OIDC token has no "sub" claim, which Fulcio requires; pass a token from a supported issuer');
  return sub;
}
