import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getManifest, tagFor } from './checks.js';
import {
  clientTrustConfig,
  exec,
  legacyTrustEnv,
  limiter,
  makeToolHome,
  sigstorePythonBatch,
  summaryCommands,
  toolPath,
  type Tool,
  type ToolHome,
  type ToolRun,
} from './consumers.js';
import { errorLines, runAction, type ActionRun } from './run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from './stack.js';
import { useStack } from './use-stack.js';

// Judged by the real tools: cosign v2 and v3, gh and sigstore-python verify
// everything the bundled action writes, run by run, with the stack's trusted
// root and the run's identity. Every positive check has a negative twin
// (another identity, another issuer, a predicate type that is not there)
// that the same tool must reject for that reason, so no check passes by
// accident. The action runs and the tool runs are shared and concurrent: the
// work happens in beforeAll, each `it` reads its verdict.
//
// One suite body, two stacks: __tests__/e2e/interop-consumers.test.ts runs
// it against the stand-in, interop-consumers-real.test.ts against the real
// Sigstore services (Fulcio with a CT log, Rekor v1 on Trillian, the TSA).

const REPO = 'octo-org/octo-repo';
const SAN = `https://github.com/${REPO}/.github/workflows/release.yml@refs/heads/main`;
const ISSUER = 'https://token.actions.githubusercontent.com';
const OTHER_SAN = `https://github.com/${REPO}/.github/workflows/other.yml@refs/heads/main`;
const OTHER_ISSUER = 'https://gitlab.com';
const OTHER_REPO = 'octo-org/other-repo';
const CDX = 'https://cyclonedx.org/bom';
const SPDX = 'https://spdx.dev/Document';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

type Attach = 'both' | 'tags' | 'referrers';
type Mutation = 'identity' | 'issuer' | 'type';

interface Scenario {
  id: string;
  title: string;
  attach: Attach;
  sbom: 'cyclonedx' | 'spdx';
  // Inputs of each run on the same image, in order (one run by default).
  runs: (Record<string, string> | ((ctx: { stack: Stack; dir: string }) => Record<string, string>))[];
  index?: boolean; // a multi-platform index: the index and each platform image
  auth?: boolean; // the image lives in the registry that needs credentials
  tsa?: boolean; // also check the RFC 3161 timestamps (--use-signed-timestamps)
}

const SPDX_DOC = {
  spdxVersion: 'SPDX-2.3',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'app',
  dataLicense: 'CC0-1.0',
  documentNamespace: 'https://example.com/app',
  creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: interop-test'] },
  packages: [],
};

const ALL_SCENARIOS: Scenario[] = [
  { id: 'defaults', title: 'the defaults (signature, SLSA provenance, generated CycloneDX SBOM; attach: both)', attach: 'both', sbom: 'cyclonedx', runs: [{}] },
  { id: 'tags', title: 'attach: tags', attach: 'tags', sbom: 'cyclonedx', runs: [{ attach: 'tags' }] },
  { id: 'referrers', title: 'attach: referrers', attach: 'referrers', sbom: 'cyclonedx', runs: [{ attach: 'referrers' }] },
  { id: 'index', title: 'a multi-platform index (the index digest and each platform digest)', attach: 'both', sbom: 'cyclonedx', runs: [{}], index: true },
  { id: 'second', title: 'a second run on the same digest (appended layers and referrers)', attach: 'both', sbom: 'cyclonedx', runs: [{}, {}] },
  { id: 'replace', title: 'a run with replace: true after a first run', attach: 'both', sbom: 'cyclonedx', runs: [{}, { replace: 'true' }] },
  {
    id: 'spdx',
    title: 'a supplied SPDX SBOM file',
    attach: 'both',
    sbom: 'spdx',
    runs: [({ dir }) => ({ sbom: join(dir, 'sbom.spdx.json') })],
  },
  { id: 'spdx-generated', title: 'a generated SPDX SBOM (sbom-format: spdx)', attach: 'both', sbom: 'spdx', runs: [{ 'sbom-format': 'spdx' }] },
  { id: 'tsa', title: 'tsa-url set', attach: 'both', sbom: 'cyclonedx', runs: [({ stack }) => ({ 'tsa-url': stack.tsaURL })], tsa: true },
  { id: 'auth', title: 'an image in a registry that needs credentials (docker config auths)', attach: 'both', sbom: 'cyclonedx', runs: [{}], auth: true },
];

