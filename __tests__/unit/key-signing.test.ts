import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { readInputs } from '../../src/inputs.js';
import { buildProvenance } from '../../src/provenance.js';
import type { ArtifactResult, ImageResult, RunContext } from '../../src/results.js';
import { renderSummary } from '../../src/summary.js';
import { claimsFromEnvironment } from '../../src/workflow-claims.js';

// The pure parts of key signing: its inputs, the provenance claims read
// from the runner's environment, and what the step summary tells verifiers.

const KEY = join(process.cwd(), 'test', 'fixtures', 'keys', 'cosign-test.key'); // a TEST KEY
const D = `sha256:${'1'.repeat(64)}`;
const get = (values: Record<string, string>) => (name: string) => ({ images: `ghcr.io/o/app@${D}`, ...values })[name] ?? '';

function inputError(values: Record<string, string>): string {
  try {
    readInputs(get(values));
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    return (e as ActionError).message;
  }
  throw new Error('readInputs did not throw');
}

describe('readInputs: signing-key, signing-key-password, tlog-upload', () => {
  const saved = process.env['COSIGN_PASSWORD'];
  afterEach(() => {
    if (saved === undefined) delete process.env['COSIGN_PASSWORD'];
    else process.env['COSIGN_PASSWORD'] = saved;
  });

  it('reads the key from a path or as text; the password from the input, else COSIGN_PASSWORD', () => {
    process.env['COSIGN_PASSWORD'] = 'from-env';
    const byPath = readInputs(get({ 'signing-key': KEY }));
    expect(byPath.signingKey).toEqual({ pem: readFileSync(KEY, 'utf8'), password: 'from-env' });
    const byText = readInputs(get({ 'signing-key': readFileSync(KEY, 'utf8'), 'signing-key-password': 'from-input' }));
    expect(byText.signingKey?.password).toBe('from-input');
    expect(byText.signingKey?.pem).toContain('ENCRYPTED SIGSTORE PRIVATE KEY');
    expect(byText.tlogUpload).toBe(true);
  });

  it('keyless by default; tlog-upload: false only with a key', () => {
    expect(readInputs(get({})).signingKey).toBeUndefined();
    expect(readInputs(get({ 'signing-key': KEY, 'tlog-upload': 'false' })).tlogUpload).toBe(false);
    expect(inputError({ 'tlog-upload': 'false' })).toMatch(/^tlog-upload: false needs signing-key/);
    expect(inputError({ 'signing-key': KEY, 'tlog-upload': 'no' })).toMatch(/^tlog-upload: "no" is not true or false/);
  });

  it('names the fix for a password without a key and for a key that is neither PEM nor a file', () => {
    expect(inputError({ 'signing-key-password': 'x' })).toMatch(/^signing-key-password is set but signing-key is empty/);
    expect(inputError({ 'signing-key': 'cosign.key.missing' })).toMatch(/^signing-key: neither a PEM key nor the path of an existing file/);
  });
});

describe('claimsFromEnvironment', () => {
  const env = {
    GITHUB_REF: 'refs/tags/v1',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_REPOSITORY_OWNER: 'o',
    GITHUB_EVENT_NAME: 'release',
    GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/rel.yml@refs/tags/v1',
    GITHUB_REPOSITORY_ID: '11',
    GITHUB_REPOSITORY_OWNER_ID: '22',
    RUNNER_ENVIRONMENT: 'self-hosted',
    GITHUB_RUN_ID: '33',
    GITHUB_RUN_ATTEMPT: '2',
  };

  it('gives buildProvenance every claim it needs, from the runner variables', () => {
    const p = buildProvenance(claimsFromEnvironment(env), 'https://github.com');
    expect(p.buildDefinition.externalParameters.workflow).toEqual({ ref: 'refs/tags/v1', repository: 'https://github.com/o/r', path: '.github/workflows/rel.yml' });
    expect(p.buildDefinition.internalParameters.github).toEqual({
      event_name: 'release',
      repository_id: '11',
      repository_owner_id: '22',
      runner_environment: 'self-hosted',
    });
    expect(p.runDetails.builder.id).toBe('https://github.com/o/r/.github/workflows/rel.yml@refs/tags/v1');
    expect(p.runDetails.metadata.invocationId).toBe('https://github.com/o/r/actions/runs/33/attempts/2');
    expect(p.buildDefinition.resolvedDependencies[0]?.digest.gitCommit).toBe('a'.repeat(40));
  });

  it('names every missing variable once, and the ways out', () => {
    const { GITHUB_WORKFLOW_REF: _, RUNNER_ENVIRONMENT: __, ...partial } = env;
    expect(() => claimsFromEnvironment(partial)).toThrow(
      /lacks GITHUB_WORKFLOW_REF, RUNNER_ENVIRONMENT; run inside GitHub Actions, grant id-token: write .*or set provenance: false$/,
    );
  });
});

describe('renderSummary with a key', () => {
  const DIGEST = `sha256:${'ab'.repeat(32)}`;
  const row = (kind: ArtifactResult['kind'], logIndex: number | undefined, extra: Partial<ArtifactResult> = {}): ArtifactResult => ({
    kind,
    ...(logIndex === undefined ? {} : { logIndex, uuid: `u${logIndex}`, integratedTime: 1 }),
    bundle: `/tmp/${kind}.json`,
    ...extra,
  });
  const img = (logged: boolean): ImageResult => ({
    name: 'ghcr.io/o/app',
    digest: DIGEST,
    artifacts: [
      row('signature', logged ? 1 : undefined, { tag: `sha256-${'ab'.repeat(32)}.sig` }),
      row('provenance', logged ? 2 : undefined, { predicateType: 'https://slsa.dev/provenance/v1', tag: `sha256-${'ab'.repeat(32)}.att` }),
    ],
  });
  const ctx = (tlog: boolean): RunContext => ({
    rekorURL: 'https://rekor.sigstore.dev',
    san: '',
    issuer: '',
    repository: 'o/app',
    attach: 'both',
    key: { hint: 'HINT=', tlog },
  });

  it('names the key, and gives --key commands and no gh', () => {
    const md = renderSummary([img(true)], ctx(true));
    expect(md).toContain('Signed with the key of `signing-key` (public key hint `HINT=`)');
    expect(md).toMatch(/cosign verify \\\n {2}ghcr\.io\/o\/app@sha256:[0-9a-f]{64} \\\n {2}--key cosign\.pub\n/);
    expect(md).toMatch(/ {4}key: cosign\.pub\n/);
    expect(md).not.toMatch(/certificate-identity|gh attestation/);
    expect(md).not.toContain('Not logged in a transparency log');
  });

  it('without a log: says what it means and puts --insecure-ignore-tlog in every command', () => {
    const md = renderSummary([img(false)], ctx(false));
    expect(md).toContain('**Not logged in a transparency log** (`tlog-upload: false`)');
    expect(md).toMatch(/\| Signature \(cosign\) \| not logged \|/);
    const commands = [...md.matchAll(/^(cosign|npx sign-attest) [\s\S]*?(?=\n\n|\n```)/gm)].map((m) => m[0]);
    expect(commands.length).toBe(3);
    for (const c of commands) expect(c).toContain('--insecure-ignore-tlog');
    expect(md).toContain("    insecure-ignore-tlog: 'true'");
  });
});
