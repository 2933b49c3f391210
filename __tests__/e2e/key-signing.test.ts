import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getManifest, registrySnapshot, rekorTreeSize, tagFor } from '../../test/harness/checks.js';
import { exec, legacyTrustEnv, makeToolHome, summaryCommands, toolPath, type ToolHome, type ToolRun } from '../../test/harness/consumers.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';

// Key-based signing (issue 14 §3), judged by the real tools: a key pair made
// by the real cosign (generate-key-pair), the bundled action signing with it,
// and cosign v2 (tags, and bundles where there are referrers), cosign v3
// (bundles, and tags with --new-bundle-format=false) and our CLI verifying
// with cosign.pub; with tlog-upload: false only --insecure-ignore-tlog
// passes. Every accepting check has a rejecting twin (another key, or no
// --insecure-ignore-tlog). User errors (wrong password, garbage, a key type
// we cannot sign with) exit 1 with one line and write nothing anywhere.

const PASSWORD = 'e2e-only-password';
const SLSA = 'https://slsa.dev/provenance/v1';
// The runner's environment the provenance is read from when there is no token.
const WORKFLOW_ENV = {
  GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
  GITHUB_REPOSITORY_ID: '561234',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_REPOSITORY_OWNER_ID: '98765',
  RUNNER_ENVIRONMENT: 'github-hosted',
  // No id-token: write: the runner gives no token request variables.
  ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
};

let stack: Stack;
let lib: Awaited<ReturnType<typeof stackLib>>;
let home: ToolHome;
let keys: string; // cosign.key / cosign.pub from cosign generate-key-pair
let other: string; // another key pair: the rejecting twin
let legacyEnv: Record<string, string>;
const images: Record<string, PushedImage> = {};
const runs: Record<string, ActionRun> = {};

function generateKeyPair(dir: string): void {
  execFileSync(toolPath('cosign3'), ['generate-key-pair'], { cwd: dir, env: { ...home.env, COSIGN_PASSWORD: PASSWORD }, stdio: 'pipe' });
}

function signWithKey(image: PushedImage, inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { ...stackInputs(stack), images: image.ref, 'signing-key': join(keys, 'cosign.key'), ...inputs },
    env: { COSIGN_PASSWORD: PASSWORD, ...WORKFLOW_ENV, ...env },
  });
}

// A real tool, as a user runs it, from the folder holding cosign.pub.
function tool(name: 'cosign2' | 'cosign3', args: string[], env: Record<string, string> = {}): Promise<ToolRun> {
  return exec(toolPath(name), args, { ...home.env, ...env });
}

function cli(args: string[]): Promise<ToolRun> {
  return exec(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], home.env);
}

// A summary command verbatim, `cosign` being the given build, run where cosign.pub is.
function verbatim(command: string, cosign: 'cosign2' | 'cosign3'): Promise<ToolRun> {
  return exec('/bin/sh', ['-c', `cd ${keys} && ${command}`], { ...home.env, PATH: home.pathWith(cosign) });
}

const snapshot = (repo: string) => registrySnapshot(stack.stateDir, repo);
const treeSize = () => rekorTreeSize(stack.rekorURL);

const pub = () => join(keys, 'cosign.pub');
const otherPub = () => join(other, 'cosign.pub');
const expectOK = (r: ToolRun) => {
  if (r.code !== 0) console.log(`${r.tool} ${r.args.join(' ')}\n${r.out}`);
  expect(r.code).toBe(0);
};
const expectRejected = (r: ToolRun, reason: RegExp) => {
  if (r.code === 0 || !reason.test(r.out)) console.log(`${r.tool} ${r.args.join(' ')}\n${r.out}`);
  expect(r.code).not.toBe(0);
  expect(r.out).toMatch(reason);
};

