import * as core from '@actions/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parsePredicatesInput, readPredicates, type CustomPredicate } from './custom-predicates.js';
import { ActionError, errorLine } from './errors.js';
import { parseChecksums, type ChecksumSubject } from './files/checksums.js';
import { STORE_MODES, type StoreMode } from './github/attestations.js';
import { isDigest, parseReference, type Reference } from './oci/reference.js';
import { SBOM_FORMATS, type SbomFormat } from './sbom/formats.js';
import { signingKeyText } from './signing-key.js';
import { embeddedPublicGoodServices, fetchSigningConfig, readSigningConfig, type SelectedServices } from './signing-config.js';
import { isPublicGood, PUBLIC_GOOD_TUF, type TufSource } from './tuf.js';

// The only caller of core.getInput: every input parsed, checked and typed
// once, with errors that name the input and the fix.

export type AttachMode = 'both' | 'referrers' | 'tags' | 'none';
export type SbomMode = { kind: 'generate' } | { kind: 'none' } | { kind: 'file'; path: string };

export interface Inputs {
  images: Reference[]; // empty when only files are signed
  // Release files: subject-path's lines (resolved and hashed when the run
  // starts) and subject-checksums' files, taken by name and digest.
  subjectPaths: string;
  subjectChecksums: ChecksumSubject[];
  predicates: CustomPredicate[]; // the `predicates` documents, read and checked
  sign: boolean;
  sbom: SbomMode;
  sbomFormats: SbomFormat[]; // generated SBOMs: one signed attestation per format
  provenance: boolean;
  attach: AttachMode;
  replace: boolean;
  fulcioURL: string;
  rekorURL: string;
  rekorVersion: 1 | 2;
  // Set when Rekor v2 narrowed attach: both to referrers (said once in the log and summary).
  referrersOnly?: string;
  tsaURL?: string;
  trustedRoot?: string;
  // The TUF repository of the trusted root and signing config when their inputs are empty.
  tuf: TufSource;
  // Where the service URLs came from, when a signing config chose them (for the log).
  servicesFrom?: string;
  // Set when the services come from a TUF repository's signing config: the
  // inputs with them, read just before signing (the registry is read first).
  servicesFromTuf?: () => Promise<Inputs>;
  audience: string;
  identityToken?: string;
  registryUsername?: string;
  registryPassword?: string;
  retryBudgetSeconds: number;
  summary: boolean;
  // GitHub's attestation store: whether to upload the DSSE bundles, and the token for it.
  attestationStore: StoreMode;
  githubToken: string;
  // A cosign private key (PEM text, masked) and its password: sign with it
  // instead of keylessly (no OIDC token, no Fulcio).
  signingKey?: { pem: string; password: string };
  // false: nothing is logged in Rekor (key signing only).
  tlogUpload: boolean;
}

const ATTACH_MODES: readonly AttachMode[] = ['both', 'referrers', 'tags', 'none'];

// The services come from the TUF repository's signing config (the public-good
// one by default) when neither signing-config nor fulcio-url / rekor-url names
// them: a private instance passed by URL gets no public TSA.
const servicesFromTuf = (get: (name: string) => string) => !get('signing-config').trim() && !get('fulcio-url').trim() && !get('rekor-url').trim();

// The action's entry: every input checked now (with the embedded public-good
// services standing in), the TUF repository asked only when signing starts.
export function readActionInputs(get: (name: string) => string = (n) => core.getInput(n), warn: (message: string) => void = (m) => core.warning(m)): Inputs {
  if (!servicesFromTuf(get)) return readInputs(get);
  return { ...readInputs(get, embeddedPublicGoodServices()), servicesFromTuf: () => readInputsWithServices(get, warn) };
}

// readInputs, with the services of the TUF repository's signing config when
// no input names them.
export async function readInputsWithServices(
  get: (name: string) => string = (n) => core.getInput(n),
  warn: (message: string) => void = (m) => core.warning(m),
): Promise<Inputs> {
  const tuf = readTufSource(get);
  if (!servicesFromTuf(get)) return readInputs(get);
  readInputs(get, embeddedPublicGoodServices()); // every input error before any network request
  const from = tuf.rootPath ? `the signing config of ${tuf.mirrorURL}` : 'the public-good signing config';
  return { ...readInputs(get, await fetchSigningConfig(tuf, isPublicGood(tuf) ? warn : undefined)), servicesFrom: from };
}

function readTufSource(get: (name: string) => string): TufSource {
  const mirror = get('tuf-mirror-url').trim();
  const root = get('tuf-root').trim();
  if (!mirror && !root) return PUBLIC_GOOD_TUF;
  if (!mirror || !root) {
    throw new ActionError('INPUT', 'tuf-mirror-url and tuf-root go together: pass the URL of your Sigstore TUF repository and the path of its initial root.json');
  }
  if (!existsSync(root)) throw new ActionError('INPUT', `tuf-root: file "${root}" does not exist; pass the path of the TUF repository's initial root.json`);
  return { mirrorURL: url(get, 'tuf-mirror-url', ''), rootPath: root };
}

