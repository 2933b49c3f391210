import { describe, it } from '@jest/globals';
import { interopConsumersSuite } from '../../test/harness/interop-consumers-suite.js';
import { stackLib } from '../../test/harness/stack.js';

// Judged by the real tools, against the real Sigstore services (issue 10 §1:
// the end-to-end suites run against them too): the same scenarios and checks
// as interop-consumers.test.ts. Skipped only when the services are not built.
const missing = (await stackLib()).missingRealTools();
if (missing.length === 0) {
  interopConsumersSuite({ real: true });
} else {
  console.warn(`interop consumers against the real services skipped: not built/installed: ${missing.join(', ')} (scripts/install-tools.sh, scripts/install-deps.sh)`);
  describe.skip('interop consumers against the real Sigstore services', () => it('needs the real services', () => {}));
}
