import { PREDICATE_TYPES } from '../formats/predicates.js';
import type { Identity } from '../identity.js';
import type { Inputs } from '../inputs.js';
import type { RunLog } from '../log.js';
import type { Predicate, Registries, Target } from '../model.js';
import { buildProvenance } from '../provenance.js';
import { sbomPredicates } from '../sbom/step.js';

// The predicates stage: what each image is attested with, in target order.
// Provenance describes the run (the same document on every image); SBOMs are
// per image. Other predicate types join this list.
export async function predicatesFor(
  targets: Target[],
  registries: Registries,
  inputs: Pick<Inputs, 'provenance' | 'sbom' | 'sbomFormats'>,
  identity: Identity,
  outDir: string,
  log: RunLog,
): Promise<Predicate[][]> {
  const provenance: Predicate[] = inputs.provenance
    ? [{ kind: 'provenance', predicateType: PREDICATE_TYPES.slsaProvenance, document: buildProvenance(identity.claims, process.env['GITHUB_SERVER_URL']) }]
    : [];
  const sboms = await sbomPredicates(targets, registries, inputs.sbom, outDir, log, inputs.sbomFormats);
  return sboms.map((sbom) => [...provenance, ...sbom]);
}
