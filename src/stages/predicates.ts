import { PREDICATE_TYPES } from '../formats/predicates.js';
import type { Identity } from '../identity.js';
import type { Inputs } from '../inputs.js';
import type { RunLog } from '../log.js';
import type { Predicate, Registries, Target } from '../model.js';
import { buildProvenance } from '../provenance.js';
import { sbomPredicates } from '../sbom/step.js';
import { claimsFromEnvironment } from '../workflow-claims.js';

// The predicates stage: what each image is attested with, in target order.
// Provenance describes the run (the same document on every image); SBOMs are
// per image; the `predicates` input's documents go on every image.
export async function predicatesFor(
  targets: Target[],
  registries: Registries,
  inputs: Pick<Inputs, 'sbom' | 'sbomFormats' | 'predicates'>,
  // The run's provenance document (provenanceDocument), shared with the release files.
  document: object | undefined,
  outDir: string,
  log: RunLog,
  events: { signal?: AbortSignal; scanned?: () => void } = {},
): Promise<Predicate[][]> {
  const provenance: Predicate[] = document ? [{ kind: 'provenance', predicateType: PREDICATE_TYPES.slsaProvenance, document }] : [];
  const custom: Predicate[] = inputs.predicates.map((p) => ({ kind: 'predicate', predicateType: p.predicateType, typeName: p.name, document: p.document }));
  const sboms = await sbomPredicates(targets, registries, inputs.sbom, outDir, log, inputs.sbomFormats, events);
  return sboms.map((sbom) => [...provenance, ...sbom, ...custom]);
}

// The run's SLSA provenance (also the release files' one), unless turned off.
// Absent identity (key signing without a token): the runner's environment stands in (workflow-claims.ts).
export function provenanceDocument(inputs: Pick<Inputs, 'provenance'>, identity: Identity | undefined): object | undefined {
  return inputs.provenance ? buildProvenance(identity?.claims ?? claimsFromEnvironment(), process.env['GITHUB_SERVER_URL']) : undefined;
}

// While the images are scanned, `before` (the push probe) runs; once every
// image has been read (an image that cannot be described is refused before
// any certificate or Rekor entry), the signer is opened while the documents
// are written and checked. A failure on either side stops the scan.
export async function describeWhileOpening<S>(
  describe: (events: { signal: AbortSignal; scanned: () => void }) => Promise<Predicate[][]>,
  before: Promise<unknown> | undefined,
  open: () => Promise<S>,
): Promise<[Predicate[][], S]> {
  const scan = new AbortController();
  let scanned!: () => void;
  const read = new Promise<void>((r) => (scanned = r));
  try {
    return await Promise.all([describe({ signal: scan.signal, scanned }), Promise.all([before, read]).then(open)]);
  } catch (err) {
    scan.abort(err);
    throw err;
  }
}