// `tufConfig`: the services of the TUF repository's signing config, used when
// the signing-config input is empty.
export function readInputs(get: (name: string) => string = (n) => core.getInput(n), tufConfig: SelectedServices = {}): Inputs {
  const password = get('registry-password');
  if (password) core.setSecret(password);
  const token = get('identity-token');
  if (token) core.setSecret(token);
  const githubToken = get('github-token').trim();
  if (githubToken) core.setSecret(githubToken);
  const store = (get('attestation-store').trim() || 'auto').toLowerCase();
  if (!STORE_MODES.includes(store as StoreMode)) {
    throw new ActionError('INPUT', `attestation-store: "${store}" is not one of ${STORE_MODES.join(', ')}`);
  }

  const attach = get('attach') || 'both';
  if (!ATTACH_MODES.includes(attach as AttachMode)) {
    throw new ActionError('INPUT', `attach: "${attach}" is not one of ${ATTACH_MODES.join(', ')}`);
  }
  const budget = Number(get('retry-budget') || '120');
  if (!Number.isFinite(budget) || budget < 0) throw new ActionError('INPUT', `retry-budget: "${get('retry-budget')}" is not a number of seconds`);
  const trustedRoot = get('trusted-root') || undefined;
  if (trustedRoot && !existsSync(trustedRoot)) {
    throw new ActionError(
      'INPUT',
      `trusted-root: file "${trustedRoot}" does not exist; pass the path of a trusted_root.json or leave it empty for the public-good root`,
    );
  }
  // URLs: the input, else the signing config's choice, else the public-good instance.
  const config: SelectedServices = get('signing-config').trim() ? readSigningConfig(get('signing-config').trim()) : tufConfig;
  const subjectPaths = get('subject-path').trim();
  const subjectChecksums = readChecksumsInput(get('subject-checksums'));
  const files = subjectPaths !== '' || subjectChecksums.length > 0;
  const inputs: Inputs = {
    images: files && !get('images').replace(/[\s,]/g, '') && !get('digest').trim() ? [] : parseImages(get('images'), get('digest')),
    subjectPaths,
    subjectChecksums,
    predicates: readPredicates(parsePredicatesInput(get('predicates'))),
    sign: bool(get, 'sign', true),
    sbom: parseSbom(get('sbom')),
    sbomFormats: parseSbomFormats(get('sbom-format')),
    provenance: bool(get, 'provenance', true),
    attach: attach as AttachMode,
    replace: bool(get, 'replace', false),
    fulcioURL: url(get, 'fulcio-url', config.fulcioURL ?? 'https://fulcio.sigstore.dev'),
    rekorURL: url(get, 'rekor-url', config.rekorURL ?? 'https://rekor.sigstore.dev'),
    rekorVersion: 1,
    tsaURL: get('tsa-url') || config.tsaURL ? url(get, 'tsa-url', config.tsaURL ?? '') : undefined,
    trustedRoot,
    tuf: readTufSource(get),
    audience: get('oidc-audience') || 'sigstore',
    identityToken: token || undefined,
    registryUsername: get('registry-username') || undefined,
    registryPassword: password || undefined,
    retryBudgetSeconds: budget,
    summary: bool(get, 'summary', true),
    attestationStore: store as StoreMode,
    githubToken,
    signingKey: readSigningKeyInputs(get),
    tlogUpload: bool(get, 'tlog-upload', true),
  };
  if (!inputs.tlogUpload && !inputs.signingKey) {
    throw new ActionError(
      'INPUT',
      'tlog-upload: false needs signing-key: a keyless signature is only trustworthy through its Rekor entry (its certificate lives for minutes); pass a cosign key in signing-key or drop tlog-upload',
    );
  }
  // A rekor-url input names a v1 log unless rekor-version says otherwise.
  const configVersion = get('rekor-url').trim() ? undefined : config.rekorVersion;
  applyRekorVersion(inputs, get('rekor-version').trim() || String(configVersion ?? 1));
  if (!inputs.sign && inputs.sbom.kind === 'none' && !inputs.provenance && inputs.predicates.length === 0) {
    throw new ActionError('INPUT', 'sign, sbom and provenance are all off and no predicates are given: nothing to do; enable at least one');
  }
  if (inputs.images.length === 0 && !inputs.sign && !inputs.provenance && inputs.predicates.length === 0) {
    throw new ActionError(
      'INPUT',
      'sign and provenance are off and no predicates are given: nothing to do for the release files (an SBOM is made for images only); enable sign or provenance',
    );
  }
  return inputs;
}

// The signing key (text or path) and its password, from the input or
// COSIGN_PASSWORD as cosign reads it; all masked before anything is logged.
function readSigningKeyInputs(get: (name: string) => string): Inputs['signingKey'] {
  const raw = get('signing-key');
  const password = get('signing-key-password') || process.env['COSIGN_PASSWORD'] || '';
  if (password) core.setSecret(password);
  if (!raw.trim()) {
    if (get('signing-key-password'))
      throw new ActionError('INPUT', 'signing-key-password is set but signing-key is empty; pass the cosign key (its contents from a secret, or its path)');
    return undefined;
  }
  const pem = signingKeyText(raw);
  // The runner masks line by line: the whole text and each line of the body.
  core.setSecret(pem);
  for (const line of pem.split(/\r?\n/)) if (line.trim() && !line.startsWith('-----')) core.setSecret(line.trim());
  return { pem, password };
}

