import { interopProducersSuite } from '../../test/harness/interop-producers-suite.js';

// Real producers feed our verifier, on the Sigstore stand-in (the suite body:
// test/harness/interop-producers-suite.ts).
interopProducersSuite({ real: false });
