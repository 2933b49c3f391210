#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseOutputs, runSbom } from './cli/sbom.js';
import { commandHelp, findCommand, overview, parseCommand, UsageError, type CommandSpec } from './cli/usage.js';
import { packageVersion } from './cli/version.js';
import { ActionError, errorLine } from './errors.js';
import { Http } from './http.js';
import { loadTrustMaterial } from './verify.js';
import { readArtifact, verifyArtifactBundle, type SignerCheck } from './verify/artifact.js';
import { verifyImages } from './verify/image.js';
import { keyPolicy, type KeyPolicy } from './verify/key.js';
import { identityPolicy, toPredicateType, type IdentityPolicy } from './verify/policy.js';
import { failureLines, textReport } from './verify/report.js';

// `sign-attest`: the verify action's logic from a terminal, plus the Sigstore
// conformance protocol's `verify-bundle`. Exit 0 only when verified, 1 when
// verification fails, 2 when the command line is wrong.

const RETRY_BUDGET_MS = 60_000;
const FLAG_NAMES = { identity: '--certificate-identity', identityRegexp: '--certificate-identity-regexp', issuer: '--certificate-oidc-issuer' };

const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function verifyCommand(spec: CommandSpec, args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, args);
  if (positionals.length === 0) throw new UsageError('verify: pass at least one IMAGE (registry/repository@sha256:<hex> or registry/repository:tag)', spec.name);
  const { policy, key } = await signerPolicy(values, spec.name);
  const verdicts = await verifyImages({
    images: positionals,
    policy,
    key,
    insecureIgnoreTlog: Boolean(values['insecure-ignore-tlog']),
    predicateTypes: ((values['type'] as string[] | undefined) ?? []).map((t) => toPredicateType(t, '--type')),
    requireSignature: !values['no-require-signature'],
    credentials: await registryCredentials(values, spec.name),
    trust: await loadTrustMaterial(str(values['trusted-root']), warn),
    http: new Http({ retryBudgetMs: RETRY_BUDGET_MS, userAgent: 'sign-attest-cli' }),
  });
  process.stdout.write((values['json'] ? JSON.stringify(verdicts, null, 2) : textReport(verdicts)) + '\n');
  const lines = failureLines(verdicts);
  for (const line of lines) process.stderr.write(`error: ${line}\n`);
  return lines.length === 0 ? 0 : 1;
}

// Who must have signed: --key (a public key file), or the identity flags.
async function signerPolicy(values: Record<string, unknown>, command: string): Promise<{ policy?: IdentityPolicy; key?: KeyPolicy }> {
  const keyFile = str(values['key']);
  const identity = {
    identity: str(values['certificate-identity']),
    identityRegexp: str(values['certificate-identity-regexp']),
    issuer: str(values['certificate-oidc-issuer']),
  };
  if (values['insecure-ignore-tlog'] && !keyFile) throw new UsageError(`${command}: --insecure-ignore-tlog is only for signatures made with a key: pass --key`, command);
  if (!keyFile) return { policy: identityPolicy(identity, FLAG_NAMES) };
  if (identity.identity || identity.identityRegexp || identity.issuer) {
    throw new UsageError(`${command}: --key and the --certificate-* flags are mutually exclusive: a key signature has no certificate identity`, command);
  }
  return { key: keyPolicy(await readKeyFile(keyFile), '--key') };
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ActionError('INPUT', `--key: cannot read "${path}" (${errorLine(err)}); pass the path of the public key (cosign.pub)`);
  }
}