// Rekor v2 gives no signed entry timestamp: signing time comes from a TSA, and
// cosign's .sig/.att tags (which carry a SET) cannot be written.
function applyRekorVersion(inputs: Inputs, raw: string): void {
  if (raw !== '1' && raw !== '2') throw new ActionError('INPUT', `rekor-version: "${raw}" is not 1 or 2`);
  if (raw === '1') return;
  inputs.rekorVersion = 2;
  if (!inputs.tsaURL) {
    throw new ActionError('INPUT', 'rekor-version: 2 needs tsa-url: Rekor v2 gives no signed entry timestamp, so a timestamp authority must vouch for the signing time');
  }
  if (inputs.attach === 'tags') {
    throw new ActionError(
      'INPUT',
      "attach: tags cannot be used with rekor-version: 2: cosign's .sig/.att tags need a signed entry timestamp, which Rekor v2 does not give; use attach: referrers",
    );
  }
  if (inputs.attach === 'both') {
    inputs.attach = 'referrers';
    inputs.referrersOnly = "Rekor v2 gives no signed entry timestamp, which cosign's .sig/.att tags need: attached as OCI referrers (Sigstore bundles) only";
  }
}

// `images` holds one or more references, newline- or comma-separated; a
// `digest` input completes a single tagless name.
export function parseImages(raw: string, digest: string): Reference[] {
  const items = raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) {
    throw new ActionError(
      'INPUT',
      'images: no image given and no release files: nothing to sign; pass registry/repository@sha256:<digest> (for example the digest output of docker/build-push-action) in images, or files in subject-path or subject-checksums',
    );
  }
  const refs = items.map(parseReference);
  const d = digest.trim();
  if (d) {
    if (!isDigest(d)) throw new ActionError('INPUT', `digest: "${d}" is not a sha256 digest; pass sha256:<64 lowercase hex>`);
    if (refs.length !== 1) throw new ActionError('INPUT', 'digest: pairs with exactly one image name; put name@digest in images for several images');
    const [ref] = refs as [Reference];
    if (ref.digest && ref.digest !== d) throw new ActionError('INPUT', `digest: ${d} differs from the digest in images (${ref.digest}); pass only one`);
    ref.digest = d;
    ref.tag = undefined;
  }
  return refs;
}

// One or more sha256sum files, one path a line.
function readChecksumsInput(raw: string): ChecksumSubject[] {
  const paths = raw
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const all = paths.flatMap((path) => {
    let text: string;
    try {
      if (!statSync(path).isFile()) throw new Error('not a regular file');
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ActionError(
        'INPUT',
        `subject-checksums: "${path}" ${missing ? 'does not exist' : `cannot be read (${errorLine(err)})`}; pass the path of a file written by sha256sum`,
      );
    }
    return parseChecksums(text, path);
  });
  const byName = new Map<string, ChecksumSubject>();
  for (const s of all) {
    const seen = byName.get(s.name);
    if (seen && seen.digest !== s.digest) throw new ActionError('INPUT', `subject-checksums: "${s.name}" is listed with two different digests; keep one`);
    byName.set(s.name, s);
  }
  return [...byName.values()];
}

function parseSbom(raw: string): SbomMode {
  const v = raw.trim();
  if (v === '' || v === 'generate' || v === 'true') return { kind: 'generate' };
  if (v === 'false' || v === 'none') return { kind: 'none' };
  if (!existsSync(v)) throw new ActionError('INPUT', `sbom: file "${v}" does not exist; pass generate, false, or the path of a CycloneDX/SPDX JSON file`);
  return { kind: 'file', path: v };
}

// `cyclonedx` (default), `spdx`, or both comma-separated.
export function parseSbomFormats(raw: string): SbomFormat[] {
  const items = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0) return ['cyclonedx'];
  const aliases: Record<string, SbomFormat> = { cyclonedx: 'cyclonedx', 'cyclonedx-json': 'cyclonedx', spdx: 'spdx', 'spdx-json': 'spdx' };
  const out: SbomFormat[] = [];
  for (const item of items) {
    const f = aliases[item];
    if (!f) throw new ActionError('INPUT', `sbom-format: "${item}" is not a known format; pass ${SBOM_FORMATS.join(', ')} or both as cyclonedx,spdx`);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

function bool(get: (n: string) => string, name: string, dflt: boolean): boolean {
  const v = get(name).trim().toLowerCase();
  if (v === '') return dflt;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ActionError('INPUT', `${name}: "${v}" is not true or false`);
}

function url(get: (n: string) => string, name: string, dflt: string): string {
  const v = get(name).trim() || dflt;
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw new ActionError('INPUT', `${name}: "${v}" is not an http(s) URL`);
  }
  return v.replace(/\/+$/, '');
}
