import type { TrustMaterial } from '@sigstore/verify';
import { COSIGN } from '../formats/cosign.js';
import { PREDICATE_TYPES } from '../formats/predicates.js';
import { ActionError, errorLine } from '../errors.js';
import type { Http } from '../http.js';
import { registryClients, type RegistryClient } from '../oci/client.js';
import type { Credentials } from '../oci/credentials.js';
import { platformImages } from '../oci/platforms.js';
import { formatReference, parseReference, repoName } from '../oci/reference.js';
import { parseBundle, verifyBundleMaterial, type VerifiedBundle } from '../verify.js';
import { verifyClassicLayer } from './classic.js';
import {
  DISCOVERY_LIMITS,
  layerLimit,
  listClassic,
  listReferrers,
  ReadBudget,
  readClassicLayer,
  readReferrer,
  type ClassicEntry,
  type FoundReferrer,
} from './discover.js';
import { isPolicyReason, VerifyError, type VerifyReason } from './error.js';
import { pinKey, refuseKeyBundle, type KeyPolicy } from './key.js';
import { checkIdentity, describeSAN, type IdentityPolicy, type SignerIdentity } from './policy.js';
import { mapConcurrent } from './pool.js';
import { checkStatementSubject, statementOf, type Statement } from './subject.js';

// Verifies what is attached to each image against one policy. Every item
// found (cosign tag layer or referrer bundle) is verified; any forged,
// tampered or mismatched item fails the image, while an item that is merely
// signed by someone else is tolerated as long as the requirement it would
// meet is met by an item from the pinned identity.

export interface VerifyImagesOptions {
  images: string[];
  // Who must have signed: a certificate identity (keyless), or a public key (cosign's --key).
  policy?: IdentityPolicy;
  key?: KeyPolicy;
  // With a key: accept signatures that were never logged (cosign's --insecure-ignore-tlog).
  insecureIgnoreTlog?: boolean;
  // Predicate type URIs that must be attested.
  predicateTypes: string[];
  requireSignature: boolean;
  trust: TrustMaterial;
  http: Http;
  credentials?: Credentials;
  mask?: (secret: string) => void;
}

export interface ItemResult {
  kind: 'signature' | 'attestation';
  format: 'cosign' | 'referrer';
  // Where it was found: `<tag> layer <n>` or the referrer manifest digest.
  source: string;
  predicateType?: string;
  verified: boolean;
  signer?: SignerIdentity;
  logIndexes: number[];
  reason?: VerifyReason;
  error?: string;
}

export interface Failure {
  reason: VerifyReason | ActionError['code'];
  message: string;
}

export interface ImageVerdict {
  image: string;
  digest?: string;
  // Set for a platform image verified as part of the index it is listed in.
  platform?: string;
  verified: boolean;
  signer?: SignerIdentity;
  signatures: ItemResult[];
  attestations: ItemResult[];
  // Predicate types with at least one verified attestation.
  predicateTypes: string[];
  logIndexes: number[];
  failures: Failure[];
}

export async function verifyImages(opts: VerifyImagesOptions): Promise<ImageVerdict[]> {
  if (!opts.policy === !opts.key)
    throw new ActionError('INPUT', 'pin the signer with either a certificate identity (keyless) or a public key (key), not both and not neither');
  if (opts.insecureIgnoreTlog && !opts.key) throw new ActionError('INPUT', 'insecure-ignore-tlog is for signatures made with a key: pass the key as well');
  if (!opts.requireSignature && opts.predicateTypes.length === 0) {
    throw new ActionError('INPUT', 'require-signature is false and no predicate-types are given, so nothing would be verified; require one or the other');
  }
  const clientFor = registryClients(opts.http, opts.credentials, opts.mask ?? (() => undefined));
  const verdicts: ImageVerdict[] = [];
  // One verdict per image: a platform image named next to its index (or two
  // references to one digest) is verified and reported once.
  const seen = new Set<string>();
  const first = (repo: string, digest: string) => !seen.has(`${repo}@${digest}`) && Boolean(seen.add(`${repo}@${digest}`));
  for (const image of opts.images) {
    const ref = parseReference(image);
    const repo = `${ref.registry}/${ref.repository}`;
    try {
      if (ref.digest && seen.has(`${repo}@${ref.digest}`)) continue;
      const client = await clientFor(ref.registry);
      const { verdict, platforms } = await verifyImage(client, ref.repository, repoName(ref), ref.digest ?? ref.tag ?? 'latest', opts);
      if (verdict.digest && !first(repo, verdict.digest)) continue;
      verdicts.push(verdict);
      // An index is verified with every platform image it lists: what a consumer pulls is one of those.
      for (const p of platforms) {
        if (!first(repo, p.digest)) continue;
        verdicts.push({ ...(await verifyImage(client, ref.repository, repoName(ref), p.digest, opts)).verdict, platform: p.platform });
      }
    } catch (err) {
      // The registry could not be read: a verdict, not a crash, so other images are still reported.
      const reason = err instanceof ActionError ? err.code : 'REGISTRY';
      verdicts.push({ ...emptyVerdict(formatReference(ref)), failures: [{ reason, message: `${formatReference(ref)}: ${errorLine(err)}` }] });
    }
  }
  return verdicts;
}

