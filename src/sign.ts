import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { envelopeToJSON, toDSSEBundle, toMessageSignatureBundle, type Bundle } from '@sigstore/bundle';
import { dsse, pem, X509Certificate } from '@sigstore/core';
import { p256 } from '@noble/curves/nist.js';
import { ActionError } from './errors.js';
import type { SignedResult, Signer, SignerIdentity } from './model.js';
import type { Http } from './http.js';
import { claimString, type Identity } from './identity.js';
import { bundleJSON, toTlogEntry } from './sigstore/bundle.js';
import { requestCertificate } from './sigstore/fulcio.js';
import { createEntry, type ProposedEntry, type RekorEntry } from './sigstore/rekor.js';
import { createEntryV2 } from './sigstore/rekor-v2.js';
import { requestTimestamp } from './sigstore/tsa.js';
import type { SigningKey } from './signing-key.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface SigstoreEndpoints {
  fulcioURL: string;
  rekorURL: string;
  // 2: rekor-tiles (hashedrekord v0.0.2 only, no SET; a TSA is required).
  rekorVersion?: 1 | 2;
  tsaURL?: string;
}

export type { SignedResult };

// One P-256 key for the whole run, reused by every signature and
// attestation in it: an ephemeral key with a Fulcio certificate, or the
// user's cosign key.
export class RunSigner implements Signer {
  private constructor(
    private readonly http: Http,
    private readonly endpoints: SigstoreEndpoints,
    private readonly key: KeyObject,
    // Who verifiers are told signed: the Fulcio certificate, or the public key (bundles carry its hint).
    readonly identity: SignerIdentity,
    // false: nothing is logged in Rekor (key signing only).
    readonly tlog = true,
  ) {}

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
    return new RunSigner(http, endpoints, privateKey, { kind: 'certificate', certificatePEM: leaf, chainPEM: rest.join(''), san, issuer: identity.issuer });
  }

  // The user's key: no OIDC token and no Fulcio; verifiers pin the public key.
  static withKey(http: Http, endpoints: SigstoreEndpoints, key: SigningKey, opts: { tlog: boolean }): RunSigner {
    return new RunSigner(http, endpoints, key.privateKey, { kind: 'key', publicKeyPEM: key.publicKeyPEM, publicKeyDER: key.publicKeyDER, hint: key.hint }, opts.tlog);
  }

  get certificatePEM(): string {
    return this.identity.kind === 'certificate' ? this.identity.certificatePEM : '';
  }

  get chainPEM(): string {
    return this.identity.kind === 'certificate' ? this.identity.chainPEM : '';
  }

  get san(): string {
    return this.identity.kind === 'certificate' ? this.identity.san : '';
  }

  get issuer(): string {
    return this.identity.kind === 'certificate' ? this.identity.issuer : '';
  }

  // Signs raw bytes (cosign simple-signing payloads) and logs a hashedrekord entry.
  // node:crypto signs the payload itself (as signStatement does): the same ECDSA
  // over its sha256, without the ~30 ms noble spends on its first P-256 tables.
  signMessage(payload: Buffer): Promise<SignedResult> {
    return this.signedDigest(createHash('sha256').update(payload).digest(), sign('sha256', payload, this.key));
  }

  // Signs a file known by its sha256 digest (a release file, hashed as it
  // streamed, or a line of a checksums file): the bundle and the
  // hashedrekord entry are the ones `cosign sign-blob --bundle` makes for the
  // file's bytes, since ECDSA signs the message's hash either way.
  // Only the digest is known here, and node:crypto signs only what it hashes itself.
  signDigest(digest: Buffer): Promise<SignedResult> {
    return this.signedDigest(digest, Buffer.from(p256.sign(digest, this.secretKey(), { prehash: false, format: 'der' })));
  }

  private async signedDigest(digest: Buffer, signature: Buffer): Promise<SignedResult> {
    const bundle = toMessageSignatureBundle({ digest, signature, ...this.bundleMaterial() });
    // The timestamp is over the signature, not the log entry: both run at once.
    const [entry, timestamp] = await Promise.all([
      this.log(
        {
          apiVersion: '0.0.1',
          kind: 'hashedrekord',
          spec: {
            signature: { content: signature.toString('base64'), publicKey: { content: this.verifierB64() } },
            data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
          },
        },
        () => digest,
        signature,
      ),
      this.timestamp(signature),
    ]);
    return this.finish('hashedrekord', bundle, entry, signature, timestamp);
  }

  // Signs an in-toto statement as a DSSE envelope and logs a dsse entry.
  async signStatement(statement: Buffer, payloadType = IN_TOTO_PAYLOAD_TYPE): Promise<SignedResult> {
    const pae = dsse.preAuthEncoding(payloadType, statement);
    const signature = sign('sha256', pae, this.key);
    const bundle = toDSSEBundle({ artifact: statement, artifactType: payloadType, signature, ...this.bundleMaterial() });
    const envelopeJSON = JSON.stringify(envelopeToJSON(bundle.content.dsseEnvelope));
    // Rekor v2 logs the digest of the pre-authentication encoding; it is taken
    // now so the encoding (as large as the statement) is not held during the upload.
    const paeDigest = this.endpoints.rekorVersion === 2 ? createHash('sha256').update(pae).digest() : Buffer.alloc(0);
    const [entry, timestamp, envelopeTimestamp] = await Promise.all([
      this.log(
        { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeJSON, verifiers: [this.verifierB64()] } } },
        () => paeDigest,
        signature,
      ),
      this.timestamp(signature),
      // Copied into a Buffer only when there is a TSA: for a large SBOM the envelope is megabytes.
      this.endpoints.tsaURL ? this.timestamp(Buffer.from(envelopeJSON)) : undefined,
    ]);
    const signed = this.finish('dsse', bundle, entry, signature, timestamp);
    return { ...signed, envelopeJSON, envelopeTimestamp };
  }

  // Rekor v1 takes the entry as proposed; v2 a hashedrekord over the digest of
  // the signed bytes (for DSSE, the pre-authentication encoding), computed
  // only then: a v1 run does not hash a large envelope for nothing.
  private async log(entry: ProposedEntry, digest: () => Buffer, signature: Buffer): Promise<RekorEntry | undefined> {
    if (!this.tlog) return undefined;
    if (this.endpoints.rekorVersion === 2) {
      const m = this.identity;
      const verifier = m.kind === 'certificate' ? { certificate: pem.toDER(m.certificatePEM) } : { publicKey: m.publicKeyDER };
      return createEntryV2(this.http, this.endpoints.rekorURL, { digest: digest(), signature, ...verifier });
    }
    return createEntry(this.http, this.endpoints.rekorURL, entry);
  }

  // An RFC 3161 timestamp over `bytes`, when the run has a TSA.
  private async timestamp(bytes: Buffer): Promise<Buffer | undefined> {
    return this.endpoints.tsaURL ? requestTimestamp(this.http, this.endpoints.tsaURL, bytes) : undefined;
  }

  private finish(kind: SignedResult['kind'], bundle: Bundle, entry: RekorEntry | undefined, signature: Buffer, timestamp: Buffer | undefined): SignedResult {
    bundle.verificationMaterial.tlogEntries = entry ? [toTlogEntry(entry)] : [];
    if (this.identity.kind === 'key') bundle.verificationMaterial.content = { $case: 'publicKey', publicKey: { hint: this.identity.hint } };
    if (timestamp) bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: timestamp }] };
    return { kind, bundle: bundleJSON(bundle), entry, signature, timestamp };
  }

  // The bundle's verification material: the leaf certificate, or the key's
  // hint (as cosign v3 writes it; the DSSE signature's keyid stays empty, as
  // in cosign's envelopes).
  private bundleMaterial(): { certificate?: Buffer; certificateChain: false } {
    return this.identity.kind === 'certificate' ? { certificate: pem.toDER(this.identity.certificatePEM), certificateChain: false } : { certificateChain: false };
  }

  // node:crypto signs only a message it hashes itself; a digest is signed
  // with the raw scalar through @noble/curves (already used to verify digests).
  private secretKey(): Uint8Array {
    return Buffer.from(this.key.export({ format: 'jwk' }).d ?? '', 'base64url');
  }

  // What Rekor v1 entries name as the verifier: the PEM certificate or PEM public key, base64.
  private verifierB64(): string {
    const m = this.identity;
    return Buffer.from(m.kind === 'certificate' ? m.certificatePEM : m.publicKeyPEM).toString('base64');
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
