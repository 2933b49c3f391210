import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrustMaterial } from '@sigstore/verify';
import { cosignSignStatement, PREDICATE_TYPES, simpleSigningPayload, statement } from './attest.js';
import { appendCosignLayers, attachReferrers, BUNDLE_ANNOTATIONS, BUNDLE_MEDIA_TYPE, COSIGN, type CosignLayer, type ReferrerArtifact } from './attach.js';
import { predicateSlug } from './custom-predicates.js';
import { ActionError, errorLine } from './errors.js';
import type { AttachMode } from './inputs.js';
import type { ArtifactResult, ImageResult } from './results.js';
import { componentCounts } from './sbom-figures.js';
import { cosignRekorBundle } from './sigstore/bundle.js';
import type { RunSigner, SignedResult } from './sign.js';
import { isIndex, platformsOf, targetDir, type Target } from './targets.js';
import { verifyBundle, type IdentityPolicy } from './verify.js';

// The stages after identity: sign and log every artifact, verify what was
// produced, write bundle files, and only then touch the registry.

export interface Predicate {
  kind: 'sbom' | 'provenance' | 'predicate'; // predicate: a document from the `predicates` input
  typeName?: string; // for predicate: the cosign --type name it was given as
  format?: 'cyclonedx' | 'spdx'; // for sbom: each format is its own attestation
  predicateType: string;
  document: object;
  path?: string; // where the SBOM document was written
}

export interface SignedTarget {
  target: Target;
  signature?: SignedResult & { payload: Buffer };
  signatureReferrer?: SignedResult;
  attestations: (SignedResult & { predicate: Predicate })[];
}

// Signs and logs everything for one image; the Rekor uploads are independent
// and run concurrently.
export async function signTarget(signer: RunSigner, target: Target, sign: boolean, attach: AttachMode, predicates: Predicate[]): Promise<SignedTarget> {
  const digest = target.manifest.digest;
  const subject = [{ name: target.name, digest }];
  const payload = simpleSigningPayload(target.name, digest);
  const wantsReferrers = attach === 'both' || attach === 'referrers';
  const [signature, signatureReferrer, ...attestations] = await Promise.all([
    sign ? signer.signMessage(payload).then((s) => ({ ...s, payload })) : undefined,
    sign && wantsReferrers ? signer.signStatement(cosignSignStatement(target.name, digest)) : undefined,
    ...predicates.map((p) => signer.signStatement(statement(subject, p.predicateType, p.document)).then((s) => ({ ...s, predicate: p }))),
  ]);
  return {
    target,
    signature,
    signatureReferrer,
    attestations: attestations as (SignedResult & { predicate: Predicate })[],
  };
}

// Verifies every bundle against the trusted root and the run's identity, and
// that each statement names this image's digest, before anything is written.
export function verifySigned(trust: TrustMaterial, st: SignedTarget, policy: IdentityPolicy): void {
  const where = `${st.target.name}@${st.target.manifest.digest}`;
  const check = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      throw new ActionError(
        'VERIFY',
        `Self-verification of the ${what} for ${where} failed (${errorLine(err)}); check that trusted-root belongs to the Sigstore instance at fulcio-url and rekor-url`,
      );
    }
  };
  if (st.signature) {
    const sig = st.signature;
    check('signature', () => verifyBundle(trust, sig.bundle, policy, sig.payload));
  }
  for (const s of [st.signatureReferrer, ...st.attestations]) {
    if (!s) continue;
    check('attestation', () => {
      verifyBundle(trust, s.bundle, policy);
      const stmt = JSON.parse(Buffer.from(s.bundle.dsseEnvelope?.payload ?? '', 'base64').toString('utf8')) as {
        subject?: { digest?: { sha256?: string } }[];
      };
      const hex = st.target.manifest.digest.replace('sha256:', '');
      if (!stmt.subject?.some((x) => x.digest?.sha256 === hex)) throw new Error('statement subject is not the image digest');
    });
  }
}

// Writes each bundle as one JSON line, as actions/attest does.
export async function writeBundles(dir: string, st: SignedTarget): Promise<Map<SignedResult, string>> {
  const sub = targetDir(dir, st.target);
  await mkdir(sub, { recursive: true });
  const paths = new Map<SignedResult, string>();
  const named: [string, SignedResult | undefined][] = [
    ['signature', st.signature],
    ['signature-referrer', st.signatureReferrer],
    ...st.attestations.map((a): [string, SignedResult] => [bundleName(a.predicate), a]),
  ];
  const used = new Set<string>();
  for (const [base, s] of named) {
    if (!s) continue;
    // Two custom predicates may share a name (the same type from two documents).
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    const path = join(sub, `${name}.sigstore.json`);
    await writeFile(path, JSON.stringify(s.bundle) + '\n');
    paths.set(s, path);
  }
  return paths;
}

