import * as core from '@actions/core';
import { join } from 'node:path';
import { ActionError } from './errors.js';
import type { Http } from './http.js';
import { registryClients, type FetchedManifest, type RegistryClient } from './oci/client.js';
import type { Credentials } from './oci/credentials.js';
import { isIndexMediaType, platformImages } from './oci/platforms.js';
import type { LoggedImage } from './log.js';
import { formatReference, repoName, type Reference } from './oci/reference.js';

// An image to sign: its registry client, repository and fetched manifest.
// Tags are resolved to digests here, once, with a warning.
export interface Target {
  ref: Reference;
  name: string; // registry/repository as users write it
  client: RegistryClient;
  manifest: FetchedManifest;
  platform?: string;
}

export async function resolveTargets(refs: Reference[], http: Http, explicit: Credentials | undefined): Promise<Target[]> {
  const clientFor = registryClients(http, explicit, core.setSecret);
  const targets = await Promise.all(
    refs.map(async (ref) => {
      const client = await clientFor(ref.registry);
      const wanted = ref.digest ?? ref.tag ?? 'latest';
      const manifest = await client.getManifest(ref.repository, wanted);
      if (!manifest) {
        throw new ActionError(
          'REGISTRY_NOT_FOUND',
          `images: ${formatReference(ref)} was not found in the registry; push the image before this step and pass its digest`,
        );
      }
      if (!ref.digest) {
        core.warning(`${formatReference(ref)} resolved to ${manifest.digest}; pass the digest (name@sha256:…) so the signature cannot land on a tag that moved`);
      }
      return { ref: { ...ref, digest: manifest.digest }, name: repoName(ref), client, manifest };
    }),
  );
  // The same digest named twice is signed once.
  const unique = new Map(targets.map((t) => [`${t.name}@${t.manifest.digest}`, t]));
  return [...unique.values()];
}

// The platform images an index lists (see oci/platforms.ts).
export function platformsOf(index: Target): { digest: string; platform: string }[] {
  return platformImages(index.manifest.manifest);
}

// Far more platform images than any real index lists (the widest official
// images have about a dozen); each one is read, signed and scanned, so an
// index listing thousands is refused rather than expanded.
export const MAX_PLATFORMS = 64;

export async function platformTargets(index: Target): Promise<Target[]> {
  const out: Target[] = [];
  const platforms = platformsOf(index);
  if (platforms.length > MAX_PLATFORMS) {
    throw new ActionError(
      'REGISTRY',
      `${index.name}@${index.manifest.digest}: the index lists ${platforms.length} platform images, over the limit of ${MAX_PLATFORMS}; nothing was signed: sign the platform images you need by digest`,
    );
  }
  for (const { digest, platform } of platforms) {
    const manifest = await index.client.getManifest(index.ref.repository, digest);
    if (!manifest) throw new ActionError('REGISTRY_NOT_FOUND', `${index.name}@${digest}: platform manifest listed in the index is missing from the registry`);
    out.push({ ...index, ref: { ...index.ref, digest, tag: undefined }, manifest, platform });
  }
  return out;
}

// Where a target's files go under the run's output folder: the same digest
// can live in several repositories, so the name is part of the path.
export function targetDir(outDir: string, t: Target): string {
  const slug = t.name.replace(/[^a-zA-Z0-9._-]+/g, '_');
  return join(outDir, `${slug}@${t.manifest.digest.replace(':', '-')}`);
}

export function isIndex(t: Target): boolean {
  return isIndexMediaType(t.manifest.mediaType);
}

// Every multi-platform index is followed by its platform images, so each
// platform gets its own signature, SBOM and provenance (consumers pulling one
// platform look for attestations on that platform's digest).
export async function expandTargets(targets: Target[]): Promise<Target[]> {
  const out: Target[] = [];
  for (const t of targets) {
    out.push(t);
    if (isIndex(t)) out.push(...(await platformTargets(t)));
  }
  return out;
}

// Probes each repository the run will write to, once, before anything is
// signed: a token that may pull but not push fails here, not after signing.
// An image's config blob, already in the repository, lets the probe be a
// mount that writes nothing new.
export async function checkPushAccess(targets: Target[]): Promise<void> {
  const repos = new Map<string, { t: Target; blob?: string }>();
  for (const t of targets) {
    const key = `${t.client.registry}/${t.ref.repository}`;
    const blob = t.manifest.manifest.config?.digest;
    if (!repos.get(key)?.blob) repos.set(key, { t, blob });
  }
  await Promise.all([...repos.values()].map(({ t, blob }) => t.client.probePush(t.ref.repository, blob)));
}

export function loggedImage(t: Target): LoggedImage {
  return { name: t.name, digest: t.manifest.digest, platform: t.platform, platforms: isIndex(t) ? platformsOf(t).length : undefined };
}
