import { attestationLayer, signatureLayer, type CertificateMaterial } from '../formats/cosign.js';
import { PREDICATE_TYPES } from '../formats/predicates.js';
import { bundleArtifact } from '../formats/referrers.js';
import type { AttachMode } from '../inputs.js';
import type { ArtifactResult, ImageResult, Predicate, Registries, SignedResult, SignedTarget, SignerIdentity, Target } from '../model.js';
import type { Descriptor } from '../oci/client.js';
import { digestTag } from '../oci/reference.js';
import { componentCounts } from '../sbom-figures.js';
import { executePlan, type StepResult } from '../writes/execute.js';
import { planWrites, stepIds, type ImageWrites } from '../writes/plan.js';
import { writeBundles } from './sign.js';
import { isIndex, platformsOf } from './targets.js';

// The attaching stage: once every signature is logged and verified, each
// image gets its cosign `.sig`/`.att` tags and its bundle referrers (per
// `attach`), all as one write plan, and one result row per logged artifact.

export interface AttachOptions {
  attach: AttachMode;
  replace: boolean;
}

interface Early {
  sig?: Descriptor[];
  att?: Descriptor[];
  apiServed: boolean;
}

// What the stage reads while the signatures are still being made: the
// layers already on the tags it will merge into (so their next config goes
// up with the other blobs) and whether the registry serves the referrers
// API. Nothing is written before every signature is logged and verified.
export interface AttachPrep {
  early: Promise<Map<Target, Early>>;
}

const wants = (attach: AttachMode) => ({ tags: attach === 'both' || attach === 'tags', referrers: attach === 'both' || attach === 'referrers' });

export function prepareAttach(targets: Target[], predicates: Predicate[][], sign: boolean, opts: AttachOptions, registries: Registries): AttachPrep {
  const { tags, referrers } = wants(opts.attach);
  const early = Promise.all(
    targets.map(async (t, i): Promise<[Target, Early]> => {
      const client = await registries(t.ref.registry);
      const repo = t.ref.repository;
      const layers = async (suffix: '.sig' | '.att') => (await client.getManifest(repo, digestTag(t.digest, suffix)))?.manifest.layers ?? [];
      const [sig, att, api] = await Promise.all([
        tags && sign ? layers('.sig') : undefined,
        tags && predicates[i]?.length ? layers('.att') : undefined,
        referrers && (sign || predicates[i]?.length) ? client.referrers(repo, t.digest) : undefined,
      ]);
      return [t, { sig, att, apiServed: api !== undefined }];
    }),
  ).then((entries) => new Map(entries));
  early.catch(() => undefined); // awaited by attachAll; this keeps a failure meanwhile from going unhandled
  return { early };
}

export function certificateMaterial(identity: SignerIdentity): CertificateMaterial | undefined {
  return identity.kind === 'certificate' ? { certificatePEM: identity.certificatePEM, chainPEM: identity.chainPEM } : undefined;
}

// The id a referrer artifact has in the plan: image and position.
const artifactId = (t: Target, i: number) => `${t.ref.registry}/${t.ref.repository}@${t.digest}#${i}`;

// What each image gets written, as data for the plan.
function referredOf(st: SignedTarget): [SignedResult, string][] {
  return [
    ...(st.signatureReferrer ? [[st.signatureReferrer, PREDICATE_TYPES.cosignSign] as [SignedResult, string]] : []),
    ...st.attestations.map((a): [SignedResult, string] => [a, a.predicate.predicateType]),
  ];
}

export function imageWrites(
  st: SignedTarget & { target: Target },
  identity: SignerIdentity,
  opts: AttachOptions & { created: string },
  early: Early | undefined,
): ImageWrites {
  const { tags, referrers } = wants(opts.attach);
  const t = st.target;
  const material = certificateMaterial(identity);
  const referred = referredOf(st);
  return {
    registry: t.ref.registry,
    repo: t.ref.repository,
    subject: { mediaType: t.manifest.mediaType, digest: t.digest, size: t.manifest.bytes.length },
    ...(tags && st.signature ? { sig: [signatureLayer(st.signature, material)] } : {}),
    ...(tags && st.attestations.length
      ? { att: { layers: st.attestations.map((a) => attestationLayer(a, a.predicate.predicateType, material)), replace: opts.replace } }
      : {}),
    ...(referrers && referred.length
      ? {
          referrers: {
            artifacts: referred.map(([s, type], i) => ({ ...bundleArtifact(s.bundle, type), id: artifactId(t, i) })),
            created: opts.created,
            apiServed: early?.apiServed ?? false,
          },
        }
      : {}),
    existing: { sig: early?.sig, att: early?.att },
  };
}

