import { attestationLayer, replacedBy, signatureLayer, type CertificateMaterial } from '../formats/cosign.js';
import { PREDICATE_TYPES } from '../formats/predicates.js';
import { bundleArtifact } from '../formats/referrers.js';
import type { AttachMode } from '../inputs.js';
import type { ArtifactResult, ImageResult, Registries, Registry, SignedResult, SignedTarget, SignerIdentity } from '../model.js';
import { componentCounts } from '../sbom-figures.js';
import { appendCosignLayers, attachReferrers } from '../writes/merge.js';
import { writeBundles } from './sign.js';
import { isIndex, platformsOf } from './targets.js';

// The attaching stage: once every signature is logged and verified, each
// image gets its cosign `.sig`/`.att` tags and its bundle referrers (per
// `attach`), and one result row per logged artifact.

export interface AttachOptions {
  attach: AttachMode;
  replace: boolean;
  created: string;
  bundles: Map<SignedResult, string>; // bundle file per signature
}

// Writes the bundle files, then attaches every image concurrently.
export async function attachAll(signed: SignedTarget[], registries: Registries, identity: SignerIdentity, outDir: string, opts: Omit<AttachOptions, 'bundles' | 'created'>): Promise<ImageResult[]> {
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return Promise.all(
    signed.map(async (st) => {
      const bundles = await writeBundles(outDir, st);
      const client = st.target.kind === 'image' ? await registries(st.target.ref.registry) : undefined;
      const rows = client ? await attachTarget(st, client, identity, { ...opts, created, bundles }) : resultRows(st, bundles, {});
      return imageResult(st, rows);
    }),
  );
}

export function certificateMaterial(identity: SignerIdentity): CertificateMaterial | undefined {
  return identity.kind === 'certificate' ? { certificatePEM: identity.certificatePEM, chainPEM: identity.chainPEM } : undefined;
}

export async function attachTarget(st: SignedTarget, client: Registry, identity: SignerIdentity, opts: AttachOptions): Promise<ArtifactResult[]> {
  const target = st.target;
  if (target.kind !== 'image') return resultRows(st, opts.bundles, {});
  const repo = target.ref.repository;
  const tags = opts.attach === 'both' || opts.attach === 'tags';
  const referrers = opts.attach === 'both' || opts.attach === 'referrers';
  const material = certificateMaterial(identity);

  // Every DSSE bundle goes out as a referrer, each with its predicate type.
  const referred: [SignedResult, string][] = referrers
    ? [
        ...(st.signatureReferrer ? [[st.signatureReferrer, PREDICATE_TYPES.cosignSign] as [SignedResult, string]] : []),
        ...st.attestations.map((a): [SignedResult, string] => [a, a.predicate.predicateType]),
      ]
    : [];

  const [sigTag, attTag, refs] = await Promise.all([
    tags && st.signature ? appendCosignLayers(client, repo, target.digest, '.sig', [signatureLayer(st.signature, material)]) : undefined,
    tags && st.attestations.length
      ? appendCosignLayers(
          client,
          repo,
          target.digest,
          '.att',
          st.attestations.map((a) => attestationLayer(a, a.predicate.predicateType, material)),
          opts.replace ? replacedBy(st.attestations.map((a) => a.predicate.predicateType)) : undefined,
        )
      : undefined,
    referred.length
      ? attachReferrers(
          client,
          repo,
          target.manifest,
          referred.map(([s, predicateType]) => bundleArtifact(s.bundle, predicateType)),
          opts.created,
        )
      : [],
  ]);
  const written = new Map(referred.map(([s], i) => [s, refs[i]]));
  return resultRows(st, opts.bundles, { sigTag, attTag, written });
}

interface Written {
  sigTag?: { tag: string; manifestDigest: string };
  attTag?: { tag: string; manifestDigest: string };
  written?: Map<SignedResult, { manifestDigest: string; fallbackTag?: string } | undefined>;
}

// One row per logged artifact, with where it was attached.
export function resultRows(st: SignedTarget, bundles: Map<SignedResult, string>, { sigTag, attTag, written }: Written): ArtifactResult[] {
  const row = (kind: ArtifactResult['kind'], s: SignedResult, extra: Partial<ArtifactResult> = {}): ArtifactResult => ({
    kind,
    logIndex: s.entry.logIndex,
    uuid: s.entry.uuid,
    integratedTime: s.entry.integratedTime,
    bundle: bundles.get(s) ?? '',
    ...extra,
  });
  const rows: ArtifactResult[] = [];
  if (st.signature) rows.push(row('signature', st.signature, sigTag ? { tag: sigTag.tag, tagManifest: sigTag.manifestDigest } : {}));
  if (st.signatureReferrer) {
    const w = written?.get(st.signatureReferrer);
    rows.push(row('signatureReferrer', st.signatureReferrer, { predicateType: PREDICATE_TYPES.cosignSign, referrer: w?.manifestDigest, fallbackTag: w?.fallbackTag }));
  }
  for (const a of st.attestations) {
    const w = written?.get(a);
    rows.push(
      row(a.predicate.kind, a, {
        predicateType: a.predicate.predicateType,
        ...(attTag ? { tag: attTag.tag, tagManifest: attTag.manifestDigest } : {}),
        referrer: w?.manifestDigest,
        fallbackTag: w?.fallbackTag,
        path: a.predicate.path,
        ...(a.predicate.format ? { format: a.predicate.format } : {}),
        ...(a.predicate.kind === 'sbom' ? { components: componentCounts(a.predicate.document) } : {}),
      }),
    );
  }
  return rows;
}

export function imageResult(st: SignedTarget, artifacts: ArtifactResult[]): ImageResult {
  const t = st.target;
  const platforms = t.kind === 'image' && isIndex(t) ? { platforms: platformsOf(t).map((p) => p.platform) } : {};
  return { name: t.name, digest: t.digest, platform: t.kind === 'image' ? t.platform : undefined, ...platforms, artifacts };
}
