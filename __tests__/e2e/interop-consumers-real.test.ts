import { describe, it } from '@jest/globals';
import { interopConsumersSuite, REAL_SCENARIOS } from '../../test/harness/interop-consumers-suite.js';
import { stackLib } from '../../test/harness/stack.js';

// Judged by the real tools, against the real Sigstore services (issue 10 §1:
// the end-to-end suites run against them too): the checks of
// interop-consumers.test.ts on every scenario (SIGN_ATTEST_INTEROP_REAL=subset
// runs only REAL_SCENARIOS, the ones that reach the services differently).
// Skipped only when the services are not built.
const missing = (await stackLib()).missingRealTools();
if (missing.length === 0) {
  interopConsumersSuite({ real: true, scenarios: process.env['SIGN_ATTEST_INTEROP_REAL'] === 'subset' ? REAL_SCENARIOS : undefined });
} else {
  console.warn(`interop consumers against the real services skipped: not built/installed: ${missing.join(', ')} (scripts/install-tools.sh, scripts/install-deps.sh)`);
  describe.skip('interop consumers against the real Sigstore services', () => it('needs the real services', () => {}));
}
