import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrustMaterial } from '@sigstore/verify';
import { predicateSlug } from '../custom-predicates.js';
import { ActionError, errorLine } from '../errors.js';
import { cosignSignStatement, simpleSigningPayload, statement } from '../formats/statements.js';
import type { AttachMode } from '../inputs.js';
import { jsonLine } from '../json-slices.js';
import type { RunLog } from '../log.js';
import type { Predicate, SignedResult, SignedTarget, Signer, Subject } from '../model.js';
import { verifyBundle, type IdentityPolicy } from '../verify.js';
import { verifyBundleWithKey, type KeyPolicy } from '../verify/key.js';
import { targetDir } from './targets.js';

// The signing stage: sign and log every artifact, verify what was produced
// against the trusted root, and write the bundle files. Nothing here touches
// the registry.

// Signs and logs every subject's artifacts, then self-verifies them all.
export async function signAll(
  signer: Signer,
  targets: Subject[],
  predicates: Predicate[][],
  opts: { sign: boolean; attach: AttachMode; trust: TrustMaterial; policy: SelfCheck },
  log: RunLog,
): Promise<SignedTarget[]> {
  const signed = await Promise.all(targets.map((t, i) => signTarget(signer, t, opts.sign, opts.attach, predicates[i] ?? [])));
  const bundles = bundlesOf(signed);
  const indexes = bundles.flatMap((b) => (b.entry ? [b.entry.logIndex] : []));
  const unlogged = 'key' in opts.policy && opts.policy.insecureIgnoreTlog;
  if (unlogged) log.info(`Signed ${bundles.length} bundles for ${signed.length} image(s); none logged in Rekor (tlog-upload: false)`);
  else
    log.info(
      `Logged ${bundles.length} entries in Rekor for ${signed.length} image(s)${indexes.length ? ` (log indexes ${Math.min(...indexes)}–${Math.max(...indexes)})` : ''}`,
    );
  for (const st of signed) verifySigned(opts.trust, st, opts.policy);
  const by = 'key' in opts.policy ? `the key of signing-key (hint ${opts.policy.key.hint})` : opts.policy.san;
  log.info(`Self-verified ${bundles.length} bundles${unlogged ? '' : ' against the trusted root'}: each signed by ${by}, each statement names its image's digest`);
  return signed;
}

// Signs and logs everything for one subject; the Rekor uploads are
// independent and run concurrently.
export async function signTarget(signer: Signer, target: Subject, sign: boolean, attach: AttachMode, predicates: Predicate[]): Promise<SignedTarget> {
  const subject = [{ name: target.name, digest: target.digest }];
  const payload = simpleSigningPayload(target.name, target.digest);
  const wantsReferrers = attach === 'both' || attach === 'referrers';
  const [signature, signatureReferrer, ...attestations] = await Promise.all([
    sign ? signer.signMessage(payload).then((s) => ({ ...s, payload })) : undefined,
    sign && wantsReferrers ? signer.signStatement(cosignSignStatement(target.name, target.digest)) : undefined,
    ...predicates.map((p) => signer.signStatement(statement(subject, p.predicateType, p.document)).then((s) => ({ ...s, predicate: p }))),
  ]);
  return {
    target,
    signature,
    signatureReferrer,
    attestations,
  };
}

// Every bundle of a run.
export function bundlesOf(signed: SignedTarget[]): SignedResult[] {
  return signed.flatMap((st) => [st.signature, st.signatureReferrer, ...st.attestations].filter((s) => s !== undefined));
}

// Verifies every bundle against the trusted root and the run's identity, and
// that each statement names this subject's digest, before anything is written.
// Who must have signed: the run's certificate identity, or (key signing) its key.
export type SelfCheck = IdentityPolicy | { key: KeyPolicy; insecureIgnoreTlog: boolean };

// One bundle under the run's policy: by certificate identity, or by the key.
export function verifySelfSigned(trust: TrustMaterial, policy: SelfCheck, bundle: unknown, payload?: Buffer): void {
  if ('key' in policy) verifyBundleWithKey(trust, bundle, policy.key, payload, { insecureIgnoreTlog: policy.insecureIgnoreTlog });
  else verifyBundle(trust, bundle, policy, payload);
}

// Runs one self-check; a failure becomes the one error line that names the likely fix.
export function selfCheck(what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    throw new ActionError(
      'VERIFY',
      `Self-verification of the ${what} failed (${errorLine(err)}); check that trusted-root belongs to the Sigstore instance at fulcio-url and rekor-url`,
    );
  }
}

export function verifySigned(trust: TrustMaterial, st: SignedTarget, policy: SelfCheck): void {
  const verify = (bundle: unknown, payload?: Buffer) => verifySelfSigned(trust, policy, bundle, payload);
  const where = `${st.target.name}@${st.target.digest}`;
  const check = (what: string, fn: () => void) => selfCheck(`${what} for ${where}`, fn);
  if (st.signature) {
    const sig = st.signature;
    check('signature', () => verify(sig.bundle, sig.payload));
  }
  for (const s of [st.signatureReferrer, ...st.attestations]) {
    if (!s) continue;
    check('attestation', () => {
      verify(s.bundle);
      const stmt = JSON.parse(Buffer.from(s.bundle.dsseEnvelope?.payload ?? '', 'base64').toString('utf8')) as {
        subject?: { digest?: { sha256?: string } }[];
      };
      const hex = st.target.digest.replace('sha256:', '');
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
    await writeBundleFile(path, s.bundle);
    paths.set(s, path);
  }
  return paths;
}

// A bundle file: one JSON line, written in slices (an SBOM bundle is
// megabytes, and its text would be one more copy of it).
export function writeBundleFile(path: string, bundle: object): Promise<void> {
  return writeFile(path, jsonLine(bundle));
}

// `sbom` for CycloneDX (as before SPDX existed), `sbom-spdx` for SPDX.
function bundleName(p: Predicate): string {
  if (p.kind === 'predicate') return predicateSlug(p);
  return p.kind === 'sbom' && p.format === 'spdx' ? 'sbom-spdx' : p.kind;
}