// ---------- the checks, derived from a scenario alone ----------

interface Target {
  label: string; // "image", "index", "linux/amd64", ...
  ref: string; // name@digest
  digest: string;
  name: string;
}

interface Live {
  targets: Target[];
  runs: ActionRun[];
  trustedRoot: string;
  trustedRootJSONL: string;
  trustConfig: string;
  legacyEnv: Record<string, string>;
}

interface Check {
  label: string;
  tool: Tool;
  args: string[];
  env?: Record<string, string>;
  batch?: boolean; // sigstore-python: in the shared interpreter (sigstorePythonBatch)
  reject?: { mutation: Mutation; reason: RegExp };
}

// What each tool prints when it rejects for the reason we caused.
const REASONS: Record<Tool, Record<Mutation, RegExp>> = {
  // Bundles: sigstore-go names the mismatch; tags: cosign's own message.
  cosign2: {
    identity: /no matching CertificateIdentity found, last error: expected SAN value|none of the expected identities matched/,
    issuer: /no matching CertificateIdentity found, last error: expected issuer value|none of the expected identities matched/,
    type: /none of the attestations matched the predicate type/,
  },
  cosign3: {
    identity: /no matching CertificateIdentity found, last error: expected SAN value|none of the expected identities matched/,
    issuer: /no matching CertificateIdentity found, last error: expected issuer value|none of the expected identities matched/,
    type: /none of the attestations matched the predicate type/,
  },
  gh: {
    // gh hides sigstore-go's reason for a certificate that fails the policy
    // (here the SAN pattern built from --repo); the passing twin, identical
    // but for --repo, pins the cause.
    // (The stand-in's CA; the real stack's is read from its trusted root.)
    identity: /verifying with issuer "sigstore\.mock"/,
    issuer: /expected Issuer to be https:\/\/gitlab\.com, got https:\/\/token\.actions\.githubusercontent\.com/,
    type: /no attestations found with predicate type/,
  },
  'sigstore-python': {
    identity: /Certificate's SANs do not match/,
    issuer: /Certificate's OIDCIssuer does not match/,
    type: /never used: sigstore-python has no predicate type option/,
  },
};

const targetLabels = (s: Scenario) => (s.index ? ['index', 'linux/amd64', 'linux/arm64/v8'] : ['image']);
const bundleKinds = (s: Scenario) => ['signature', ...(s.attach === 'tags' ? [] : ['signatureReferrer']), 'provenance', 'sbom'];