// Explicit flags win; without them the registry client reads docker config
// (auths, credHelpers, credsStore) as the action does, then goes anonymous.
async function registryCredentials(values: Record<string, unknown>, command: string): Promise<{ username?: string; password?: string } | undefined> {
  const username = str(values['registry-username']);
  let password = str(values['registry-password']);
  if (values['registry-password-stdin']) {
    if (password) throw new UsageError(`${command}: --registry-password and --registry-password-stdin are mutually exclusive; pass one`, command);
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (password && !username) throw new UsageError(`${command}: a registry password needs --registry-username`, command);
  return username || password ? { username, password } : undefined;
}

async function verifyBundleCommand(spec: CommandSpec, args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, args);
  const [target, ...extra] = positionals;
  const bundlePath = str(values['bundle']);
  if (!bundlePath || !target || extra.length > 0) throw new UsageError('verify-bundle: pass --bundle FILE and exactly one FILE_OR_DIGEST', spec.name);
  const key = str(values['key']);
  let signer: SignerCheck;
  if (values['insecure-ignore-tlog'] && !key)
    throw new UsageError('verify-bundle: --insecure-ignore-tlog is only for signatures made with a key: pass --key', spec.name);
  if (key) {
    signer = { key: keyPolicy(await readKeyFile(key), '--key') };
  } else {
    signer = {
      policy: identityPolicy(
        { identity: str(values['certificate-identity']), identityRegexp: str(values['certificate-identity-regexp']), issuer: str(values['certificate-oidc-issuer']) },
        FLAG_NAMES,
      ),
    };
  }
  let bundleJSON: unknown;
  try {
    bundleJSON = JSON.parse(await readFile(bundlePath, 'utf8'));
  } catch (err) {
    throw new ActionError('INPUT', `--bundle: cannot read "${bundlePath}" as JSON (${errorLine(err)})`);
  }
  const trust = await loadTrustMaterial(str(values['trusted-root']), warn);
  const verified = verifyArtifactBundle(trust, bundleJSON, await readArtifact(target), signer, { insecureIgnoreTlog: Boolean(values['insecure-ignore-tlog']) });
  const by = verified.signer.san ? ` (signed by ${verified.signer.san}, issuer ${verified.signer.issuer})` : key ? ' (signed with the given key)' : '';
  process.stdout.write(`OK: verified${by}${verified.logIndexes.length === 0 ? '; not logged in a transparency log' : ''}\n`);
  return 0;
}

async function sbomCommand(spec: CommandSpec, args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, args);
  if (positionals.length !== 1)
    throw new UsageError('sbom: pass exactly one SOURCE (registry/repository:tag, oci-dir:PATH[:TAG], oci-archive:PATH, docker-archive:PATH)', spec.name);
  let outputs;
  try {
    outputs = parseOutputs((values['output'] as string[] | undefined) ?? []);
  } catch (err) {
    throw new UsageError(`sbom: ${errorLine(err)}`, spec.name);
  }
  const platform = str(values['platform']);
  if (platform !== undefined && !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform)) {
    throw new UsageError(`sbom: --platform "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`, spec.name);
  }
  await runSbom({
    source: positionals[0] as string,
    outputs,
    platform,
    quiet: Boolean(values['quiet']),
    tool: { name: 'sign-attest', version: packageVersion() },
    open: {
      http: new Http({ retryBudgetMs: RETRY_BUDGET_MS, userAgent: 'sign-attest-cli' }),
      credentials: await registryCredentials(values, spec.name),
    },
  });
  return 0;
}

const RUNNERS: Record<string, (spec: CommandSpec, args: string[]) => Promise<number>> = {
  verify: verifyCommand,
  sbom: sbomCommand,
  'verify-bundle': verifyBundleCommand,
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const version = packageVersion();
  if (first === undefined) {
    process.stderr.write(overview(version) + '\n');
    return 2;
  }
  if (first === '-h' || first === '--help') {
    process.stdout.write(overview(version) + '\n');
    return 0;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    process.stdout.write(`sign-attest ${version}\n`);
    return 0;
  }
  if (first === 'help') {
    const spec = rest[0] ? findCommand(rest[0]) : undefined;
    if (rest[0] && !spec) throw new UsageError(`unknown command "${rest[0]}"`);
    process.stdout.write((spec ? commandHelp(spec) : overview(version)) + '\n');
    return 0;
  }
  const spec = findCommand(first);
  if (!spec) throw new UsageError(`unknown command "${first}"`);
  // --help anywhere after the command wins over everything else on the line.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(spec) + '\n');
    return 0;
  }
  return (RUNNERS[spec.name] as (s: CommandSpec, a: string[]) => Promise<number>)(spec, rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\nrun "sign-attest ${err.command ? `${err.command} ` : ''}--help" for usage\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${errorLine(err)}\n`);
    process.exitCode = 1;
  }
}
