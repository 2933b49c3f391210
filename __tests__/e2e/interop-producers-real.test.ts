import { describe, it } from '@jest/globals';
import { interopProducersSuite } from '../../test/harness/interop-producers-suite.js';
import { stackLib } from '../../test/harness/stack.js';

// Real producers feed our verifier, on the real Sigstore services (issue 10
// §1): the same producers and checks as interop-producers.test.ts. Skipped
// only when the services are not built.
const missing = (await stackLib()).missingRealTools();
if (missing.length === 0) {
  interopProducersSuite({ real: true });
} else {
  console.warn(`interop producers against the real services skipped: not built/installed: ${missing.join(', ')} (scripts/install-tools.sh, scripts/install-deps.sh)`);
  describe.skip('interop producers against the real Sigstore services', () => it('needs the real services', () => {}));
}
