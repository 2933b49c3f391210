import { ActionError } from './errors.js';
import type { Claims } from './identity.js';

// Key signing needs no OIDC token, so a job without `id-token: write` has no
// claims for the provenance. The runner's default environment names the
// same facts; they become the claims buildProvenance reads. Unlike a token,
// nothing vouches for them but the signing key: an earlier step of the job
// could change them, which is why the token's claims are used whenever the
// job can get a token.
//
// claim ← variable. GitHub has no variable for job_workflow_ref (the called
// workflow of a reusable one), so the calling workflow's ref stands in.
export const CLAIM_VARIABLES = {
  ref: 'GITHUB_REF',
  sha: 'GITHUB_SHA',
  repository: 'GITHUB_REPOSITORY',
  repository_owner: 'GITHUB_REPOSITORY_OWNER',
  event_name: 'GITHUB_EVENT_NAME',
  workflow_ref: 'GITHUB_WORKFLOW_REF',
  job_workflow_ref: 'GITHUB_WORKFLOW_REF',
  repository_id: 'GITHUB_REPOSITORY_ID',
  repository_owner_id: 'GITHUB_REPOSITORY_OWNER_ID',
  runner_environment: 'RUNNER_ENVIRONMENT',
  run_id: 'GITHUB_RUN_ID',
  run_attempt: 'GITHUB_RUN_ATTEMPT',
} as const;

// Not optional for provenance: everything but repository_owner.
const OPTIONAL = new Set(['repository_owner']);

// The issuer GitHub's tokens carry; recorded nowhere in the provenance.
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export function claimsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Claims {
  const missing = [
    ...new Set(
      Object.entries(CLAIM_VARIABLES)
        .filter(([claim, variable]) => !OPTIONAL.has(claim) && !env[variable])
        .map(([, variable]) => variable),
    ),
  ];
  if (missing.length) {
    throw new ActionError(
      'INPUT',
      `provenance: with signing-key and no OIDC token, provenance is built from the runner's environment, which lacks ${missing.join(', ')}; run inside GitHub Actions, grant id-token: write so the token's claims are used, or set provenance: false`,
    );
  }
  const claims: Claims = { iss: GITHUB_ISSUER };
  for (const [claim, variable] of Object.entries(CLAIM_VARIABLES)) {
    const value = env[variable];
    if (value) claims[claim] = value;
  }
  return claims;
}
