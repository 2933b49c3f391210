import { pem } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { COSIGN } from '../formats/cosign.js';
import { parseBundle, verifyBundleMaterial, type VerifiedBundle } from '../verify.js';
import { VerifyError } from './error.js';
import { pinKey, type KeyPolicy } from './key.js';
import { checkSimpleSigning, checkStatementSubject, sha256Hex, statementOf, type Statement } from './subject.js';

// cosign's classic `.sig`/`.att` layers. Each layer is turned into a v0.1
// bundle (the bundle version whose tlog entries may carry an inclusion
// promise without a proof, which is all a legacy Rekor bundle has) so that
// @sigstore/verify checks the chain, SCT, SET, integrated time and signature;
// the extra bindings cosign's VerifyBundle makes are checked here.

const BUNDLE_V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

// One layer of a `.sig` or `.att` manifest: its bytes and annotations.
export interface ClassicLayer {
  mediaType: string;
  bytes: Buffer;
  annotations: Record<string, string>;
}

interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

interface LoggedBody {
  kind: string;
  apiVersion: string;
  spec: Record<string, unknown>;
}

export interface ClassicResult extends VerifiedBundle {
  statement?: Statement;
}

// With a key (cosign's --key): the layer must be signed by it; with
// insecureIgnoreTlog, a layer without a Rekor bundle is accepted.
export interface ClassicKeyCheck {
  policy: KeyPolicy;
  insecureIgnoreTlog?: boolean;
}

// Verifies a layer completely: cryptography, log binding, and that it names `digest`.
export function verifyClassicLayer(trust: TrustMaterial, layer: ClassicLayer, digest: string, key?: ClassicKeyCheck): ClassicResult {
  const { bundleJSON, body, certificateDER } = toClassicBundle(layer, key);
  const bundle = parseBundle(bundleJSON);
  const isSignature = layer.mediaType === COSIGN.simpleSigning;
  const signerDER = certificateDER ?? key?.policy.spki;
  // A key signature logged under another key is someone else's, not a forgery.
  if (key && body && signerDER) checkLoggedBody(body, layer.bytes, signerDER, !certificateDER);
  if (key) trust = pinKey(trust, bundle, key.policy);
  // For an intoto v0.0.1 entry the library checks inclusion only; checkLoggedBody binds its body.
  let verified: VerifiedBundle;
  try {
    verified = verifyBundleMaterial(trust, bundle, isSignature ? layer.bytes : undefined, {
      bodyBoundByCaller: body !== undefined && `${body.kind} ${body.apiVersion}` === INTOTO_V001,
      insecureIgnoreTlog: key?.insecureIgnoreTlog,
    });
  } catch (err) {
    // Unlogged and not verifying with the key: nothing tells another key's signature from a forgery.
    if (key && !body && !certificateDER && err instanceof VerifyError && err.reason === 'SIGNATURE') {
      throw new VerifyError('IDENTITY', 'not signed by the given key (the signature does not verify with it)');
    }
    throw err;
  }
  if (body && signerDER) checkLoggedBody(body, layer.bytes, signerDER, !certificateDER);
  if (isSignature) {
    checkSimpleSigning(layer.bytes, digest);
    return verified;
  }
  const statement = statementOf(bundle);
  checkStatementSubject(statement, digest);
  return { ...verified, statement };
}