// The checks of one scenario. `live` is absent when only the labels are
// wanted (to declare the tests), so every argument is built lazily.
function checksFor(s: Scenario, live?: Live): Check[] {
  const tags = s.attach !== 'referrers';
  const referrers = s.attach !== 'tags';
  const sbomType = s.sbom === 'spdx' ? 'spdxjson' : 'cyclonedx';
  const sbomPredicate = s.sbom === 'spdx' ? SPDX : CDX;
  const absentType = s.sbom === 'spdx' ? 'cyclonedx' : 'spdxjson';
  const absentPredicate = s.sbom === 'spdx' ? CDX : SPDX;
  const root = live?.trustedRoot ?? '';
  const positives: (Omit<Check, 'reject'> & { mutations: Mutation[]; mutate: (m: Mutation) => string[] })[] = [];
  const legacy = !referrers; // only tags: cosign 2 needs the root as PEM files

  const cosign = (tool: 'cosign2' | 'cosign3', flavour: string, flags: string[], t: Target | undefined, label: string, legacyRoot = false) => {
    const ref = t?.ref ?? '';
    const rootArgs = legacyRoot ? [] : ['--trusted-root', root];
    const env = legacyRoot ? live?.legacyEnv : undefined;
    const build = (cmd: string[], san = SAN, issuer = ISSUER) => [
      ...cmd,
      ...flags,
      ref,
      '--certificate-identity',
      san,
      '--certificate-oidc-issuer',
      issuer,
      ...rootArgs,
    ];
    const identityMutations = (cmd: string[]) => (m: Mutation) => (m === 'identity' ? build(cmd, OTHER_SAN) : build(cmd, SAN, OTHER_ISSUER));
    positives.push({
      label: `${label}: ${flavour} verify`,
      tool,
      args: build(['verify']),
      env,
      mutations: ['identity', 'issuer'],
      mutate: identityMutations(['verify']),
    });
    for (const type of ['slsaprovenance1', sbomType]) {
      const cmd = ['verify-attestation', '--type', type];
      positives.push({
        label: `${label}: ${flavour} verify-attestation --type ${type}`,
        tool,
        args: build(cmd),
        env,
        mutations: ['type', 'identity', 'issuer'],
        mutate: (m) => (m === 'type' ? build(['verify-attestation', '--type', absentType]) : identityMutations(cmd)(m)),
      });
    }
  };

  for (const label of targetLabels(s)) {
    const t = live?.targets.find((x) => x.label === label);
    // cosign 2.6 reads the referrer bundles whenever there are any and the
    // .sig/.att tags otherwise (attach: tags); cosign 3 the same by default,
    // and only the tags with --new-bundle-format=false.
    if (legacy) cosign('cosign2', 'cosign v2 (root as SIGSTORE_* PEM files)', [], t, label, true);
    else cosign('cosign2', 'cosign v2', [], t, label);
    cosign('cosign3', 'cosign v3', [], t, label);
    if (tags) cosign('cosign3', 'cosign v3 --new-bundle-format=false', ['--new-bundle-format=false'], t, label);
    if (s.tsa) {
      // The RFC 3161 timestamps themselves: in the bundles and, for the
      // tags, in the rfc3161timestamp annotations.
      if (!legacy) cosign('cosign2', 'cosign v2 --use-signed-timestamps', ['--use-signed-timestamps'], t, label);
      cosign('cosign3', 'cosign v3 --use-signed-timestamps', ['--use-signed-timestamps'], t, label);
      if (tags) cosign('cosign3', 'cosign v3 --new-bundle-format=false --use-signed-timestamps', ['--new-bundle-format=false', '--use-signed-timestamps'], t, label);
    }
    if (referrers) {
      const gh = (type: string | undefined, repo = REPO, issuer?: string) => [
        'attestation',
        'verify',
        `oci://${t?.ref ?? ''}`,
        '--bundle-from-oci',
        '--repo',
        repo,
        '--custom-trusted-root',
        live?.trustedRootJSONL ?? '',
        ...(type ? ['--predicate-type', type] : []),
        ...(issuer ? ['--cert-oidc-issuer', issuer] : []),
      ];
      positives.push({
        label: `${label}: gh attestation verify (default predicate type)`,
        tool: 'gh',
        args: gh(undefined),
        mutations: ['identity', 'issuer'],
        mutate: (m) => (m === 'identity' ? gh(undefined, OTHER_REPO) : gh(undefined, REPO, OTHER_ISSUER)),
      });
      positives.push({
        label: `${label}: gh attestation verify --predicate-type ${sbomPredicate}`,
        tool: 'gh',
        args: gh(sbomPredicate),
        mutations: ['type', 'identity', 'issuer'],
        mutate: (m) => (m === 'type' ? gh(absentPredicate) : m === 'identity' ? gh(sbomPredicate, OTHER_REPO) : gh(sbomPredicate, REPO, OTHER_ISSUER)),
      });
    }
    // Every bundle file of every run, with the digest it signs as the input.
    s.runs.forEach((_, runIndex) => {
      for (const kind of bundleKinds(s)) {
        const bundle = bundleOf(live?.runs[runIndex], t, kind);
        const input = t ? (kind === 'signature' ? payloadDigest(t) : t.digest) : '';
        const py = (san = SAN, issuer = ISSUER) => [
          '--trust-config',
          live?.trustConfig ?? '',
          'verify',
          'identity',
          '--bundle',
          bundle,
          '--cert-identity',
          san,
          '--cert-oidc-issuer',
          issuer,
          input,
        ];
        // One bundle through the installed `sigstore` script itself, the
        // rest through the same entry point in a shared interpreter.
        const own = s.id === 'defaults' && kind === 'provenance';
        positives.push({
          label: `${label}: sigstore-python verify identity, ${kind} bundle${s.runs.length > 1 ? ` of run ${runIndex + 1}` : ''}${own ? ' (the sigstore script, own process)' : ''}`,
          tool: 'sigstore-python',
          batch: !own,
          args: py(),
          mutations: ['identity', 'issuer'],
          mutate: (m) => (m === 'identity' ? py(OTHER_SAN) : py(SAN, OTHER_ISSUER)),
        });
      }
    });
  }

  // One twin per positive; the mutation rotates per tool so each tool meets
  // every kind of wrong expectation it can be given.
  const turn = new Map<Tool, number>();
  const out: Check[] = [];
  for (const p of positives) {
    const n = turn.get(p.tool) ?? 0;
    turn.set(p.tool, n + 1);
    const mutation = p.mutations[n % p.mutations.length] as Mutation;
    out.push({ label: p.label, tool: p.tool, args: p.args, env: p.env, batch: p.batch });
    out.push({
      label: `${p.label} rejects ${mutation === 'type' ? 'a predicate type that is not there' : `another ${mutation}`}`,
      tool: p.tool,
      args: p.mutate(mutation),
      env: p.env,
      batch: p.batch,
      reject: { mutation, reason: REASONS[p.tool][mutation] },
    });
  }
  return out;
}

