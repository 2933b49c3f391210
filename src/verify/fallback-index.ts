import { MEDIA, type FetchedManifest, type Manifest, type RegistryClient } from '../oci/client.js';
import { mapConcurrent } from './pool.js';

// The `sha256-<hex>` fallback index is written by clients, not the registry,
// and cosign v2's go-containerregistry records a referrer's config media type
// (the empty type) there as its artifactType, while the referrer manifest
// itself names the bundle type. cosign reads every listed manifest for that
// reason; here only such entries are read, for the artifactType their own
// manifest gives (its artifactType, else its config media type, as the OCI
// referrers API reports it). Nothing is trusted: bundles are verified later.

const unresolved = (artifactType: string | undefined) => !artifactType || artifactType === MEDIA.empty;

// `limits`: the verifier's item bound (entries past it stay unresolved) and
// reads in flight. `fetched`, when given, keeps each manifest read here by
// digest, so the verifier does not read it a second time.
export async function resolveArtifactTypes(
  client: RegistryClient,
  repo: string,
  index: Manifest,
  limits: { items: number; concurrency: number },
  fetched?: Map<string, FetchedManifest>,
): Promise<Manifest> {
  const manifests = Array.isArray(index.manifests) ? [...index.manifests] : [];
  const todo = manifests.flatMap((d, i) => (typeof d?.digest === 'string' && unresolved(d.artifactType) ? [i] : [])).slice(0, limits.items);
  await mapConcurrent(todo, limits.concurrency, async (i) => {
    const d = manifests[i];
    if (!d) return;
    const found = await client.getManifest(repo, d.digest);
    if (found) fetched?.set(d.digest, found);
    const artifactType = found?.manifest.artifactType ?? found?.manifest.config?.mediaType;
    if (artifactType && artifactType !== d.artifactType) manifests[i] = { ...d, artifactType };
  });
  return { ...index, manifests };
}
