// A structurally valid v0.3 DSSE bundle for the attestation store stand-in
// (test/stack/github-api.mjs checks shape, not signatures): its statement
// names one sha256 subject and carries `predicate`.
export function storeBundle(hex = 'ab'.repeat(32), predicateType = 'https://slsa.dev/provenance/v1', predicate: object = {}) {
  const stmt = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'reg/app', digest: { sha256: hex } }], predicateType, predicate };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: Buffer.from('cert').toString('base64') },
      tlogEntries: [
        {
          logIndex: '1',
          logId: { keyId: Buffer.from('log').toString('base64') },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: '1700000000',
          inclusionPromise: { signedEntryTimestamp: Buffer.from('set').toString('base64') },
          inclusionProof: { logIndex: '1', rootHash: Buffer.from('root').toString('base64'), treeSize: '2', hashes: [], checkpoint: { envelope: 'checkpoint' } },
          canonicalizedBody: Buffer.from('{}').toString('base64'),
        },
      ],
    },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(stmt)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: Buffer.from('sig').toString('base64'), keyid: '' }],
    },
  };
}

// An SBOM-sized statement: `n` components, each with a name, a version and a package URL.
export function sbomBundle(n: number, hex = 'ef'.repeat(32)) {
  const components = Array.from({ length: n }, (_, i) => ({ type: 'library', name: `pkg-${i}`, version: `1.${i}`, purl: `pkg:deb/debian/pkg-${i}@1.${i}` }));
  return storeBundle(hex, 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX', specVersion: '1.6', components });
}
