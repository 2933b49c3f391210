import { MEDIA, type Descriptor, type Manifest } from '../oci/client.js';

// cosign's classic layout as pure builders: the `.sig`/`.att` layers with
// their annotations, the image that holds them, and cosign's dedupe key. The
// registry writer (writes/) and the verifier (verify/) both read this file;
// nothing here does I/O.

export const COSIGN = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  rfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

// cosign refuses a `.sig`/`.att` image with more layers than this.
export const MAX_COSIGN_LAYERS = 1000;

// A layer for a cosign tag: its bytes and annotations.
export interface CosignLayer {
  mediaType: string;
  bytes: Buffer;
  annotations: Record<string, string>;
}

// What a layer needs from a Rekor v1 entry (the legacy bundle annotation).
export interface LoggedEntry {
  body: string;
  integratedTime: number;
  logIndex: number;
  logID: string;
  verification?: { signedEntryTimestamp?: string };
}

// Who signed: a keyless signature carries its Fulcio certificate and chain; a
// key signature carries neither (the verifier is given the public key).
export interface CertificateMaterial {
  certificatePEM: string;
  chainPEM: string;
}

// cosign's legacy `dev.sigstore.cosign/bundle` annotation. The outer keys are
// capitalised (Go struct without JSON tags) and the inner order is Go's field
// order: body, integratedTime, logIndex, logID.
export function cosignRekorBundle(entry: LoggedEntry): string {
  return JSON.stringify({
    SignedEntryTimestamp: entry.verification?.signedEntryTimestamp ?? '',
    Payload: {
      body: entry.body,
      integratedTime: entry.integratedTime,
      logIndex: entry.logIndex,
      logID: entry.logID,
    },
  });
}

function signerAnnotations(entry: LoggedEntry, material: CertificateMaterial | undefined, timestamp: Buffer | undefined): Record<string, string> {
  return {
    ...(material ? { [COSIGN.certificate]: material.certificatePEM, [COSIGN.chain]: material.chainPEM } : {}),
    [COSIGN.bundle]: cosignRekorBundle(entry),
    ...(timestamp ? { [COSIGN.rfc3161]: JSON.stringify({ SignedRFC3161Timestamp: timestamp.toString('base64') }) } : {}),
  };
}

// The `.sig` layer: the simple-signing payload, its signature in an
// annotation, and the timestamp over that signature.
export function signatureLayer(
  s: { payload: Buffer; signature: Buffer; entry: LoggedEntry; timestamp?: Buffer },
  material: CertificateMaterial | undefined,
): CosignLayer {
  return {
    mediaType: COSIGN.simpleSigning,
    bytes: s.payload,
    annotations: { [COSIGN.signature]: s.signature.toString('base64'), ...signerAnnotations(s.entry, material, s.timestamp) },
  };
}

// The `.att` layer: the exact DSSE envelope Rekor logged, an empty signature
// annotation (the signature is inside), and the timestamp over the envelope
// bytes (cosign checks it against the layer, not the inner signature).
export function attestationLayer(
  s: { envelopeJSON?: string; entry: LoggedEntry; envelopeTimestamp?: Buffer },
  predicateType: string,
  material: CertificateMaterial | undefined,
): CosignLayer {
  return {
    mediaType: COSIGN.dsseEnvelope,
    bytes: Buffer.from(s.envelopeJSON ?? ''),
    annotations: { predicateType, [COSIGN.signature]: '', ...signerAnnotations(s.entry, material, s.envelopeTimestamp) },
  };
}

// The config go-containerregistry's empty image grows into: one diff_id and
// one empty history entry per (uncompressed) layer.
export function cosignConfig(layers: Descriptor[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
}

export function cosignManifest(config: { digest: string; size: number }, layers: Descriptor[]): Buffer {
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations })),
  };
  return Buffer.from(JSON.stringify(manifest));
}

// cosign's dedupe rule: same payload, same media type, same annotations
// (signature and certificate included), so a retried or repeated write of an
// identical signature never adds a second layer.
export function layerKey(d: Descriptor): string {
  const ann = Object.entries(d.annotations ?? {}).sort(([x], [y]) => x.localeCompare(y));
  return `${d.mediaType}|${d.digest}|${JSON.stringify(ann)}`;
}

// With cosign's `--replace`, an older `.att` layer of one of these predicate
// types gives way to ours.
export function replacedBy(predicateTypes: Iterable<string>): (existing: Descriptor) => boolean {
  const types = new Set(predicateTypes);
  return (d) => types.has(d.annotations?.['predicateType'] ?? '');
}