async function verifyImage(
  client: RegistryClient,
  repo: string,
  name: string,
  reference: string,
  opts: VerifyImagesOptions,
): Promise<{ verdict: ImageVerdict; platforms: { digest: string; platform: string }[] }> {
  const manifest = await client.getManifest(repo, reference);
  if (!manifest) throw new ActionError('REGISTRY_NOT_FOUND', `image ${reference} not found`);
  const digest = manifest.digest;
  const [sigs, atts, referrers] = await Promise.all([
    listClassic(client, repo, digest, '.sig'),
    listClassic(client, repo, digest, '.att'),
    listReferrers(client, repo, digest),
  ]);
  // Each task reads one blob and verifies what uses it at once, so only the
  // few blobs in flight are ever held; layers sharing a payload share a read.
  const classic = new Map<ClassicEntry, ItemResult>();
  const groups = groupByBlob([...sigs, ...atts]);
  // Layer sizes are declared up front: tags that declare too much in all are
  // refused before any read (a layer over its own limit fails when read).
  new ReadBudget(`${name}@${digest}`).spend(groups.reduce((sum, g) => sum + declaredSize(g[0] as ClassicEntry), 0));
  const reading = new ReadBudget(`${name}@${digest}`);
  const tasks: (() => Promise<ItemResult[]>)[] = [
    ...groups.map((group) => async () => {
      const bytes = await readClassicLayer(client, repo, (group[0] as ClassicEntry).descriptor, reading);
      for (const e of group) classic.set(e, checkClassic(e, bytes, digest, opts));
      return [];
    }),
    ...referrers.map((d) => async () => [checkReferrer(await readReferrer(client, repo, d, reading), digest, opts)]),
  ];
  const fromReferrers = (await mapConcurrent(tasks, DISCOVERY_LIMITS.concurrency, (task) => task())).flat();
  const items = [...[...sigs, ...atts].map((e) => classic.get(e) as ItemResult), ...fromReferrers];
  return { verdict: judge(`${name}@${digest}`, digest, items, opts), platforms: platformImages(manifest.manifest) };
}

function declaredSize(e: ClassicEntry): number {
  const size = e.descriptor.size;
  return Number.isSafeInteger(size) && size > 0 ? Math.min(size, layerLimit(e.descriptor)) : 0;
}

// Classic layers by blob digest, each group in the order first seen.
function groupByBlob(entries: ClassicEntry[]): ClassicEntry[][] {
  const groups = new Map<string, ClassicEntry[]>();
  for (const e of entries) {
    const key = `${e.descriptor.mediaType}|${e.descriptor.digest}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

function checkClassic(e: ClassicEntry, bytes: Buffer, digest: string, opts: VerifyImagesOptions): ItemResult {
  const layer = { mediaType: e.descriptor.mediaType, bytes, annotations: e.descriptor.annotations ?? {} };
  const signature = layer.mediaType === COSIGN.simpleSigning;
  const key = opts.key ? { policy: opts.key, insecureIgnoreTlog: opts.insecureIgnoreTlog } : undefined;
  return check(
    signature ? 'signature' : 'attestation',
    'cosign',
    `${e.tag} layer ${e.index}`,
    signature ? undefined : layer.annotations['predicateType'],
    opts.policy,
    () => verifyClassicLayer(opts.trust, layer, digest, key),
  );
}

function checkReferrer(r: FoundReferrer, digest: string, opts: VerifyImagesOptions): ItemResult {
  const kind = r.predicateType === PREDICATE_TYPES.cosignSign ? 'signature' : 'attestation';
  return check(kind, 'referrer', `referrer ${r.manifestDigest}`, r.predicateType, opts.policy, () => {
    if (r.problem || !r.bundle) throw new VerifyError('MALFORMED', r.problem ?? 'no bundle');
    if (r.subjectDigest !== digest)
      throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the referrer's subject is ${r.subjectDigest ?? 'missing'}, not ${digest}`);
    let json: unknown;
    try {
      json = JSON.parse(r.bundle.toString('utf8'));
    } catch {
      throw new VerifyError('MALFORMED', 'the referrer layer is not JSON');
    }
    const bundle = parseBundle(json);
    // cosign accepts only DSSE bundles for images: a message signature does not name what it signed.
    const statement = statementOf(bundle);
    if (!opts.key) refuseKeyBundle(bundle);
    const trust = opts.key ? pinKey(opts.trust, bundle, opts.key) : opts.trust;
    const verified = verifyBundleMaterial(trust, bundle, undefined, { insecureIgnoreTlog: opts.insecureIgnoreTlog });
    checkStatementSubject(statement, digest);
    return { ...verified, statement };
  });
}