// Every image's writes as one plan, and the bundle files beside them.
export async function attachAll(
  signed: SignedTarget[],
  prep: AttachPrep | undefined,
  registries: Registries,
  identity: SignerIdentity,
  outDir: string,
  opts: AttachOptions,
): Promise<ImageResult[]> {
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const images = signed.filter((st): st is SignedTarget & { target: Target } => st.target.kind === 'image');
  const attach = async (): Promise<Written> => {
    if (opts.attach === 'none' || !images.length) return { results: new Map(), referrerManifests: new Map() };
    const early = prep ? await prep.early : new Map<Target, Early>();
    const plan = planWrites(images.map((st) => imageWrites(st, identity, { ...opts, created }, early.get(st.target))));
    return { results: await executePlan(plan, registries), referrerManifests: plan.referrerManifests };
  };
  // The registry writes leave first; the bundle files are written meanwhile.
  const [written, bundles] = await Promise.all([attach(), Promise.all(signed.map((st) => writeBundles(outDir, st)))]);
  return signed.map((st, i) => imageResult(st, resultRows(st, bundles[i] ?? new Map<SignedResult, string>(), written)));
}

interface Written {
  results: Map<string, StepResult>;
  referrerManifests: Map<string, string>;
}

// One row per logged artifact, with where the plan attached it.
export function resultRows(st: SignedTarget, bundles: Map<SignedResult, string>, { results, referrerManifests }: Written): ArtifactResult[] {
  const t = st.target;
  const image = t.kind === 'image' ? t : undefined;
  const tag = (suffix: '.sig' | '.att'): Partial<ArtifactResult> => {
    const r = image && results.get(suffix === '.sig' ? stepIds.sig(image.ref.repository, t.digest) : stepIds.att(image.ref.repository, t.digest));
    return r?.digest ? { tag: digestTag(t.digest, suffix), tagManifest: r.digest } : {};
  };
  const fallback = image && results.get(stepIds.fallback(image.ref.repository, t.digest));
  const where = new Map(
    image
      ? referredOf(st).map(([s], i): [SignedResult, Partial<ArtifactResult>] => {
          const manifest = referrerManifests.get(artifactId(image, i));
          return [s, { referrer: manifest, fallbackTag: manifest && fallback && !fallback.skipped ? digestTag(t.digest) : undefined }];
        })
      : [],
  );
  const row = (kind: ArtifactResult['kind'], s: SignedResult, extra: Partial<ArtifactResult> = {}): ArtifactResult => ({
    kind,
    ...(s.entry ? { logIndex: s.entry.logIndex, uuid: s.entry.uuid, integratedTime: s.entry.integratedTime } : {}),
    bundle: bundles.get(s) ?? '',
    ...extra,
  });
  const rows: ArtifactResult[] = [];
  if (st.signature) rows.push(row('signature', st.signature, tag('.sig')));
  if (st.signatureReferrer) {
    const w = where.get(st.signatureReferrer);
    rows.push(row('signatureReferrer', st.signatureReferrer, { predicateType: PREDICATE_TYPES.cosignSign, referrer: w?.referrer, fallbackTag: w?.fallbackTag }));
  }
  const att = tag('.att');
  for (const a of st.attestations) {
    const w = where.get(a);
    rows.push(
      row(a.predicate.kind, a, {
        predicateType: a.predicate.predicateType,
        ...att,
        referrer: w?.referrer,
        fallbackTag: w?.fallbackTag,
        path: a.predicate.path,
        ...(a.predicate.format ? { format: a.predicate.format } : {}),
        ...(a.predicate.typeName ? { typeName: a.predicate.typeName } : {}),
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
