import { MEDIA, type Manifest, type RegistryClient } from '../oci/client.js';

// The `sha256-<hex>` fallback index is written by clients, not the registry,
// and cosign v2's go-containerregistry records a referrer's config media type
// (the empty type) there as its artifactType, while the referrer manifest
// itself names the bundle type. cosign reads every listed manifest for that
// reason; here only such entries are read, for the artifactType their own
// manifest gives (its artifactType, else its config media type, as the OCI
// referrers API reports it). Nothing is trusted: bundles are verified later.

// cosign's bound on signatures per image; entries past it stay unresolved.
const MAX_RESOLVED = 1000;
const IN_FLIGHT = 4;

const unresolved = (artifactType: string | undefined) => !artifactType || artifactType === MEDIA.empty;

export async function resolveArtifactTypes(client: RegistryClient, repo: string, index: Manifest): Promise<Manifest> {
  const manifests = Array.isArray(index.manifests) ? [...index.manifests] : [];
  const todo = manifests.flatMap((d, i) => (typeof d?.digest === 'string' && unresolved(d.artifactType) ? [i] : [])).slice(0, MAX_RESOLVED);
  for (let start = 0; start < todo.length; start += IN_FLIGHT) {
    await Promise.all(
      todo.slice(start, start + IN_FLIGHT).map(async (i) => {
        const d = manifests[i];
        if (!d) return;
        const found = await client.getManifest(repo, d.digest);
        const artifactType = found?.manifest.artifactType ?? found?.manifest.config?.mediaType;
        if (artifactType && artifactType !== d.artifactType) manifests[i] = { ...d, artifactType };
      }),
    );
  }
  return { ...index, manifests };
}
