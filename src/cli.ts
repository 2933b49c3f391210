#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ActionError, errorLine } from './errors.js';
import { Http } from './http.js';
import { loadTrustMaterial } from './verify.js';
import { readArtifact, verifyArtifactBundle, type SignerCheck } from './verify/artifact.js';
import { verifyImages } from './verify/image.js';
import { identityPolicy, toPredicateType } from './verify/policy.js';
import { failureLines, textReport } from './verify/report.js';

// `sign-attest`: the verify action's logic from a terminal, plus the Sigstore
// conformance protocol's `verify-bundle`. Exit 0 only when verified.

const USAGE = `usage:
  sign-attest verify IMAGE... (--certificate-identity ID | --certificate-identity-regexp RE)
      --certificate-oidc-issuer URL [--type T]... [--no-require-signature] [--trusted-root FILE] [--json]
  sign-attest verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
      [--trusted-root FILE] FILE_OR_DIGEST`;

const RETRY_BUDGET_MS = 60_000;

const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);

async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'certificate-identity': { type: 'string' },
      'certificate-identity-regexp': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      type: { type: 'string', multiple: true, default: [] },
      'no-require-signature': { type: 'boolean', default: false },
      'trusted-root': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new ActionError('INPUT', 'verify: pass at least one IMAGE');
  const policy = identityPolicy(
    { identity: values['certificate-identity'], identityRegexp: values['certificate-identity-regexp'], issuer: values['certificate-oidc-issuer'] },
    { identity: '--certificate-identity', identityRegexp: '--certificate-identity-regexp', issuer: '--certificate-oidc-issuer' },
  );
  const verdicts = await verifyImages({
    images: positionals,
    policy,
    predicateTypes: values.type.map((t) => toPredicateType(t, '--type')),
    requireSignature: !values['no-require-signature'],
    trust: await loadTrustMaterial(values['trusted-root'], warn),
    http: new Http({ retryBudgetMs: RETRY_BUDGET_MS, userAgent: 'sign-attest-cli' }),
  });
  process.stdout.write((values.json ? JSON.stringify(verdicts, null, 2) : textReport(verdicts)) + '\n');
  const lines = failureLines(verdicts);
  for (const line of lines) process.stderr.write(`error: ${line}\n`);
  return lines.length === 0 ? 0 : 1;
}

async function verifyBundleCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      bundle: { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      key: { type: 'string' },
      'trusted-root': { type: 'string' },
    },
  });
  const [target, ...extra] = positionals;
  if (!values.bundle || !target || extra.length > 0) throw new ActionError('INPUT', `verify-bundle: pass --bundle FILE and exactly one FILE_OR_DIGEST\n${USAGE}`);
  let signer: SignerCheck;
  if (values.key) {
    signer = { keyPEM: await readFile(values.key, 'utf8') };
  } else {
    signer = {
      policy: identityPolicy(
        { identity: values['certificate-identity'], issuer: values['certificate-oidc-issuer'] },
        { identity: '--certificate-identity', identityRegexp: '--certificate-identity-regexp', issuer: '--certificate-oidc-issuer' },
      ),
    };
  }
  let bundleJSON: unknown;
  try {
    bundleJSON = JSON.parse(await readFile(values.bundle, 'utf8'));
  } catch (err) {
    throw new ActionError('INPUT', `--bundle: cannot read "${values.bundle}" as JSON (${errorLine(err)})`);
  }
  const trust = await loadTrustMaterial(values['trusted-root'], warn);
  const verified = verifyArtifactBundle(trust, bundleJSON, await readArtifact(target), signer);
  process.stdout.write(`OK: verified${verified.signer.san ? ` (signed by ${verified.signer.san}, issuer ${verified.signer.issuer})` : ''}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'verify':
      return verifyCommand(rest);
    case 'verify-bundle':
      return verifyBundleCommand(rest);
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    default:
      process.stderr.write(`${command ? `unknown command "${command}"\n` : ''}${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${errorLine(err)}\n`);
  process.exitCode = 1;
}