// Runs one item's verification; the kind and predicate type are re-read from
// the verified statement, since annotations are unsigned.
function check(
  kind: ItemResult['kind'],
  format: ItemResult['format'],
  source: string,
  claimedType: string | undefined,
  policy: IdentityPolicy | undefined,
  verify: () => VerifiedBundle & { statement?: Statement },
): ItemResult {
  const item: ItemResult = { kind, format, source, predicateType: kind === 'attestation' ? claimedType : undefined, verified: false, logIndexes: [] };
  try {
    const v = verify();
    if (v.statement) {
      item.kind = v.statement.predicateType === PREDICATE_TYPES.cosignSign ? 'signature' : 'attestation';
      item.predicateType = item.kind === 'attestation' ? v.statement.predicateType : undefined;
    }
    item.signer = v.signer;
    item.logIndexes = v.logIndexes;
    // A key policy is enforced inside verify (pinKey): only that key verifies.
    if (policy) checkIdentity(policy, v.signer);
    item.verified = true;
  } catch (err) {
    const e = err instanceof VerifyError ? err : new VerifyError('MALFORMED', errorLine(err), { cause: err });
    item.reason = e.reason;
    item.error = e.message;
  }
  return item;
}

// Turns item results into the image's verdict and one failure per reason.
function judge(image: string, digest: string, items: ItemResult[], opts: VerifyImagesOptions): ImageVerdict {
  const signatures = items.filter((i) => i.kind === 'signature');
  const attestations = items.filter((i) => i.kind === 'attestation');
  const failures: Failure[] = [];
  const fail = (i: ItemResult) => failures.push({ reason: i.reason ?? 'MALFORMED', message: `${image}: ${describe(i)}: ${i.error ?? 'not verified'}` });
  for (const i of items) if (!i.verified && i.reason && !isPolicyReason(i.reason)) fail(i);

  const policyFailures = (group: ItemResult[]) => group.filter((i) => i.reason && isPolicyReason(i.reason));
  if (opts.requireSignature && !signatures.some((i) => i.verified)) {
    policyFailures(signatures).forEach(fail);
    if (signatures.length === 0) {
      failures.push({ reason: 'NO_SIGNATURE', message: `${image}: no signature: neither a cosign .sig tag nor a signature bundle referrer is attached` });
    }
  }
  for (const type of opts.predicateTypes) {
    const ofType = attestations.filter((i) => i.predicateType === type);
    if (ofType.some((i) => i.verified)) continue;
    policyFailures(ofType).forEach(fail);
    if (ofType.length === 0) {
      const found = [...new Set(attestations.map((i) => i.predicateType).filter(Boolean))].join(', ') || 'none';
      failures.push({
        reason: 'MISSING_ATTESTATION',
        message: `${image}: missing attestation type ${type} (found: ${found}); expected one signed by ${opts.policy ? describeSAN(opts.policy.san) : 'the given key'}`,
      });
    }
  }
  const verified = items.filter((i) => i.verified);
  return {
    image,
    digest,
    verified: failures.length === 0,
    signer: verified[0]?.signer,
    signatures,
    attestations,
    predicateTypes: [...new Set(attestations.filter((i) => i.verified).map((i) => i.predicateType as string))],
    logIndexes: [...new Set(verified.flatMap((i) => i.logIndexes))],
    failures,
  };
}

function describe(i: ItemResult): string {
  const what = i.kind === 'signature' ? 'signature' : `attestation ${i.predicateType ?? '(unknown type)'}`;
  return `${i.format === 'cosign' ? 'cosign' : 'bundle'} ${what} (${i.source})`;
}

function emptyVerdict(image: string): ImageVerdict {
  return { image, verified: false, signatures: [], attestations: [], predicateTypes: [], logIndexes: [], failures: [] };
}