// Builds the bundle the annotations describe; the signed content comes from
// the layer bytes themselves, never from a logged or annotated copy.
// `key`: a layer without a certificate is read as signed with that key
// (named by its hint), and one without a Rekor bundle is allowed when
// insecureIgnoreTlog says so; `body` is then absent.
export function toClassicBundle(layer: ClassicLayer, key?: ClassicKeyCheck): { bundleJSON: unknown; body?: LoggedBody; certificateDER?: Buffer } {
  const ann = layer.annotations;
  const certPEM = ann[COSIGN.certificate];
  if (!certPEM && !key)
    throw new VerifyError('IDENTITY', 'no certificate annotation: signed with a key, not keylessly; verify it with --key (the cosign.pub of that key)');
  if (!ann[COSIGN.bundle] && !certPEM && key && !key.insecureIgnoreTlog) {
    throw new VerifyError(
      'TLOG_BODY',
      'not logged in a transparency log (no Rekor bundle annotation); if it was signed with tlog-upload: false, verify with --insecure-ignore-tlog',
    );
  }
  const rekor = !ann[COSIGN.bundle] && !certPEM && key ? undefined : parseJSON<RekorBundle>(ann[COSIGN.bundle], 'the Rekor bundle annotation');
  if (rekor && (!rekor.SignedEntryTimestamp || !rekor.Payload?.body)) throw new VerifyError('MALFORMED', 'the Rekor bundle annotation has no SET or body');
  const body = rekor ? parseJSON<LoggedBody>(Buffer.from(rekor.Payload.body, 'base64').toString('utf8'), 'the logged Rekor body') : undefined;
  const certificateDER = certPEM ? pem.toDER(certPEM) : undefined;
  // cosign stamps a .sig's signature bytes, which @sigstore/verify checks; a
  // .att's stamp covers the whole envelope, which it cannot, so there the
  // SET's integrated time is the (sufficient) timestamp.
  const stamped = layer.mediaType === COSIGN.simpleSigning && ann[COSIGN.rfc3161];
  const rfc3161 = stamped ? parseJSON<{ SignedRFC3161Timestamp: string }>(stamped, 'the RFC 3161 annotation') : undefined;
  const bundleJSON = {
    mediaType: BUNDLE_V01,
    verificationMaterial: {
      ...(certificateDER ? { x509CertificateChain: { certificates: [{ rawBytes: certificateDER.toString('base64') }] } } : { publicKey: { hint: key?.policy.hint } }),
      tlogEntries:
        !rekor || !body
          ? []
          : [
              {
                logIndex: String(rekor.Payload.logIndex),
                logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
                kindVersion: { kind: body.kind, version: body.apiVersion },
                integratedTime: String(rekor.Payload.integratedTime),
                inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
                canonicalizedBody: rekor.Payload.body,
              },
            ],
      timestampVerificationData: rfc3161 ? { rfc3161Timestamps: [{ signedTimestamp: rfc3161.SignedRFC3161Timestamp }] } : undefined,
    },
    ...content(layer),
  };
  return { bundleJSON, body, certificateDER };
}

function content(layer: ClassicLayer): object {
  if (layer.mediaType === COSIGN.simpleSigning) {
    const signature = layer.annotations[COSIGN.signature];
    if (!signature) throw new VerifyError('MALFORMED', 'no signature annotation on the .sig layer');
    return { messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(sha256Hex(layer.bytes), 'hex').toString('base64') }, signature } };
  }
  if (layer.mediaType === COSIGN.dsseEnvelope) return { dsseEnvelope: parseJSON<object>(layer.bytes.toString('utf8'), 'the .att layer (a DSSE envelope)') };
  throw new VerifyError('MALFORMED', `unsupported layer media type ${layer.mediaType}`);
}

// cosign attest --rekor-entry-type intoto (the default before dsse): Rekor
// keeps only the envelope's hash, the payload's hash and the key.
const INTOTO_V001 = 'intoto 0.0.1';

// What cosign adds to the log checks: the logged key is this certificate (or
// the given public key, SPKI DER), and for attestations the logged envelope
// is byte-for-byte this layer.
function checkLoggedBody(body: LoggedBody, layerBytes: Buffer, signerDER: Buffer, keyMode: boolean): void {
  const kindVersion = `${body.kind} ${body.apiVersion}`;
  const spec = body.spec as {
    signature?: { publicKey?: { content?: string } };
    envelopeHash?: { value?: string };
    signatures?: { verifier?: string }[];
    content?: { hash?: { algorithm?: string; value?: string } };
    publicKey?: string;
  };
  let loggedKeys: (string | undefined)[];
  switch (kindVersion) {
    case 'hashedrekord 0.0.1':
      loggedKeys = [spec.signature?.publicKey?.content];
      break;
    case 'dsse 0.0.1':
      if (spec.envelopeHash?.value !== sha256Hex(layerBytes)) {
        throw new VerifyError('TLOG_BODY', 'the .att layer is not the envelope logged in Rekor (envelope hash differs)');
      }
      loggedKeys = (spec.signatures ?? []).map((s) => s.verifier);
      break;
    case INTOTO_V001:
      if (spec.content?.hash?.algorithm !== 'sha256' || spec.content.hash.value !== sha256Hex(layerBytes)) {
        throw new VerifyError('TLOG_BODY', 'the .att layer is not the envelope logged in Rekor (envelope hash differs)');
      }
      loggedKeys = [spec.publicKey];
      break;
    default:
      throw new VerifyError('MALFORMED', `unsupported Rekor entry kind ${kindVersion} in a classic layer`);
  }
  const matches = loggedKeys.some((k) => k && samePEM(Buffer.from(k, 'base64').toString('utf8'), signerDER));
  if (!matches) {
    if (keyMode) throw new VerifyError('IDENTITY', 'signed by a different key: the key logged in Rekor is not the given key');
    throw new VerifyError('TLOG_BODY', 'the certificate logged in Rekor is not the one attached to the layer');
  }
}

function samePEM(text: string, der: Buffer): boolean {
  try {
    return pem.toDER(text).equals(der);
  } catch {
    return false;
  }
}

function parseJSON<T>(text: string | undefined, what: string): T {
  if (!text) throw new VerifyError('MALFORMED', `${what} is missing`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VerifyError('MALFORMED', `${what} is not valid JSON`);
  }
}
