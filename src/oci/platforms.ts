import { MEDIA, type Descriptor, type Manifest } from './client.js';

// An OCI index or a Docker manifest list: a list of platform images.
export const isIndexMediaType = (mediaType?: string): boolean => mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList;

// `os/architecture[/variant]`, as docker, cosign and syft write a platform.
export function platformString(p: NonNullable<Descriptor['platform']>): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

// The platform images an index lists: manifests with a platform, without the
// attestation manifests BuildKit files under unknown/unknown (not images
// anyone pulls). Shared by the signing side (targets) and the verifier.
export function platformImages(index: Manifest): { digest: string; platform: string }[] {
  return (index.manifests ?? [])
    .filter((d) => d.platform && d.platform.os !== 'unknown' && (d.mediaType === MEDIA.ociManifest || d.mediaType === MEDIA.dockerManifest))
    .map((d) => ({ digest: d.digest, platform: platformString(d.platform!) }));
}
