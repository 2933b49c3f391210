import { describe, expect, it } from '@jest/globals';
import { attestationLayer, COSIGN, cosignConfig, cosignManifest, layerKey, replacedBy, signatureLayer } from '../../../src/formats/cosign.js';
import { cosignTypeName, PREDICATE_TYPE_NAMES, PREDICATE_TYPES } from '../../../src/formats/predicates.js';
import { bundleArtifact, BUNDLE_ANNOTATIONS, BUNDLE_MEDIA_TYPE, fallbackIndex, mergeEntries, referrerManifest } from '../../../src/formats/referrers.js';
import { MEDIA, type Descriptor } from '../../../src/oci/client.js';

const entry = { body: 'Ym9keQ==', integratedTime: 1764590000, logIndex: 7, logID: 'ab', verification: { signedEntryTimestamp: 'U0VU' } };
const cert = { certificatePEM: 'CERT', chainPEM: 'CHAIN' };

describe('cosign layers', () => {
  it('.sig: payload bytes; signature, certificate, chain, Rekor bundle and timestamp annotations in cosign order', () => {
    const l = signatureLayer({ payload: Buffer.from('p'), signature: Buffer.from('s'), entry, timestamp: Buffer.from('t') }, cert);
    expect(l.mediaType).toBe(COSIGN.simpleSigning);
    expect(l.bytes.toString()).toBe('p');
    expect(Object.keys(l.annotations)).toEqual([COSIGN.signature, COSIGN.certificate, COSIGN.chain, COSIGN.bundle, COSIGN.rfc3161]);
    expect(l.annotations[COSIGN.signature]).toBe(Buffer.from('s').toString('base64'));
    expect(JSON.parse(l.annotations[COSIGN.rfc3161]!)).toEqual({ SignedRFC3161Timestamp: Buffer.from('t').toString('base64') });
  });

  it('a key signature carries no certificate or chain', () => {
    const l = signatureLayer({ payload: Buffer.from('p'), signature: Buffer.from('s'), entry }, undefined);
    expect(Object.keys(l.annotations)).toEqual([COSIGN.signature, COSIGN.bundle]);
  });

  it('.att: the envelope bytes, its predicate type, an empty signature, the timestamp over the envelope', () => {
    const l = attestationLayer({ envelopeJSON: '{"e":1}', entry, envelopeTimestamp: Buffer.from('et') }, PREDICATE_TYPES.slsaProvenance, cert);
    expect(l.bytes.toString()).toBe('{"e":1}');
    expect(Object.keys(l.annotations)).toEqual(['predicateType', COSIGN.signature, COSIGN.certificate, COSIGN.chain, COSIGN.bundle, COSIGN.rfc3161]);
    expect(l.annotations[COSIGN.signature]).toBe('');
  });

  it('the image holding them: go-containerregistry config and an OCI manifest', () => {
    const layers: Descriptor[] = [{ mediaType: COSIGN.simpleSigning, digest: 'sha256:aa', size: 1, annotations: { a: '1' } }];
    expect(JSON.parse(cosignConfig(layers).toString())).toEqual({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: ['sha256:aa'] },
      config: {},
    });
    const m = JSON.parse(cosignManifest({ digest: 'sha256:cc', size: 9 }, layers).toString());
    expect(m).toEqual({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: 'sha256:cc', size: 9 }, layers });
  });

  it('dedupe key: media type, digest and annotations in any order; replace: by predicate type', () => {
    const a: Descriptor = { mediaType: 'm', digest: 'd', size: 1, annotations: { x: '1', y: '2' } };
    expect(layerKey(a)).toBe(layerKey({ ...a, annotations: { y: '2', x: '1' } }));
    expect(layerKey(a)).not.toBe(layerKey({ ...a, annotations: { x: '1' } }));
    expect(replacedBy(['t'])({ ...a, annotations: { predicateType: 't' } })).toBe(true);
    expect(replacedBy(['t'])(a)).toBe(false);
  });
});

describe('referrers', () => {
  it('a bundle artifact manifest names its subject and says what it holds', () => {
    const art = bundleArtifact({ x: 1 }, PREDICATE_TYPES.cyclonedx);
    expect(art.annotations).toEqual({ [BUNDLE_ANNOTATIONS.content]: 'dsse-envelope', [BUNDLE_ANNOTATIONS.predicateType]: PREDICATE_TYPES.cyclonedx });
    const { bytes, annotations } = referrerManifest(
      art,
      { digest: 'sha256:bb', size: 7 },
      { digest: 'sha256:ee', size: 2 },
      { mediaType: MEDIA.ociManifest, digest: 'sha256:ss', size: 3 },
      'T',
    );
    const m = JSON.parse(bytes.toString());
    expect(Object.keys(m)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'subject', 'annotations']);
    expect(m.artifactType).toBe(BUNDLE_MEDIA_TYPE);
    expect(m.config).toEqual({ mediaType: MEDIA.empty, digest: 'sha256:ee', size: 2 });
    expect(annotations['org.opencontainers.image.created']).toBe('T');
    expect(JSON.parse(fallbackIndex([]).toString())).toEqual({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [] });
  });

  it('merging: complete only when the document holds exactly what was seen and ours; dropped entries go', () => {
    const d = (x: string): Descriptor => ({ mediaType: 'm', digest: x, size: 1 });
    const key = (x: Descriptor) => x.digest;
    const seen = new Map<string, Descriptor>();
    expect(mergeEntries(seen, [d('a')], [d('b')], key)).toEqual({ merged: [d('a'), d('b')], complete: false });
    expect(mergeEntries(seen, [d('a'), d('b')], [d('b')], key).complete).toBe(true);
    // a writer that lost our entry: not complete, and what it had is kept
    expect(mergeEntries(seen, [d('a'), d('c')], [d('b')], key)).toEqual({ merged: [d('a'), d('b'), d('c')], complete: false });
    expect(mergeEntries(new Map(), [d('old')], [d('new')], key, new Set(['old']))).toEqual({ merged: [d('new')], complete: false });
  });
});

describe('predicate types', () => {
  it("cosign's --type names, and the short name for each URI we write", () => {
    expect(PREDICATE_TYPE_NAMES['openvex']).toBe('https://openvex.dev/ns');
    expect(cosignTypeName(PREDICATE_TYPES.slsaProvenance)).toBe('slsaprovenance1');
    expect(cosignTypeName(PREDICATE_TYPES.cyclonedx)).toBe('cyclonedx');
    expect(cosignTypeName(PREDICATE_TYPES.spdx)).toBe('spdxjson');
    expect(cosignTypeName('https://example.com/custom/v1')).toBe('https://example.com/custom/v1');
  });
});