beforeAll(async () => {
  lib = await stackLib();
  stack = await lib.startStack({ stateDir: mkdtempSync(join(tmpdir(), 'key-signing-e2e-')) });
  home = makeToolHome();
  keys = mkdtempSync(join(tmpdir(), 'key-signing-keys-'));
  other = mkdtempSync(join(tmpdir(), 'key-signing-other-'));
  generateKeyPair(keys);
  generateKeyPair(other);
  legacyEnv = legacyTrustEnv(home.dir, stack.trustedRoot);
  for (const name of ['logged', 'tags', 'notlog', 'notlog-tsa', 'token', 'errors', 'noenv', 'cosign2', 'cosign2-intoto', 'cosign3'])
    images[name] = await lib.pushFixtureImage(stack, `octo-org/key-${name}`);
  // The logged runs together; the unlogged one alone, so the log's size tells whether it wrote.
  const keyText = readFileSync(join(keys, 'cosign.key'), 'utf8');
  [runs['logged'], runs['tags'], runs['notlog-tsa'], runs['token']] = await Promise.all([
    signWithKey(images['logged']!, { 'tsa-url': stack.tsaURL }),
    // The key as a secret holds it: PEM text, its password in the input.
    signWithKey(images['tags']!, { attach: 'tags', 'signing-key': keyText, 'signing-key-password': PASSWORD }, { COSIGN_PASSWORD: undefined }),
    signWithKey(images['notlog-tsa']!, { 'tlog-upload': 'false', 'tsa-url': stack.tsaURL }),
    // id-token: write granted: the token's claims fill the provenance, not the environment.
    signWithKey(images['token']!, {}, stack.env),
  ]);
  const before = await treeSize();
  runs['notlog'] = await signWithKey(images['notlog']!, { 'tlog-upload': 'false' });
  runs['notlog-tree'] = { ...runs['notlog'], code: (await treeSize()) - before };
  for (const [name, r] of Object.entries(runs)) if (r.code !== 0 && name !== 'notlog-tree') console.log(`${name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe('signing with a cosign key, logged in Rekor (attach: both, with a TSA)', () => {
  const ref = () => images['logged']!.ref;
  const root = () => ['--trusted-root', stack.trustedRoot];

  it('runs without an OIDC token and logs every signature and attestation', () => {
    const r = runs['logged']!;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Signing with the key of signing-key \(public key hint [A-Za-z0-9+/]{43}=\)/);
    expect(r.outputs['signature-log-index']).toMatch(/^\d+$/);
    expect(r.outputs['provenance-log-index']).toMatch(/^\d+$/);
    // The key and its password never reach the log unmasked.
    expect(r.stdout).toContain(`::add-mask::${PASSWORD}`);
  });

  it('bundles name the key by its hint and carry no certificate; Rekor logs the public key', async () => {
    const r = runs['logged']!;
    const spki = createPublicKey(readFileSync(pub(), 'utf8')).export({ type: 'spki', format: 'der' });
    const hint = createHash('sha256').update(spki).digest('base64');
    for (const output of ['signature-bundle', 'provenance-bundle', 'sbom-bundle']) {
      const bundle = JSON.parse(readFileSync(r.outputs[output]!, 'utf8'));
      expect(bundle.verificationMaterial.publicKey).toEqual({ hint });
      expect(bundle.verificationMaterial.certificate).toBeUndefined();
      expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
      expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
      const body = JSON.parse(Buffer.from(bundle.verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString('utf8'));
      const logged = body.kind === 'hashedrekord' ? body.spec.signature.publicKey.content : body.spec.signatures[0].verifier;
      expect(Buffer.from(logged, 'base64').toString('utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(createPublicKey(Buffer.from(logged, 'base64').toString('utf8')).export({ type: 'spki', format: 'der' }).equals(spki)).toBe(true);
    }
  });

  it('the .sig layer carries the signature and the Rekor bundle, no certificate or chain', async () => {
    const img = images['logged']!;
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    const annotations = sig?.layers?.[0]?.annotations ?? {};
    expect(Object.keys(annotations).sort()).toEqual(['dev.cosignproject.cosign/signature', 'dev.sigstore.cosign/bundle', 'dev.sigstore.cosign/rfc3161timestamp']);
  });

  it('provenance is built from the runner environment when there is no token', () => {
    const envelope = JSON.parse(readFileSync(runs['logged']!.outputs['provenance-bundle']!, 'utf8')).dsseEnvelope;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(statement.predicateType).toBe(SLSA);
    const p = statement.predicate;
    expect(p.buildDefinition.externalParameters.workflow).toEqual({
      ref: 'refs/heads/main',
      repository: 'https://github.com/octo-org/octo-repo',
      path: '.github/workflows/release.yml',
    });
    expect(p.buildDefinition.internalParameters.github).toEqual({
      event_name: 'push',
      repository_id: '561234',
      repository_owner_id: '98765',
      runner_environment: 'github-hosted',
    });
    expect(p.buildDefinition.resolvedDependencies[0].digest.gitCommit).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(p.runDetails.builder.id).toBe(`https://github.com/${WORKFLOW_ENV.GITHUB_WORKFLOW_REF}`);
    expect(p.runDetails.metadata.invocationId).toBe('https://github.com/octo-org/octo-repo/actions/runs/4242/attempts/1');
  });

  it("with a token available (id-token: write), provenance comes from the token's claims, and the signature is still the key's", async () => {
    const r = runs['token']!;
    expect(r.code).toBe(0);
    const envelope = JSON.parse(readFileSync(r.outputs['provenance-bundle']!, 'utf8')).dsseEnvelope;
    const github = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicate.buildDefinition.internalParameters.github;
    expect(github.repository_id).toBe('2000002'); // the stand-in's token claim, not GITHUB_REPOSITORY_ID=561234
    expectOK(await tool('cosign3', ['verify-attestation', '--type', 'slsaprovenance1', '--key', pub(), ...root(), images['token']!.ref]));
  });

  for (const cosign of ['cosign2', 'cosign3'] as const) {
    for (const cmd of [['verify'], ['verify-attestation', '--type', 'slsaprovenance1'], ['verify-attestation', '--type', 'cyclonedx']]) {
      it(`${cosign} ${cmd.join(' ')} --key cosign.pub (the bundles) accepts, and rejects another key`, async () => {
        expectOK(await tool(cosign, [...cmd, '--key', pub(), ...root(), ref()]));
        expectRejected(
          await tool(cosign, [...cmd, '--key', otherPub(), ...root(), ref()]),
          /invalid signature when validating ASN\.1 encoded signature|no matching (signatures|attestations)/,
        );
      });
    }
  }

  for (const cmd of [['verify'], ['verify-attestation', '--type', 'slsaprovenance1'], ['verify-attestation', '--type', 'cyclonedx']]) {
    it(`cosign3 --new-bundle-format=false ${cmd.join(' ')} --key cosign.pub (the .sig/.att tags) accepts, and rejects another key`, async () => {
      expectOK(await tool('cosign3', [...cmd, '--new-bundle-format=false', '--key', pub(), ...root(), ref()]));
      expectRejected(await tool('cosign3', [...cmd, '--new-bundle-format=false', '--key', otherPub(), ...root(), ref()]), /no matching (signatures|attestations)/);
    });
  }

  it('cosign3 verify --key --use-signed-timestamps accepts the TSA timestamps', async () => {
    expectOK(await tool('cosign3', ['verify', '--use-signed-timestamps', '--key', pub(), ...root(), ref()]));
    expectOK(await tool('cosign3', ['verify-attestation', '--type', 'slsaprovenance1', '--use-signed-timestamps', '--key', pub(), ...root(), ref()]));
  });

  it("the summary's cosign commands run verbatim with cosign v2 and v3", async () => {
    const commands = summaryCommands(runs['logged']!.summary);
    expect(commands).toHaveLength(3);
    expect(commands.every((c) => c.includes('--key cosign.pub') && !c.includes('--certificate-identity'))).toBe(true);
    for (const cosign of ['cosign2', 'cosign3'] as const) for (const c of commands) expectOK(await verbatim(c, cosign));
  });

  it('sign-attest verify --key accepts tags and bundles, and rejects another key naming it', async () => {
    const ok = await cli(['verify', ref(), '--key', pub(), '--type', 'slsaprovenance1', '--type', 'cyclonedx', ...root()]);
    expectOK(ok);
    expect(ok.out).toMatch(/signer: the given key \(hint /);
    expect(ok.out.match(/^ {2}ok {3}(cosign|referrer) /gm)).toHaveLength(6);
    const bad = await cli(['verify', ref(), '--key', otherPub(), ...root()]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/signed by a different key/);
  });

  it('sign-attest verify with an identity instead of the key says it was signed with a key and to pass --key', async () => {
    const r = await cli([
      'verify',
      ref(),
      '--certificate-identity',
      'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      ...root(),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bundle signature \(referrer sha256:[0-9a-f]{64}\): signed with a key \(hint [A-Za-z0-9+/]{43}=\), not keylessly; verify it with --key/);
    expect(r.out).toMatch(/cosign signature \(sha256-[0-9a-f]{64}\.sig layer 0\): no certificate annotation: signed with a key, not keylessly; verify it with --key/);
  });

  it('sign-attest verify-bundle --key accepts the provenance bundle against the digest', async () => {
    expectOK(await cli(['verify-bundle', '--bundle', runs['logged']!.outputs['provenance-bundle']!, '--key', pub(), ...root(), images['logged']!.digest]));
  });

  it('the verify action with key: cosign.pub verifies', async () => {
    const r = await runAction({
      action: 'verify',
      inputs: { images: ref(), key: pub(), 'predicate-types': 'slsaprovenance1,cyclonedx', 'trusted-root': stack.trustedRoot },
    });
    if (r.code !== 0) console.log(r.stdout);
    expect(r.code).toBe(0);
    const other = await runAction({ action: 'verify', inputs: { images: ref(), key: readFileSync(otherPub(), 'utf8'), 'trusted-root': stack.trustedRoot } });
    expect(other.code).toBe(1);
  });
});

describe('signing with a cosign key given as PEM text, attach: tags', () => {
  it('cosign2 verify and verify-attestation --key read the .sig/.att tags (Rekor key as SIGSTORE_REKOR_PUBLIC_KEY)', async () => {
    expect(runs['tags']!.code).toBe(0);
    const ref = images['tags']!.ref;
    for (const cmd of [['verify'], ['verify-attestation', '--type', 'slsaprovenance1'], ['verify-attestation', '--type', 'cyclonedx']]) {
      expectOK(await tool('cosign2', [...cmd, '--key', pub(), ref], legacyEnv));
      expectRejected(await tool('cosign2', [...cmd, '--key', otherPub(), ref], legacyEnv), /no matching (signatures|attestations)/);
    }
  });

  it("the summary's cosign commands (legacy trust variables) run verbatim with cosign v2", async () => {
    const commands = summaryCommands(runs['tags']!.summary);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expectOK(await verbatim(c, 'cosign2'));
  });

  it('sign-attest verify --key reads the tags', async () => {
    expectOK(await cli(['verify', images['tags']!.ref, '--key', pub(), '--type', 'slsaprovenance1', '--trusted-root', stack.trustedRoot]));
  });
});

describe('signing with a cosign key, tlog-upload: false', () => {
  const ref = () => images['notlog']!.ref;
  const root = () => ['--trusted-root', stack.trustedRoot];
  const NO_LOG = /not enough verified log entries from transparency log: 0 < 1/;

  it('logs nothing in Rekor, leaves the log-index outputs empty and says what it means', () => {
    const r = runs['notlog']!;
    expect(r.code).toBe(0);
    expect(runs['notlog-tree']!.code).toBe(0); // the log did not grow
    expect(r.outputs['signature-log-index']).toBe('');
    expect(r.outputs['provenance-log-index']).toBe('');
    expect(JSON.parse(r.outputs['results']!)[0].signature.logIndex).toBeUndefined();
    expect(r.stdout).toMatch(/::notice::tlog-upload: false: nothing was logged in a transparency log/);
    expect(r.summary).toMatch(/\*\*Not logged in a transparency log\*\* \(`tlog-upload: false`\)/);
    expect(r.summary).toMatch(/insecure-ignore-tlog: 'true'/);
    const bundle = JSON.parse(readFileSync(r.outputs['signature-bundle']!, 'utf8'));
    expect(bundle.verificationMaterial.tlogEntries ?? []).toHaveLength(0);
  });

  for (const cosign of ['cosign2', 'cosign3'] as const) {
    it(`${cosign} --key rejects it for having no log entry, and accepts it with --insecure-ignore-tlog`, async () => {
      for (const cmd of [['verify'], ['verify-attestation', '--type', 'slsaprovenance1'], ['verify-attestation', '--type', 'cyclonedx']]) {
        expectRejected(await tool(cosign, [...cmd, '--key', pub(), ...root(), ref()]), NO_LOG);
        expectOK(await tool(cosign, [...cmd, '--key', pub(), '--insecure-ignore-tlog', ...root(), ref()]));
        expectRejected(
          await tool(cosign, [...cmd, '--key', otherPub(), '--insecure-ignore-tlog', ...root(), ref()]),
          /invalid signature|no matching (signatures|attestations)/,
        );
      }
    });
  }

  it('cosign3 --new-bundle-format=false --key --insecure-ignore-tlog accepts the tags', async () => {
    expectOK(await tool('cosign3', ['verify', '--new-bundle-format=false', '--key', pub(), '--insecure-ignore-tlog', ...root(), ref()]));
    expectOK(
      await tool('cosign3', [
        'verify-attestation',
        '--type',
        'slsaprovenance1',
        '--new-bundle-format=false',
        '--key',
        pub(),
        '--insecure-ignore-tlog',
        ...root(),
        ref(),
      ]),
    );
  });

  it("the summary's cosign commands (with --insecure-ignore-tlog) run verbatim with cosign v2 and v3", async () => {
    const commands = summaryCommands(runs['notlog']!.summary);
    expect(commands).toHaveLength(3);
    expect(commands.every((c) => c.includes('--insecure-ignore-tlog'))).toBe(true);
    for (const cosign of ['cosign2', 'cosign3'] as const) for (const c of commands) expectOK(await verbatim(c, cosign));
  });

  it('sign-attest verify --key needs --insecure-ignore-tlog, naming it', async () => {
    const strict = await cli(['verify', ref(), '--key', pub(), ...root()]);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/not logged in a transparency log .*verify with --insecure-ignore-tlog/);
    expectOK(await cli(['verify', ref(), '--key', pub(), '--insecure-ignore-tlog', '--type', 'slsaprovenance1', '--type', 'cyclonedx', ...root()]));
    const r = await runAction({
      action: 'verify',
      inputs: { images: ref(), key: pub(), 'insecure-ignore-tlog': 'true', 'predicate-types': 'slsaprovenance1', 'trusted-root': stack.trustedRoot },
    });
    expect(r.code).toBe(0);
  });
});

describe('signing with a cosign key, tlog-upload: false, with a TSA', () => {
  it('cosign v2, v3 (bundles and tags) and our CLI accept it with --insecure-ignore-tlog --use-signed-timestamps', async () => {
    expect(runs['notlog-tsa']!.code).toBe(0);
    const ref = images['notlog-tsa']!.ref;
    const flags = ['--key', pub(), '--insecure-ignore-tlog', '--use-signed-timestamps', '--trusted-root', stack.trustedRoot];
    for (const cmd of [['verify'], ['verify-attestation', '--type', 'slsaprovenance1']]) {
      expectOK(await tool('cosign2', [...cmd, ...flags, ref]));
      expectOK(await tool('cosign3', [...cmd, ...flags, ref]));
      expectOK(await tool('cosign3', [...cmd, '--new-bundle-format=false', ...flags, ref]));
    }
    const bundle = JSON.parse(readFileSync(runs['notlog-tsa']!.outputs['provenance-bundle']!, 'utf8'));
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    expectOK(await cli(['verify', ref, '--key', pub(), '--insecure-ignore-tlog', '--type', 'slsaprovenance1', '--trusted-root', stack.trustedRoot]));
  });
});

describe('key errors a user can make: exit 1, one line naming the fix, nothing written', () => {
  const cases: [string, (dir: string) => Record<string, string>, Record<string, string | undefined>, RegExp][] = [
    ['a wrong password', () => ({}), { COSIGN_PASSWORD: 'not-the-password' }, /^::error::signing-key-password: wrong password for signing-key .*COSIGN_PASSWORD/],
    [
      'a garbage key',
      () => ({ 'signing-key': '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----' }),
      {},
      /^::error::signing-key: the PEM body is not the JSON cosign writes/,
    ],
    [
      'an RSA cosign key (import-key-pair)',
      () => ({ 'signing-key': join(ROOT, 'test/fixtures/keys/rsa-test.key'), 'signing-key-password': 'test-only-password' }),
      {},
      /^::error::signing-key: an RSA key; sign-attest signs with ECDSA P-256 keys only/,
    ],
    ['tlog-upload: false without a key', () => ({ 'signing-key': '', 'tlog-upload': 'false' }), {}, /^::error::tlog-upload: false needs signing-key/],
    [
      'no token and a runner environment without the provenance facts',
      () => ({}),
      { GITHUB_REPOSITORY_ID: undefined, RUNNER_ENVIRONMENT: undefined },
      /^::error::provenance: with signing-key and no OIDC token, provenance is built from the runner's environment, which lacks GITHUB_REPOSITORY_ID, RUNNER_ENVIRONMENT/,
    ],
  ];
  for (const [what, inputs, env, line] of cases) {
    it(what, async () => {
      const img = images[what.startsWith('no token') ? 'noenv' : 'errors']!;
      const repo = img.name.split('/').slice(1).join('/');
      const before = { log: await treeSize(), registry: snapshot(repo) };
      const r = await signWithKey(img, inputs(keys), env);
      const lines = errorLines(r);
      if (r.code !== 1 || lines.length !== 1) console.log(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      expect(r.code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at /m);
      expect(await treeSize()).toBe(before.log);
      expect(snapshot(repo)).toEqual(before.registry);
    });
  }
});

describe('our verifier reads what the real cosign signs with a key', () => {
  const PROVENANCE = {
    buildDefinition: { buildType: 'https://example.com/build', externalParameters: {} },
    runDetails: { builder: { id: 'https://example.com/builder' } },
  };
  // cosign 2: .sig/.att tags (attestations as dsse entries, and as intoto with --rekor-entry-type intoto);
  // cosign 3: bundle referrers. Signed with the same cosign.key the action used.
  beforeAll(async () => {
    const predicate = join(keys, 'provenance.json');
    writeFileSync(predicate, JSON.stringify(PROVENANCE));
    const env = { ...home.env, COSIGN_PASSWORD: PASSWORD, SIGSTORE_REKOR_PUBLIC_KEY: stack.rekorPublicKey };
    const key = ['--key', join(keys, 'cosign.key'), '-y'];
    const v2 = ['--rekor-url', stack.rekorURL];
    const v3 = ['--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot];
    const attest = ['attest', '--type', 'slsaprovenance1', '--predicate', predicate];
    const runs: ['cosign2' | 'cosign3', string[]][] = [
      ['cosign2', ['sign', ...key, ...v2, images['cosign2']!.ref]],
      ['cosign2', [...attest, ...key, ...v2, images['cosign2']!.ref]],
      ['cosign2', [...attest, '--rekor-entry-type', 'intoto', ...key, ...v2, images['cosign2-intoto']!.ref]],
      ['cosign3', ['sign', ...key, ...v3, images['cosign3']!.ref]],
      ['cosign3', [...attest, ...key, ...v3, images['cosign3']!.ref]],
    ];
    for (const [name, args] of runs) {
      const r = await exec(toolPath(name), args, env);
      if (r.code !== 0) throw new Error(`${name} ${args.join(' ')}\n${r.out}`);
    }
  }, 120_000);

  for (const [producer, requireSignature] of [
    ['cosign2', true],
    ['cosign2-intoto', false],
    ['cosign3', true],
  ] as const) {
    it(`${producer}: sign-attest verify --key accepts it and rejects another key`, async () => {
      const flags = ['--type', 'slsaprovenance1', ...(requireSignature ? [] : ['--no-require-signature']), '--trusted-root', stack.trustedRoot];
      const ok = await cli(['verify', images[producer]!.ref, '--key', pub(), ...flags]);
      expectOK(ok);
      expect(ok.out).toMatch(
        producer === 'cosign3' ? /ok {3}referrer attestation https:\/\/slsa\.dev\/provenance\/v1/ : /ok {3}cosign attestation https:\/\/slsa\.dev\/provenance\/v1/,
      );
      const bad = await cli(['verify', images[producer]!.ref, '--key', otherPub(), ...flags]);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/signed by a different key/);
    });
  }
});
