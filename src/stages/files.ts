import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrustMaterial } from '@sigstore/verify';
import { PREDICATE_TYPES } from '../formats/predicates.js';
import { statement, subjectGroups } from '../formats/statements.js';
import { predicateSlug, type CustomPredicate } from '../custom-predicates.js';
import type { FileArtifact, FileResult, FileTarget, SignedResult, Signer } from '../model.js';
import { verifyArtifactBundle, type SignerCheck } from '../verify/artifact.js';
import { selfCheck, verifySelfSigned, writeBundleFile, type SelfCheck } from './sign.js';
import { mapConcurrent } from '../verify/pool.js';

// Release files: one message signature per file (the `cosign sign-blob
// --bundle` shape), and one in-toto statement per predicate over all files
// as subjects (split only past the limits in formats/statements.ts). Files have
// no registry: their bundles are files, nothing is attached.

// Rekor uploads in flight for per-file signatures: thousands of files must
// not open thousands of connections.
const SIGN_CONCURRENCY = 8;

export interface FileStatement {
  kind: 'provenance' | 'predicate';
  predicateType: string;
  name?: string; // cosign --type name of a custom predicate
  document: object;
}

export interface SignedFileStatement extends FileStatement {
  subjects: FileTarget[];
  signed: SignedResult;
  part?: { index: number; of: number }; // set when the subjects were split over several statements
}

export interface SignedFiles {
  files: { subject: FileTarget; signature?: SignedResult }[];
  statements: SignedFileStatement[];
}

export function fileStatements(provenance: object | undefined, predicates: CustomPredicate[]): FileStatement[] {
  return [
    ...(provenance ? [{ kind: 'provenance' as const, predicateType: PREDICATE_TYPES.slsaProvenance, document: provenance }] : []),
    ...predicates.map((p) => ({ kind: 'predicate' as const, predicateType: p.predicateType, name: p.name, document: p.document })),
  ];
}

export async function signFiles(signer: Signer, subjects: FileTarget[], sign: boolean, statements: FileStatement[]): Promise<SignedFiles> {
  const groups = subjectGroups(subjects);
  const [files, signedStatements] = await Promise.all([
    mapConcurrent(subjects, SIGN_CONCURRENCY, async (subject) => ({
      subject,
      signature: sign ? await signer.signDigest(Buffer.from(subject.digest.slice('sha256:'.length), 'hex')) : undefined,
    })),
    Promise.all(
      statements.flatMap((s) =>
        groups.map(async (group, index): Promise<SignedFileStatement> => ({
          ...s,
          subjects: group,
          signed: await signer.signStatement(statement(group, s.predicateType, s.document)),
          ...(groups.length > 1 ? { part: { index: index + 1, of: groups.length } } : {}),
        })),
      ),
    ),
  ]);
  return { files, statements: signedStatements };
}

// Every file bundle against the trusted root and the run's identity, and
// each statement names exactly the files it was made for, before any file is written.
export function verifySignedFiles(trust: TrustMaterial, signed: SignedFiles, policy: SelfCheck): void {
  // A file is known by its digest only: the signature is checked over it.
  const signer: SignerCheck = 'key' in policy ? { key: policy.key } : { policy };
  const opts = { insecureIgnoreTlog: 'key' in policy && policy.insecureIgnoreTlog };
  for (const f of signed.files) {
    const sig = f.signature;
    if (sig) selfCheck(`signature of ${f.subject.name}`, () => verifyArtifactBundle(trust, sig.bundle, { digest: f.subject.digest }, signer, opts));
  }
  for (const s of signed.statements) {
    selfCheck(`${s.name ?? s.predicateType} statement over ${s.subjects.length} file(s)`, () => {
      verifySelfSigned(trust, policy, s.signed.bundle);
      const stmt = JSON.parse(Buffer.from(s.signed.bundle.dsseEnvelope?.payload ?? '', 'base64').toString('utf8')) as {
        subject?: { name?: string; digest?: { sha256?: string } }[];
      };
      const named = new Set((stmt.subject ?? []).map((x) => `${x.name} ${x.digest?.sha256}`));
      const missing = s.subjects.find((f) => !named.has(`${f.name} ${f.digest.slice('sha256:'.length)}`));
      if (missing || named.size !== s.subjects.length) throw new Error(`the statement does not name exactly its files${missing ? ` (${missing.name} is missing)` : ''}`);
    });
  }
}

