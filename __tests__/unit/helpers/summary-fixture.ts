import { createHash } from 'node:crypto';
import type { ArtifactResult, ImageResult, RunContext } from '../../../src/results.js';

// A multi-platform run as the action reports it: an index and two platform
// images, each signed in both formats, with an SBOM and provenance attached
// as cosign tags and as referrers on a registry without the referrers API.

export const NAME = 'ghcr.io/octo-org/octo-app';
export const SAN = 'https://github.com/octo-org/octo-app/.github/workflows/release.yml@refs/heads/main';
export const ISSUER = 'https://token.actions.githubusercontent.com';
const OUT = '/home/runner/work/_temp/sign-attest-Xy12Ab';
const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
export const DIGESTS = { index: sha('index'), amd64: sha('amd64'), arm64: sha('arm64') };

function artifacts(digest: string, dir: string, first: number, components: Record<string, number>): ArtifactResult[] {
  const tag = digest.replace(':', '-');
  let logIndex = first;
  const a = (kind: ArtifactResult['kind'], extra: Partial<ArtifactResult>): ArtifactResult => ({
    kind,
    logIndex: logIndex++,
    uuid: sha(`${digest}${kind}`).slice(7),
    integratedTime: 1764590000,
    bundle: `${OUT}/${dir}/${kind}.sigstore.json`,
    ...extra,
  });
  return [
    a('signature', { tag: `${tag}.sig`, tagManifest: sha(`${digest}.sig`) }),
    a('signatureReferrer', { predicateType: 'https://sigstore.dev/cosign/sign/v1', referrer: sha(`${digest}sr`), fallbackTag: tag }),
    a('sbom', {
      predicateType: 'https://cyclonedx.org/bom',
      tag: `${tag}.att`,
      tagManifest: sha(`${digest}.att`),
      referrer: sha(`${digest}sbom`),
      fallbackTag: tag,
      path: `${OUT}/${dir}/sbom.cdx.json`,
      components,
    }),
    a('provenance', {
      predicateType: 'https://slsa.dev/provenance/v1',
      tag: `${tag}.att`,
      tagManifest: sha(`${digest}.att`),
      referrer: sha(`${digest}prov`),
      fallbackTag: tag,
    }),
  ];
}

export function multiPlatform(): ImageResult[] {
  return [
    { name: NAME, digest: DIGESTS.index, platforms: ['linux/amd64', 'linux/arm64/v8'], artifacts: artifacts(DIGESTS.index, 'index', 48213907, { oci: 2 }) },
    {
      name: NAME,
      digest: DIGESTS.amd64,
      platform: 'linux/amd64',
      artifacts: artifacts(DIGESTS.amd64, 'linux-amd64', 48213911, { deb: 92, npm: 41, golang: 6, 'operating-system': 1 }),
    },
    {
      name: NAME,
      digest: DIGESTS.arm64,
      platform: 'linux/arm64/v8',
      artifacts: artifacts(DIGESTS.arm64, 'linux-arm64-v8', 48213915, { deb: 90, npm: 41, golang: 6, 'operating-system': 1 }),
    },
  ];
}

export function runContext(over: Partial<RunContext> = {}): RunContext {
  return { rekorURL: 'https://rekor.sigstore.dev', san: SAN, issuer: ISSUER, repository: 'octo-org/octo-app', attach: 'both', elapsedMs: 41_300, ...over };
}