// cosign's Simple Signing payload for the image, rebuilt here: the
// hashedrekord signature bundle signs exactly these bytes.
function payloadDigest(t: Target): string {
  const payload = JSON.stringify({
    critical: { identity: { 'docker-reference': t.name }, image: { 'docker-manifest-digest': t.digest }, type: 'cosign container image signature' },
    optional: null,
  });
  return `sha256:${createHash('sha256').update(payload).digest('hex')}`;
}

function bundleOf(run: ActionRun | undefined, t: Target | undefined, kind: string): string {
  if (!run || !t) return '';
  const results = JSON.parse(run.outputs['results'] ?? '[]') as Record<string, any>[];
  const path = results.find((r) => r['digest'] === t.digest)?.[kind]?.bundle as string | undefined;
  if (!path) throw new Error(`run has no ${kind} bundle for ${t.ref}`);
  return path;
}

// ---------- the stack, the action runs and the tool runs ----------

export interface SuiteOptions {
  real: boolean; // the real Sigstore services instead of the stand-in
  scenarios?: string[]; // ids of the scenarios to run (default: all)
}

// Against the real services, the scenarios that change what the services are
// sent or what the verifiers read from them: hashedrekord and DSSE entries
// with CycloneDX, SPDX and SLSA (defaults, spdx-generated), the classic tags
// read with the root as PEM files (tags), a second entry for the same digest
// (second), the real TSA (tsa). The others vary only what the registry holds
// (attach mode, platforms, replace, a supplied file, credentials) and send the
// services what `defaults` sends; SIGN_ATTEST_INTEROP_REAL=subset skips them.
export const REAL_SCENARIOS = ['defaults', 'tags', 'second', 'spdx-generated', 'tsa'];

