// The stages a run needs once its first requests are out. main.ts loads
// this module (a chunk of its own: Sigstore, signing, SBOM, attaching,
// outputs) while the token and the image manifests are on their way, so
// compiling it overlaps those requests instead of delaying them.
export { loadTrustMaterial } from '../verify.js';
export { attachAll, prepareAttach } from './attach.js';
export { signReleaseFiles } from './files.js';
export { openOutputs, report, summaryContext } from './outputs.js';
export { describeWhileOpening, predicatesFor, provenanceDocument } from './predicates.js';
export { signAll } from './sign.js';
export { openSigner, resolveServices } from './signer.js';
export { prepareStore, storeAll } from './store.js';