// `sbom` for CycloneDX (as before SPDX existed), `sbom-spdx` for SPDX.
function bundleName(p: Predicate): string {
  if (p.kind === 'predicate') return predicateSlug(p);
  return p.kind === 'sbom' && p.format === 'spdx' ? 'sbom-spdx' : p.kind;
}

// Attaches per `attach` and returns one result row per logged artifact.
export async function attachTarget(
  st: SignedTarget,
  signer: RunSigner,
  opts: { attach: AttachMode; replace: boolean; created: string; bundles: Map<SignedResult, string> },
): Promise<ArtifactResult[]> {
  const { client, ref, manifest } = st.target;
  const repo = ref.repository;
  const tags = opts.attach === 'both' || opts.attach === 'tags';
  const referrers = opts.attach === 'both' || opts.attach === 'referrers';
  const row = (kind: ArtifactResult['kind'], s: SignedResult, extra: Partial<ArtifactResult> = {}): ArtifactResult => ({
    kind,
    logIndex: s.entry.logIndex,
    uuid: s.entry.uuid,
    integratedTime: s.entry.integratedTime,
    bundle: opts.bundles.get(s) ?? '',
    ...extra,
  });
  const certAnnotations = (s: SignedResult, timestamp: Buffer | undefined): Record<string, string> => ({
    [COSIGN.certificate]: signer.certificatePEM,
    [COSIGN.chain]: signer.chainPEM,
    [COSIGN.bundle]: cosignRekorBundle(s.entry),
    ...(timestamp ? { [COSIGN.rfc3161]: JSON.stringify({ SignedRFC3161Timestamp: timestamp.toString('base64') }) } : {}),
  });

  // Every DSSE bundle goes out as a referrer, each with its predicate type.
  const referred: [SignedResult, string][] = referrers
    ? [
        ...(st.signatureReferrer ? [[st.signatureReferrer, PREDICATE_TYPES.cosignSign] as [SignedResult, string]] : []),
        ...st.attestations.map((a): [SignedResult, string] => [a, a.predicate.predicateType]),
      ]
    : [];

  const [sigTag, attTag, refs] = await Promise.all([
    tags && st.signature
      ? appendCosignLayers(client, repo, manifest.digest, '.sig', [
          {
            mediaType: COSIGN.simpleSigning,
            bytes: st.signature.payload,
            annotations: { [COSIGN.signature]: st.signature.signature.toString('base64'), ...certAnnotations(st.signature, st.signature.timestamp) },
          },
        ])
      : undefined,
    tags && st.attestations.length
      ? appendCosignLayers(
          client,
          repo,
          manifest.digest,
          '.att',
          st.attestations.map(
            (a): CosignLayer => ({
              mediaType: COSIGN.dsseEnvelope,
              bytes: Buffer.from(a.envelopeJSON ?? ''),
              annotations: { predicateType: a.predicate.predicateType, [COSIGN.signature]: '', ...certAnnotations(a, a.envelopeTimestamp) },
            }),
          ),
          opts.replace ? replaceable(st) : undefined,
        )
      : undefined,
    referred.length
      ? attachReferrers(
          client,
          repo,
          manifest,
          referred.map(
            ([s, predicateType]): ReferrerArtifact => ({
              bytes: Buffer.from(JSON.stringify(s.bundle)),
              artifactType: BUNDLE_MEDIA_TYPE,
              annotations: { [BUNDLE_ANNOTATIONS.content]: 'dsse-envelope', [BUNDLE_ANNOTATIONS.predicateType]: predicateType },
            }),
          ),
          opts.created,
        )
      : [],
  ]);

  const written = new Map(referred.map(([s], i) => [s, refs[i]]));
  const rows: ArtifactResult[] = [];
  if (st.signature) rows.push(row('signature', st.signature, sigTag ? { tag: sigTag.tag, tagManifest: sigTag.manifestDigest } : {}));
  if (st.signatureReferrer) {
    const w = written.get(st.signatureReferrer);
    rows.push(row('signatureReferrer', st.signatureReferrer, { predicateType: PREDICATE_TYPES.cosignSign, referrer: w?.manifestDigest, fallbackTag: w?.fallbackTag }));
  }
  for (const a of st.attestations) {
    const w = written.get(a);
    rows.push(
      row(a.predicate.kind, a, {
        predicateType: a.predicate.predicateType,
        ...(attTag ? { tag: attTag.tag, tagManifest: attTag.manifestDigest } : {}),
        referrer: w?.manifestDigest,
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

// With `replace`, an older .att layer of the same predicate type gives way.
function replaceable(st: SignedTarget) {
  const types = new Set(st.attestations.map((a) => a.predicate.predicateType));
  return (d: { annotations?: Record<string, string> }) => types.has(d.annotations?.['predicateType'] ?? '');
}

export function imageResult(st: SignedTarget, artifacts: ArtifactResult[]): ImageResult {
  const platforms = isIndex(st.target) ? { platforms: platformsOf(st.target).map((p) => p.platform) } : {};
  return { name: st.target.name, digest: st.target.manifest.digest, platform: st.target.platform, ...platforms, artifacts };
}
