import { interopConsumersSuite } from '../../test/harness/interop-consumers-suite.js';

// Judged by the real tools, against the Sigstore stand-in (the suite body and
// its account of every check: test/harness/interop-consumers-suite.ts).
interopConsumersSuite({ real: false });
