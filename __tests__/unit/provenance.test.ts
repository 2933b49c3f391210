import { describe, it, expect } from '@jest/globals';
import { ActionError } from '../../src/errors.js';
import type { Claims } from '../../src/identity.js';
import { BUILD_TYPE, buildProvenance, workflowPath } from '../../src/provenance.js';

// A realistic GitHub Actions OIDC claim set for a tag push that runs a
// reusable workflow from another repository.
function githubClaims(overrides: Partial<Record<string, unknown>> = {}): Claims {
  return {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'sigstore',
    sub: 'repo:octo-org/octo-app:ref:refs/tags/v1.2.0',
    ref: 'refs/tags/v1.2.0',
    ref_type: 'tag',
    sha: '4f1c2a9d0e8b7c6a5f4e3d2c1b0a998877665544',
    repository: 'octo-org/octo-app',
    repository_owner: 'octo-org',
    repository_id: '123456789',
    repository_owner_id: '987654',
    repository_visibility: 'public',
    event_name: 'push',
    workflow: 'Release',
    workflow_ref: 'octo-org/octo-app/.github/workflows/release.yml@refs/tags/v1.2.0',
    workflow_sha: '4f1c2a9d0e8b7c6a5f4e3d2c1b0a998877665544',
    job_workflow_ref: 'octo-org/shared-workflows/.github/workflows/build.yml@refs/heads/main',
    job_workflow_sha: '1111111111111111111111111111111111111111',
    runner_environment: 'github-hosted',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '2',
    actor: 'octocat',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...overrides,
  };
}

describe('buildProvenance', () => {
  const p = buildProvenance(githubClaims(), 'https://github.com');

  it('uses the GitHub workflow buildType', () => {
    expect(BUILD_TYPE).toBe('https://actions.github.io/buildtypes/workflow/v1');
    expect(p.buildDefinition.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1');
  });

  it('fills externalParameters.workflow from ref, server+repository and workflow_ref path', () => {
    expect(p.buildDefinition.externalParameters).toEqual({
      workflow: {
        ref: 'refs/tags/v1.2.0',
        repository: 'https://github.com/octo-org/octo-app',
        path: '.github/workflows/release.yml',
      },
    });
  });

  it('fills internalParameters.github from the claims, including runner_environment', () => {
    expect(p.buildDefinition.internalParameters).toEqual({
      github: {
        event_name: 'push',
        repository_id: '123456789',
        repository_owner_id: '987654',
        runner_environment: 'github-hosted',
      },
    });
  });

  it('has one resolved dependency: git+server/repo@ref with the commit sha', () => {
    expect(p.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/octo-org/octo-app@refs/tags/v1.2.0', digest: { gitCommit: '4f1c2a9d0e8b7c6a5f4e3d2c1b0a998877665544' } },
    ]);
  });

  it('uses job_workflow_ref (the reusable workflow) as builder.id', () => {
    expect(p.runDetails.builder).toEqual({ id: 'https://github.com/octo-org/shared-workflows/.github/workflows/build.yml@refs/heads/main' });
  });

  it('builds invocationId from repository, run_id and run_attempt', () => {
    expect(p.runDetails.metadata).toEqual({ invocationId: 'https://github.com/octo-org/octo-app/actions/runs/9876543210/attempts/2' });
  });

  it('emits nothing beyond buildDefinition and runDetails (no byproducts, timestamps, inputs)', () => {
    expect(Object.keys(p).sort()).toEqual(['buildDefinition', 'runDetails']);
    expect(Object.keys(p.runDetails).sort()).toEqual(['builder', 'metadata']);
    expect(Object.keys(p.runDetails.metadata)).toEqual(['invocationId']);
  });

  it('defaults the server URL to https://github.com', () => {
    expect(buildProvenance(githubClaims())).toEqual(p);
  });

  it('uses a GHES-style server URL everywhere, without a doubled slash', () => {
    const g = buildProvenance(githubClaims(), 'https://github.example.com/');
    expect(g.buildDefinition.externalParameters.workflow.repository).toBe('https://github.example.com/octo-org/octo-app');
    expect(g.buildDefinition.resolvedDependencies[0]?.uri).toBe('git+https://github.example.com/octo-org/octo-app@refs/tags/v1.2.0');
    expect(g.runDetails.builder.id).toBe('https://github.example.com/octo-org/shared-workflows/.github/workflows/build.yml@refs/heads/main');
    expect(g.runDetails.metadata.invocationId).toBe('https://github.example.com/octo-org/octo-app/actions/runs/9876543210/attempts/2');
  });

  it('accepts numeric run_id/run_attempt claims', () => {
    const g = buildProvenance(githubClaims({ run_id: 5, run_attempt: 1 }));
    expect(g.runDetails.metadata.invocationId).toBe('https://github.com/octo-org/octo-app/actions/runs/5/attempts/1');
  });

  it('names every missing required claim in one INPUT error', () => {
    const claims = githubClaims();
    delete claims['sha'];
    delete claims['run_attempt'];
    delete claims['runner_environment'];
    let err: unknown;
    try {
      buildProvenance(claims);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).code).toBe('INPUT');
    const msg = (err as ActionError).message;
    for (const name of ['sha', 'run_attempt', 'runner_environment']) expect(msg).toContain(name);
    expect(msg).not.toContain('repository_id');
    expect(msg).toMatch(/provenance: false/);
  });

  it('treats iss as a required claim (anchors §(c) "Required claims")', () => {
    const claims = githubClaims();
    delete (claims as Record<string, unknown>)['iss'];
    expect(() => buildProvenance(claims)).toThrow(/iss/);
  });
});

describe('workflowPath', () => {
  it('strips the repository prefix and the @ref', () => {
    expect(workflowPath('octo-org/octo-app/.github/workflows/release.yml@refs/heads/main', 'octo-org/octo-app')).toBe('.github/workflows/release.yml');
  });

  it('splits at the first @ when the tag itself contains @', () => {
    expect(workflowPath('octo-org/octo-app/.github/workflows/release.yml@refs/tags/pkg@1.2.0', 'octo-org/octo-app')).toBe('.github/workflows/release.yml');
    expect(workflowPath('o/r/.github/workflows/x.yml@refs/tags/v1@beta@2', 'o/r')).toBe('.github/workflows/x.yml');
  });

  it('does not strip a prefix that is only a string-prefix of another repository', () => {
    expect(workflowPath('octo-org/octo-app-2/.github/workflows/x.yml@refs/heads/main', 'octo-org/octo-app')).toBe('octo-org/octo-app-2/.github/workflows/x.yml');
  });
});
