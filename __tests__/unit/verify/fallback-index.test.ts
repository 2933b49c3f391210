import { describe, expect, it } from '@jest/globals';
import type { Descriptor, FetchedManifest, Manifest, RegistryClient } from '../../../src/oci/client.js';
import { DISCOVERY_LIMITS } from '../../../src/verify/discover.js';
import { resolveArtifactTypes } from '../../../src/verify/fallback-index.js';

// cosign v2 (--new-bundle-format) lists its bundle referrers in the fallback
// index under the empty config type; the manifests themselves name the bundle type.

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const EMPTY = 'application/vnd.oci.empty.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const desc = (n: number, artifactType?: string): Descriptor => ({ mediaType: MANIFEST, digest: `sha256:${String(n).padStart(64, '0')}`, size: 1, artifactType });

function fakeClient(manifests: Record<string, Manifest>) {
  const reads: string[] = [];
  const client = {
    getManifest: async (_repo: string, ref: string): Promise<FetchedManifest | undefined> => {
      reads.push(ref);
      const manifest = manifests[ref];
      return manifest && { digest: ref, mediaType: MANIFEST, bytes: Buffer.from('{}'), manifest };
    },
  } as unknown as RegistryClient;
  return { client, reads };
}

const referrer = (artifactType?: string, configType = EMPTY): Manifest => ({
  schemaVersion: 2,
  mediaType: MANIFEST,
  artifactType,
  config: { mediaType: configType, digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
  layers: [],
});

describe('resolveArtifactTypes', () => {
  it('takes the artifactType of entries listed under the empty type, or none, from their manifest', async () => {
    const [a, b, c] = [desc(1, EMPTY), desc(2), desc(3, EMPTY)];
    const { client } = fakeClient({ [a.digest]: referrer(BUNDLE), [b.digest]: referrer(undefined, 'application/vnd.example.sbom'), [c.digest]: referrer(undefined) });
    const out = await resolveArtifactTypes(client, 'repo', { schemaVersion: 2, manifests: [a, b, c] }, DISCOVERY_LIMITS);
    // The manifest's artifactType, else its config media type, as the referrers API reports it.
    expect(out.manifests?.map((d) => d.artifactType)).toEqual([BUNDLE, 'application/vnd.example.sbom', EMPTY]);
  });

  it('reads nothing for entries that already name a type, and keeps a missing manifest as listed', async () => {
    const [typed, missing] = [desc(1, BUNDLE), desc(2, EMPTY)];
    const { client, reads } = fakeClient({});
    const out = await resolveArtifactTypes(client, 'repo', { schemaVersion: 2, manifests: [typed, missing] }, DISCOVERY_LIMITS);
    expect(reads).toEqual([missing.digest]);
    expect(out.manifests).toEqual([typed, missing]);
  });

  it('reads at most 1000 manifests for a hostile index', async () => {
    const listed = Array.from({ length: 1500 }, (_, i) => desc(i, EMPTY));
    const { client, reads } = fakeClient({});
    await resolveArtifactTypes(client, 'repo', { schemaVersion: 2, manifests: listed }, DISCOVERY_LIMITS);
    expect(reads).toHaveLength(1000);
  });
});