export function interopConsumersSuite({ real, scenarios: only }: SuiteOptions): void {
  const SCENARIOS = ALL_SCENARIOS.filter((s) => !only || only.includes(s.id));
  if (only && SCENARIOS.length !== only.length) throw new Error(`unknown scenario in ${only.join(', ')}`);

  // Checks that the kind of services asked for answered (a stand-in run would pass for a real one).
  const stack = useStack({ name: 'interop', auth: true, real });
  let lib: Awaited<ReturnType<typeof stackLib>>;
  let home: ToolHome;
  let dir: string;
  let legacyEnv: Record<string, string>;
  const lives = new Map<string, Live>();
  const verdicts = new Map<string, ToolRun>();
  const summaryRuns = new Map<string, ToolRun[]>();

  async function putManifest(repo: string, ref: string, body: object, mediaType: string): Promise<string> {
    const bytes = Buffer.from(JSON.stringify(body));
    const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
    if (res.status !== 201) throw new Error(`PUT ${repo}:${ref}: ${res.status} ${await res.text()}`);
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  }

  // Two platform images over the fixture's layers and an index naming them.
  async function pushIndex(img: PushedImage): Promise<Target[]> {
    const repo = img.name.slice(img.name.indexOf('/') + 1);
    const base = (await getManifest(img.name, img.digest)) as Record<string, unknown>;
    const platforms = [
      { label: 'linux/amd64', platform: { os: 'linux', architecture: 'amd64' } },
      { label: 'linux/arm64/v8', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ];
    const children = [];
    for (const p of platforms) {
      const body = { ...base, annotations: { platform: p.label } };
      const digest = await putManifest(repo, p.label.replace(/\//g, '-'), body, OCI_MANIFEST);
      children.push({ ...p, digest, size: Buffer.byteLength(JSON.stringify(body)) });
    }
    const indexDigest = await putManifest(
      repo,
      'multi',
      { schemaVersion: 2, mediaType: OCI_INDEX, manifests: children.map((c) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.size, platform: c.platform })) },
      OCI_INDEX,
    );
    return [
      { label: 'index', name: img.name, digest: indexDigest, ref: `${img.name}@${indexDigest}` },
      ...children.map((c) => ({ label: c.label, name: img.name, digest: c.digest, ref: `${img.name}@${c.digest}` })),
    ];
  }

  async function runScenario(s: Scenario): Promise<Live> {
    const img = await lib.pushFixtureImage(stack, `octo-org/interop-${s.id}`, 'latest', { auth: s.auth ?? false });
    const targets = s.index ? await pushIndex(img) : [{ label: 'image', name: img.name, digest: img.digest, ref: img.ref }];
    const runs: ActionRun[] = [];
    for (const spec of s.runs) {
      const extra = typeof spec === 'function' ? spec({ stack, dir }) : spec;
      const run = await runAction({ inputs: { ...stackInputs(stack), images: targets[0]!.ref, ...extra }, env: stack.env, home: home.dir });
      runs.push(run);
      if (run.code !== 0) break;
    }
    const jsonl = join(dir, 'trusted_root.jsonl');
    return { targets, runs, trustedRoot: stack.trustedRoot, trustedRootJSONL: jsonl, trustConfig: join(dir, 'client_trust_config.json'), legacyEnv };
  }

  const key = (s: Scenario, label: string) => `${s.id} | ${label}`;
  const isGh = (command: string) => /^gh attestation /.test(command);
  // What a printed command runs: "cosign verify", "gh attestation verify", ...
  const verb = (command: string) => /(?:^|\s)(cosign verify(?:-attestation --type \S+)?|gh attestation verify)\s/.exec(command)?.[1];

  beforeAll(async () => {
    const started = Date.now();
    for (const tool of ['cosign2', 'cosign3', 'gh', 'sigstore-python'] as const) toolPath(tool);
    lib = await stackLib();
    dir = stack.work;
    home = makeToolHome({ dockerAuths: { [stack.authRegistry ?? '']: stack.registryCredentials! }, parent: dir });
    writeFileSync(join(dir, 'sbom.spdx.json'), JSON.stringify(SPDX_DOC));
    // gh takes custom roots as JSON lines; sigstore-python as a client trust config.
    writeFileSync(join(dir, 'trusted_root.jsonl'), JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
    clientTrustConfig(dir, stack.trustedRoot, stack.signingConfig);
    legacyEnv = legacyTrustEnv(dir, stack.trustedRoot);

    const actions = limiter(3);
    await Promise.all(SCENARIOS.map((s) => actions(async () => lives.set(s.id, await runScenario(s)))));
    const actionsDone = Date.now();

    const tools = limiter();
    const jobs: Promise<unknown>[] = [];
    for (const s of SCENARIOS) {
      const live = lives.get(s.id)!;
      if (live.runs.some((r) => r.code !== 0)) continue;
      const checks = checksFor(s, live);
      for (const c of checks.filter((x) => !x.batch)) {
        jobs.push(tools(async () => verdicts.set(key(s, c.label), await exec(toolPath(c.tool), c.args, { ...home.env, ...c.env }))));
      }
      const batch = checks.filter((x) => x.batch);
      jobs.push(
        tools(async () => {
          const runs = await sigstorePythonBatch(
            batch.map((c) => c.args),
            home.env,
          );
          batch.forEach((c, i) => verdicts.set(key(s, c.label), runs[i]!));
        }),
      );
      // The summary's commands, verbatim, with `cosign` each build in turn.
      const last = live.runs[live.runs.length - 1]!;
      for (const cosign of ['cosign2', 'cosign3'] as const) {
        const commands = summaryCommands(last.summary).filter((c) => cosign === 'cosign2' || !isGh(c));
        const env = { ...home.env, PATH: home.pathWith(cosign) };
        jobs.push(Promise.all(commands.map((c) => tools(() => exec('/bin/sh', ['-c', c], env)))).then((rs) => summaryRuns.set(`${s.id} | ${cosign}`, rs)));
      }
    }
    await Promise.all(jobs);
    const byTool = new Map<string, { n: number; ms: number }>();
    for (const r of [...verdicts.values(), ...[...summaryRuns.values()].flat()]) {
      const name = r.tool.split('/').pop() ?? r.tool;
      const acc = byTool.get(name) ?? { n: 0, ms: 0 };
      byTool.set(name, { n: acc.n + 1, ms: acc.ms + r.ms });
    }
    console.log(
      `interop: ${SCENARIOS.length} scenarios, action runs ${actionsDone - started} ms, ${verdicts.size} tool checks + summary commands ${Date.now() - actionsDone} ms; ` +
        [...byTool].map(([t, v]) => `${t}: ${v.n} runs, ${v.ms} ms`).join('; '),
    );
  }, 900_000);

  // gh names the certificate's issuer organization: the stand-in's is in
  // REASONS, the real Fulcio's CA is read from the stack's trusted root.
  function reasonOf(tool: Tool, reject: NonNullable<Check['reject']>): RegExp {
    if (!real || tool !== 'gh' || reject.mutation !== 'identity') return reject.reason;
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8')) as { certificateAuthorities: { subject: { organization: string } }[] };
    const org = root.certificateAuthorities[0]!.subject.organization;
    return new RegExp(`verifying with issuer "${org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
  }

  function tail(out: string): string {
    return out.split('\n').slice(-15).join('\n');
  }

  const targetsOf = (s: Scenario) => lives.get(s.id)?.targets ?? [];

  describe.each(SCENARIOS)('$title', (s) => {
    it('the action run(s) succeed', () => {
      const live = lives.get(s.id);
      expect(live?.runs).toHaveLength(s.runs.length);
      for (const run of live?.runs ?? []) {
        expect(errorLines(run)).toEqual([]);
        expect(run.code).toBe(0);
      }
    });

    it.each(checksFor(s).map((c) => [c.label, c] as const))('%s', (label, c) => {
      const r = verdicts.get(key(s, label));
      expect(r).toBeDefined();
      const shown = { command: `${c.tool} ${r!.args.join(' ')}`, code: r!.code, out: tail(r!.out) };
      if (!c.reject) {
        expect(shown).toEqual({ ...shown, code: 0 });
      } else {
        expect(shown.code).not.toBe(0);
        expect(shown).toEqual({ ...shown, out: expect.stringMatching(reasonOf(c.tool, c.reject)) });
      }
    });

    it.each(['cosign2', 'cosign3'] as const)("the summary's commands pass verbatim with %s as `cosign`", (cosign) => {
      const live = lives.get(s.id)!;
      const commands = summaryCommands(live.runs[live.runs.length - 1]!.summary);
      const sbomType = s.sbom === 'spdx' ? SPDX : 'cyclonedx';
      expect(commands.map(verb)).toEqual([
        'cosign verify',
        'cosign verify-attestation --type slsaprovenance1',
        `cosign verify-attestation --type ${sbomType}`,
        ...(s.attach === 'tags' ? [] : ['gh attestation verify', 'gh attestation verify']),
      ]);
      for (const c of commands) expect(c).toContain(`${targetsOf(s)[0]?.ref}`);
      const runs = summaryRuns.get(`${s.id} | ${cosign}`) ?? [];
      expect(runs).toHaveLength(cosign === 'cosign2' ? commands.length : commands.filter((c) => !isGh(c)).length);
      for (const r of runs) expect({ command: r.args[1], code: r.code, out: tail(r.out) }).toEqual({ command: r.args[1], code: 0, out: expect.any(String) });
    });
  });

  describe('the action writes the trusted root it was given for the printed commands', () => {
    it('trusted_root.json equals the input and trusted_root.jsonl holds it on one line', () => {
      const run = lives.get('defaults')!.runs[0]!;
      const paths = [...run.summary.matchAll(/--(?:custom-)?trusted-root (\S+)/g)].map((m) => m[1]!);
      const json = paths.find((p) => p.endsWith('trusted_root.json'));
      const jsonl = paths.find((p) => p.endsWith('trusted_root.jsonl'));
      expect(JSON.parse(readFileSync(json ?? '', 'utf8'))).toEqual(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
      const lines = readFileSync(jsonl ?? '', 'utf8')
        .split('\n')
        .filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
    });

    // proto3 JSON would drop logIndex 0 and an empty hashes list, which
    // sigstore-python refuses; the stack's log starts empty, so one of the
    // bundles every tool read above is that first entry. The stand-in proves
    // each entry against the tree it just made (size 1: no hashes); the real
    // Rekor's Trillian signer integrates the concurrent entries in one batch,
    // so there the first entry's proof is against the larger tree.
    it(`one of the bundles checked is the log's first entry (logIndex 0${real ? '' : ', a proof without hashes'})`, () => {
      const bundles = [...lives.values()].flatMap((l) => l.runs.flatMap((r) => JSON.parse(r.outputs['results'] ?? '[]') as Record<string, any>[]));
      const entries = bundles.flatMap((img) =>
        Object.values(img)
          .filter((a: any) => a?.bundle)
          .map((a: any) => JSON.parse(readFileSync(a.bundle, 'utf8')).verificationMaterial.tlogEntries[0]),
      );
      const first = entries.filter((e) => e.logIndex === '0');
      if (!real) {
        expect(first).toEqual([expect.objectContaining({ inclusionProof: expect.objectContaining({ logIndex: '0', treeSize: '1', hashes: [] }) })]);
      } else {
        expect(first).toEqual([expect.objectContaining({ inclusionProof: expect.objectContaining({ logIndex: '0', treeSize: expect.stringMatching(/^[1-9]\d*$/) }) })]);
        // A proof for leaf 0 of a tree of n leaves has ceil(log2 n) hashes.
        const proof = first[0].inclusionProof;
        expect(proof.hashes).toHaveLength(Math.ceil(Math.log2(Number(proof.treeSize))));
      }
    });

    it('with tags attached, the signature bundle signs the .sig layer (the payload rebuilt for sigstore-python)', async () => {
      const t = lives.get('defaults')!.targets[0]!;
      const sig = await getManifest(t.name, tagFor(t.digest, '.sig'));
      expect(sig?.layers?.[0]?.digest).toBe(payloadDigest(t));
    });
  });
}
