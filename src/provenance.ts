import { ActionError } from './errors.js';
import { claimString, type Claims } from './identity.js';

// SLSA v1 provenance for a GitHub Actions workflow run, built only from the
// OIDC token's claims (the identity Fulcio certifies), the same shape
// GitHub's own attestations carry so `gh attestation verify` and SLSA
// policies read it alike.
export const BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

const REQUIRED = [
  'iss',
  'ref',
  'sha',
  'repository',
  'event_name',
  'job_workflow_ref',
  'workflow_ref',
  'repository_id',
  'repository_owner_id',
  'runner_environment',
  'run_id',
  'run_attempt',
] as const;

export interface SlsaProvenance {
  buildDefinition: {
    buildType: string;
    externalParameters: { workflow: { ref: string; repository: string; path: string } };
    internalParameters: {
      github: { event_name: string; repository_id: string; repository_owner_id: string; runner_environment: string };
    };
    resolvedDependencies: { uri: string; digest: { gitCommit: string } }[];
  };
  runDetails: { builder: { id: string }; metadata: { invocationId: string } };
}

export function buildProvenance(claims: Claims, serverURL = 'https://github.com'): SlsaProvenance {
  const missing = REQUIRED.filter((c) => !claimString(claims, c));
  if (missing.length) {
    throw new ActionError(
      'INPUT',
      `provenance: the OIDC token lacks the GitHub Actions claims ${missing.join(', ')}; run inside GitHub Actions or set provenance: false`,
    );
  }
  const c = (name: (typeof REQUIRED)[number]) => claimString(claims, name) ?? '';
  const server = serverURL.replace(/\/+$/, '');
  const repository = c('repository');
  return {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters: {
        workflow: { ref: c('ref'), repository: `${server}/${repository}`, path: workflowPath(c('workflow_ref'), repository) },
      },
      internalParameters: {
        github: {
          event_name: c('event_name'),
          repository_id: c('repository_id'),
          repository_owner_id: c('repository_owner_id'),
          runner_environment: c('runner_environment'),
        },
      },
      resolvedDependencies: [{ uri: `git+${server}/${repository}@${c('ref')}`, digest: { gitCommit: c('sha') } }],
    },
    runDetails: {
      builder: { id: `${server}/${c('job_workflow_ref')}` },
      metadata: { invocationId: `${server}/${repository}/actions/runs/${c('run_id')}/attempts/${c('run_attempt')}` },
    },
  };
}

// `owner/repo/.github/workflows/x.yml@refs/tags/v1@beta` → `.github/workflows/x.yml`:
// the ref may itself contain '@', so split at the first '@' after the path.
export function workflowPath(workflowRef: string, repository: string): string {
  const withoutRepo = workflowRef.startsWith(`${repository}/`) ? workflowRef.slice(repository.length + 1) : workflowRef;
  const at = withoutRepo.indexOf('@');
  return at >= 0 ? withoutRepo.slice(0, at) : withoutRepo;
}
