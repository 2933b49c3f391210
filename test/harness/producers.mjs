// Real cosign as a producer: signs and attests images keylessly against the
// offline stack, so our verifier is judged on what the real tool writes.
// cosign v2 writes the classic `.sig`/`.att` tags, cosign v3 Sigstore bundles
// as OCI referrers. Shared by the interop-producers suite and `npm run demo`
// (plain JS so the demo needs no TypeScript loader).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestToken } from '../stack/stack.mjs';
import { ROOT } from './runner.mjs';

export const COSIGNS = ['cosign2', 'cosign3'];

/**
 * Ways each cosign writes an image's signature and attestations. `format` is
 * where our verifier finds them: `cosign` for the .sig/.att tags, `referrer`
 * for Sigstore bundles. The first of each binary is its default.
 */
export const PRODUCERS = {
  cosign2: { bin: 'cosign2', format: 'cosign' },
  // v2's opt-in bundles, as OCI referrers (an older go-containerregistry writes their fallback index).
  'cosign2-bundle': { bin: 'cosign2', format: 'referrer', signingConfig: true, flags: ['--new-bundle-format'] },
  // v2's other Rekor entry type for attestations: intoto v0.0.1 instead of dsse.
  'cosign2-intoto': { bin: 'cosign2', format: 'cosign', attestFlags: ['--rekor-entry-type', 'intoto'] },
  cosign3: { bin: 'cosign3', format: 'referrer', signingConfig: true },
  // v3's legacy tag format, services named one by one.
  'cosign3-tags': { bin: 'cosign3', format: 'cosign', flags: ['--new-bundle-format=false', '--use-signing-config=false'] },
};

/** .tools/bin/NAME as scripts/install-tools.sh links it, or null when it is not installed. */
export function cosignPath(name) {
  const path = join(ROOT, '.tools', 'bin', name);
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

const pem = (label, der) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der, 'base64')
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n-----END ${label}-----\n`;

/**
 * A private HOME for cosign (its TUF cache and docker config stay out of the
 * user's) plus the trust files cosign v2 reads from SIGSTORE_* variables, all
 * taken from the stack's trusted_root.json so that no TUF repository is asked.
 */
export function cosignHome(stack, dir) {
  mkdirSync(join(dir, '.docker'), { recursive: true });
  writeFileSync(join(dir, '.docker', 'config.json'), '{"auths":{}}');
  const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
  const write = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    TUF_ROOT: join(dir, '.sigstore', 'root'),
    SIGSTORE_ROOT_FILE: write('fulcio-chain.pem', root.certificateAuthorities[0].certChain.certificates.map((c) => pem('CERTIFICATE', c.rawBytes)).join('')),
    SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: write('ctlog.pub', pem('PUBLIC KEY', root.ctlogs[0].publicKey.rawBytes)),
    SIGSTORE_REKOR_PUBLIC_KEY: stack.rekorPublicKey,
    SIGSTORE_TSA_CERTIFICATE_FILE: write('tsa-chain.pem', root.timestampAuthorities[0].certChain.certificates.map((c) => pem('CERTIFICATE', c.rawBytes)).join('')),
  };
  return { dir, env };
}

/** Writes the predicates cosign attests: a SLSA v1 provenance and a CycloneDX BOM. */
export function writePredicates(dir) {
  const slsa = {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: 'refs/heads/main', repository: 'https://github.com/octo-org/octo-repo', path: '.github/workflows/release.yml' } },
      internalParameters: {},
      resolvedDependencies: [],
    },
    runDetails: { builder: { id: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main' }, metadata: {} },
  };
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }],
  };
  writeFileSync(join(dir, 'slsa-provenance.json'), JSON.stringify(slsa));
  writeFileSync(join(dir, 'cyclonedx.json'), JSON.stringify(bom));
  return { slsaprovenance1: join(dir, 'slsa-provenance.json'), cyclonedx: join(dir, 'cyclonedx.json') };
}

/**
 * The flags that point cosign at the stack: the signing config (every service
 * URL; it names the TSA, so that always stamps), or the URLs one by one. Both
 * check the certificate's SCT (and a bundle as a whole) against the stack's
 * trusted root before they upload.
 */
function stackFlags(producer, stack, { tsa }) {
  const trust = ['--trusted-root', stack.trustedRoot];
  if (producer.signingConfig) return ['--signing-config', stack.signingConfig, ...trust];
  return ['--fulcio-url', stack.fulcioURL, '--rekor-url', stack.rekorURL, ...trust, ...(tsa ? ['--timestamp-server-url', stack.tsaTimestampURL] : [])];
}

function run(file, args, env) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => (out += `\n${e.message}`));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), out, ms: Date.now() - started }));
  });
}

/**
 * Signs `ref` and attests each predicate as the named producer (a PRODUCERS
 * key), as the stack's current identity (a fresh token per call, as a
 * workflow step gets one).
 * @param {string} name  a PRODUCERS key, e.g. 'cosign2' or 'cosign3'
 * @param {object} stack  startStack() result
 * @param {string} ref  registry/repo@sha256:...
 * @param {{home: {env: object}, predicates?: Record<string, string>, tsa?: boolean, signFlags?: string[]}} opts
 *   predicates: cosign --type name → predicate file; tsa: stamp (URL-flag producers);
 *   signFlags: extra `cosign sign` flags, e.g. --recursive
 * @returns {Promise<{name: string, runs: {what: string, code: number, out: string, ms: number}[]}>}
 *   throws when cosign fails, with its output
 */
export async function cosignSignAndAttest(name, stack, ref, { home, predicates = {}, tsa = false, signFlags = [] }) {
  const producer = PRODUCERS[name];
  if (!producer) throw new Error(`unknown producer ${name}`);
  const bin = cosignPath(producer.bin);
  if (!bin) throw new Error(`${producer.bin} is not installed: run bash scripts/install-tools.sh ${producer.bin}`);
  const common = [...stackFlags(producer, stack, { tsa }), ...(producer.flags ?? [])];
  const steps = [
    ['sign', signFlags],
    ...Object.entries(predicates).map(([type, file]) => ['attest', [...(producer.attestFlags ?? []), '--type', type, '--predicate', file]]),
  ];
  const runs = [];
  for (const [command, extra] of steps) {
    const token = await requestToken(stack);
    const result = await run(bin, [command, '--yes', '--identity-token', token, ...common, ...extra, ref], home.env);
    const type = extra[extra.indexOf('--type') + 1];
    const what = `${name} ${command}${command === 'attest' ? ` --type ${type}` : ''}`;
    runs.push({ what, ...result });
    if (result.code !== 0) throw new Error(`${what} ${ref} exited ${result.code}:\n${result.out}`);
  }
  return { name, runs };
}
