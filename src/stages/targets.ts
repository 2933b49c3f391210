import * as core from '@actions/core';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import type { LoggedImage } from '../log.js';
import type { ImageTarget, Registries, Subject, Target } from '../model.js';
import { isIndexMediaType, platformImages } from '../oci/platforms.js';
import { formatReference, repoName, type Reference } from '../oci/reference.js';
import { registryClients } from '../oci/client.js';
import type { Http } from '../http.js';
import type { Inputs } from '../inputs.js';

// Stage 1: the images to sign. Tags are resolved to digests here, once, with
// a warning; every index is followed by its platform images.

// Resolves and expands the images named in `images`.
export async function findTargets(refs: Reference[], registries: Registries): Promise<Target[]> {
  return expandTargets(await resolveTargets(refs, registries), registries);
}

export async function resolveTargets(refs: Reference[], registries: Registries): Promise<Target[]> {
  const targets = await Promise.all(
    refs.map(async (ref): Promise<Target> => {
      const client = await registries(ref.registry);
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
      return { kind: 'image', ref: { ...ref, digest: manifest.digest }, name: repoName(ref), digest: manifest.digest, manifest };
    }),
  );
  // The same digest named twice is signed once.
  const unique = new Map(targets.map((t) => [`${t.name}@${t.digest}`, t]));
  return [...unique.values()];
}

// The platform images an index lists (see oci/platforms.ts).
export function platformsOf(index: ImageTarget): { digest: string; platform: string }[] {
  return platformImages(index.manifest.manifest);
}

// Far more platform images than any real index lists (the widest official
// images have about a dozen); each one is read, signed and scanned, so an
// index listing thousands is refused rather than expanded.
export const MAX_PLATFORMS = 64;

export async function platformTargets(index: Target, registries: Registries): Promise<Target[]> {
  const out: Target[] = [];
  const platforms = platformsOf(index);
  if (platforms.length > MAX_PLATFORMS) {
    throw new ActionError(
      'REGISTRY',
      `${index.name}@${index.digest}: the index lists ${platforms.length} platform images, over the limit of ${MAX_PLATFORMS}; nothing was signed: sign the platform images you need by digest`,
    );
  }
  const client = await registries(index.ref.registry);
  for (const { digest, platform } of platforms) {
    const manifest = await client.getManifest(index.ref.repository, digest);
    if (!manifest) throw new ActionError('REGISTRY_NOT_FOUND', `${index.name}@${digest}: platform manifest listed in the index is missing from the registry`);
    out.push({ ...index, ref: { ...index.ref, digest, tag: undefined }, digest, manifest, platform });
  }
  return out;
}

// Where a subject's files go under the run's output folder: the same digest
// can live in several repositories, so the name is part of the path.
export function targetDir(outDir: string, t: Subject): string {
  const slug = t.name.replace(/[^a-zA-Z0-9._-]+/g, '_');
  return join(outDir, `${slug}@${t.digest.replace(':', '-')}`);
}

export function isIndex(t: Subject): boolean {
  return t.kind === 'image' && isIndexMediaType(t.manifest.mediaType);
}

// Every multi-platform index is followed by its platform images, so each
// platform gets its own signature, SBOM and provenance (consumers pulling one
// platform look for attestations on that platform's digest).
export async function expandTargets(targets: Target[], registries: Registries): Promise<Target[]> {
  const out: Target[] = [];
  for (const t of targets) {
    out.push(t);
    if (isIndex(t)) out.push(...(await platformTargets(t, registries)));
  }
  return out;
}

// Probes each repository the run will write to, once, before anything is
// signed: a token that may pull but not push fails here, not after signing.
// An image's config blob, already in the repository, lets the probe be a
// mount that writes nothing new.
export async function checkPushAccess(targets: Target[], registries: Registries): Promise<void> {
  const repos = new Map<string, { t: Target; blob?: string }>();
  for (const t of targets) {
    const key = `${t.ref.registry}/${t.ref.repository}`;
    const blob = t.manifest.manifest.config?.digest;
    if (!repos.get(key)?.blob) repos.set(key, { t, blob });
  }
  await Promise.all([...repos.values()].map(async ({ t, blob }) => (await registries(t.ref.registry)).probePush(t.ref.repository, blob)));
}

export function loggedImage(t: Subject): LoggedImage {
  return {
    name: t.name,
    digest: t.digest,
    platform: t.kind === 'image' ? t.platform : undefined,
    platforms: t.kind === 'image' && isIndex(t) ? platformsOf(t).length : undefined,
  };
}

// One registry client per registry for the run, with the inputs' credentials
// when given (otherwise docker's config, then anonymous).
export function openRegistries(http: Http, inputs: Pick<Inputs, 'registryUsername' | 'registryPassword'>): Registries {
  const creds = inputs.registryUsername || inputs.registryPassword ? { username: inputs.registryUsername, password: inputs.registryPassword } : undefined;
  return registryClients(http, creds, core.setSecret);
}