// Where each bundle goes: a file's signature next to it (`<file>.sigstore.json`,
// the name cosign sign-blob users and sigstore-python look for), a checksums
// line's signature and every statement in the run's folder under files/.
export async function writeFileBundles(outDir: string, signed: SignedFiles): Promise<Map<SignedResult, string>> {
  const paths = new Map<SignedResult, string>();
  if (signed.files.length === 0) return paths;
  const dir = join(outDir, 'files');
  await mkdir(dir, { recursive: true });
  const used = new Set<string>();
  const unique = (base: string) => {
    let name = `${base}.sigstore.json`;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}.sigstore.json`;
    used.add(name);
    return join(dir, name);
  };
  for (const s of signed.statements) {
    const base = s.kind === 'provenance' ? 'provenance' : predicateSlug(s);
    paths.set(s.signed, unique(s.part ? `${base}-${s.part.index}-of-${s.part.of}` : base));
  }
  for (const f of signed.files) {
    if (!f.signature) continue;
    paths.set(f.signature, f.subject.path ? `${f.subject.path}.sigstore.json` : unique(safeName(f.subject.name)));
  }
  await mapConcurrent([...paths], 16, ([s, path]) => writeBundleFile(path, s.bundle));
  return paths;
}

// A checksums line's name as one file name in the output folder: no
// directories, nothing that climbs out of it.
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^[.]+/, '_') || '_';
}

// The result rows: each file with its signature and every statement naming it.
export function fileResults(signed: SignedFiles, paths: Map<SignedResult, string>): FileResult[] {
  const row = (kind: FileArtifact['kind'], s: SignedResult, extra: Partial<FileArtifact> = {}): FileArtifact => ({
    kind,
    ...(s.entry ? { logIndex: s.entry.logIndex, uuid: s.entry.uuid, integratedTime: s.entry.integratedTime } : {}),
    bundle: paths.get(s) ?? '',
    ...extra,
  });
  const statementsOf = new Map<string, SignedFileStatement[]>();
  for (const st of signed.statements) for (const f of st.subjects) statementsOf.set(f.name, [...(statementsOf.get(f.name) ?? []), st]);
  return signed.files.map(({ subject, signature }) => ({
    name: subject.name,
    digest: subject.digest,
    ...(subject.path ? { path: subject.path } : {}),
    artifacts: [
      ...(signature ? [row('signature', signature)] : []),
      ...(statementsOf.get(subject.name) ?? []).map((st) =>
        row(st.kind, st.signed, {
          predicateType: st.predicateType,
          ...(st.name ? { typeName: st.name } : {}),
          subjects: st.subjects.length,
          ...(st.part ? { part: `${st.part.index}/${st.part.of}` } : {}),
        }),
      ),
    ],
  }));
}

// The run log's account of the files: counts and ranges, not thousands of lines.
export function fileLogLines(signed: SignedFiles, paths: Map<SignedResult, string>, san: string): string[] {
  const signedFiles = signed.files.filter((f) => f.signature).length;
  const sigs = signed.files.flatMap((f) => (f.signature?.entry ? [f.signature.entry.logIndex] : []));
  const bundles = signedFiles + signed.statements.length;
  const lines: string[] = bundles
    ? [`Self-verified ${bundles} release-file bundles: each signed by ${san || 'the key of signing-key'}, each names its files' digests`]
    : [];
  if (signedFiles) {
    const onDisk = signed.files.filter((f) => f.subject.path && f.signature).length;
    const where =
      onDisk === signedFiles
        ? 'each bundle next to its file as <file>.sigstore.json'
        : `${onDisk ? `bundles of the ${onDisk} file(s) on disk next to them, ` : ''}bundles of the subject-checksums files in the run folder's files/`;
    lines.push(
      `Signed ${signed.files.length} release file(s): ${sigs.length ? `Rekor log indexes ${Math.min(...sigs)}–${Math.max(...sigs)}` : 'not logged in Rekor'}; ${where}`,
    );
  }
  for (const s of signed.statements) {
    const what = s.kind === 'provenance' ? 'SLSA provenance' : `attestation ${s.name ?? s.predicateType}`;
    lines.push(
      `${what} over ${s.subjects.length} release file(s)${s.part ? ` (part ${s.part.index} of ${s.part.of})` : ''}: ${s.signed.entry ? `Rekor log index ${s.signed.entry.logIndex}` : 'not logged in Rekor'}, bundle ${paths.get(s.signed) ?? ''}`,
    );
  }
  return lines;
}

// The files stage in one call: sign each file and the statements over them,
// self-verify, write the bundles, log, and return the result rows. Runs
// beside the images' signing; no registry is involved.
export async function signReleaseFiles(
  signer: Signer & { san: string },
  files: FileTarget[],
  opts: { sign: boolean; provenance?: object; predicates: CustomPredicate[]; trust: TrustMaterial; policy: SelfCheck; outDir: string },
  log: { info: (line: string) => void },
): Promise<FileResult[]> {
  if (!files.length) return [];
  const signed = await signFiles(signer, files, opts.sign, fileStatements(opts.provenance, opts.predicates));
  verifySignedFiles(opts.trust, signed, opts.policy);
  const paths = await writeFileBundles(opts.outDir, signed);
  for (const line of fileLogLines(signed, paths, signer.san)) log.info(line);
  return fileResults(signed, paths);
}
