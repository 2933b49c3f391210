// The demo behind `npm run demo`: see scripts/demo.sh.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { identityFlags, missingRealTools, pushFixtureImage, startStack } from '../test/stack/stack.mjs';
import { errorLines, runAction } from '../test/harness/runner.mjs';
import { COSIGNS, cosignHome, cosignPath, cosignSignAndAttest, writePredicates } from '../test/harness/producers.mjs';
import { summaryText } from '../src/summary-text.ts';

// --hold SECONDS keeps the stack up at the end so its registry and Sigstore
// can be tried by hand (default: 60 s in a terminal, none otherwise).
const holdArg = process.argv.indexOf('--hold');
const holdSeconds = holdArg > 0 ? Number(process.argv[holdArg + 1]) : process.stdout.isTTY ? 60 : 0;
// Temp folders this demo made (the stack's state, each action run's runner folder), removed at the end.
const temps = [];

const OCI = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
// The real Sigstore services when they are built (scripts/install-tools.sh), else the stand-in;
// SIGN_ATTEST_REAL_SIGSTORE=0 forces the stand-in.
const missing = missingRealTools();
const real = process.env.SIGN_ATTEST_REAL_SIGSTORE !== '0' && missing.length === 0;
if (!real && process.env.SIGN_ATTEST_REAL_SIGSTORE !== '0') console.log(`using the Sigstore stand-in (real services not built: ${missing.join(', ')})`);
const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'sign-attest-demo-')), real });
temps.push(stack.stateDir);
let stopping;
const cleanup = () =>
  (stopping ??= stack.stop().finally(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }));
process.once('SIGINT', () => cleanup().then(() => process.exit(130)));
try {
  console.log(
    real
      ? `stack up in ${stack.timings?.ready} ms: registry http://${stack.registry}, real Fulcio ${stack.fulcioURL}, Rekor ${stack.rekorURL}, TSA ${stack.tsaURL}`
      : `stack up: registry http://${stack.registry}, Sigstore stand-in ${stack.url}`,
  );
  const img = await pushFixtureImage(stack, 'demo/app', 'v1');
  console.log(`pushed ${img.tagRef} (${img.digest})\n`);
  const run = await runAction({
    inputs: {
      images: img.ref,
      'fulcio-url': stack.fulcioURL,
      'rekor-url': stack.rekorURL,
      'trusted-root': stack.trustedRoot,
      ...(real ? { 'tsa-url': stack.tsaURL } : {}),
    },
    env: stack.env,
  });
  temps.push(dirname(run.runnerTemp));
  const log = run.stdout.split('\n').filter((l) => l && !l.startsWith('::add-mask::') && !l.startsWith('::debug::'));
  console.log(log.join('\n'));
  console.log(`\naction exited ${run.code} in ${run.ms} ms\n`);
  console.log('--- step summary (as text; on GitHub it is rendered markdown) ---\n' + summaryText(run.summary));
  console.log('--- outputs ---');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}: ${k === 'results' ? JSON.stringify(JSON.parse(v), null, 2) : v}`);

  if (run.code === 0) await verifyWhatWasSigned(img.ref);
  const repos = ['demo/app', ...(await realCosignImages())];
  console.log('\n--- in the registry ---');
  for (const name of repos) {
    const repo = `http://${stack.registry}/v2/${name}`;
    const tags = (await (await fetch(`${repo}/tags/list`)).json()).tags ?? [];
    for (const tag of tags.sort()) {
      const m = await (await fetch(`${repo}/manifests/${tag}`, { headers: { accept: OCI } })).json();
      const items = m.layers ?? m.manifests ?? [];
      const kinds = await Promise.all(
        items.map(async (d) => {
          const named = d.annotations?.predicateType ?? d.annotations?.['dev.sigstore.bundle.predicateType'];
          if (named || !m.manifests) return named ?? d.mediaType;
          // cosign lists its referrers without annotations; the referrer manifest names the type.
          const referrer = await (await fetch(`${repo}/manifests/${d.digest}`, { headers: { accept: OCI } })).json();
          return referrer.annotations?.['dev.sigstore.bundle.predicateType'] ?? d.artifactType ?? d.mediaType;
        }),
      );
      console.log(`${name}:${tag}\n  ${kinds.join('\n  ')}`);
    }
  }
  if (run.code !== 0) process.exitCode = run.code;
  if (holdSeconds > 0) {
    console.log(`\nThe stack stays up for ${holdSeconds} s (Ctrl-C ends it now): registry http://${stack.registry}, trusted root ${stack.trustedRoot}`);
    console.log(`  try: curl -s http://${stack.registry}/v2/demo/app/tags/list`);
    await new Promise((res) => setTimeout(res, holdSeconds * 1000));
  }
} finally {
  await cleanup();
}

// Our own verifier, as a downstream user runs it (the CLI), and the real
// cosign v3 when it is built, on what the action just signed.
async function verifyWhatWasSigned(ref) {
  console.log('\n--- verifying what the action signed ---');
  const identity = identityFlags(stack);
  const cli = await runTool(process.execPath, [
    join(import.meta.dirname, '../dist/cli/index.js'),
    'verify',
    ref,
    ...identity,
    '--type',
    'slsaprovenance1',
    '--type',
    'cyclonedx',
  ]);
  console.log(`sign-attest verify: exit ${cli.code}\n${indent(cli.out)}`);
  if (cli.code !== 0) process.exitCode = 1;
  const cosign = cosignPath('cosign3');
  if (!cosign) return console.log('cosign v3: skipped (not installed; bash scripts/install-tools.sh cosign3 builds it)');
  for (const args of [
    ['verify', ref],
    ['verify-attestation', '--type', 'slsaprovenance1', ref],
    ['verify-attestation', '--type', 'cyclonedx', ref],
  ]) {
    const r = await runTool(cosign, [...args.slice(0, -1), ...identity, args.at(-1)], { ...process.env, HOME: stack.stateDir });
    console.log(`cosign v3 ${args.slice(0, -1).join(' ')}: exit ${r.code}${r.code === 0 ? ' (verified)' : `\n${indent(r.out)}`}`);
    if (r.code !== 0) process.exitCode = 1;
  }
}

function runTool(file, args, env = process.env) {
  return new Promise((res) =>
    execFile(file, args, { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => res({ code: err ? (err.code ?? 1) : 0, out: `${stdout}${stderr}`.trim() })),
  );
}

function indent(text) {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => `  ${l}`)
    .join('\n');
}

// Images signed and attested by the real cosign v2 (tag format) and v3
// (referrer bundles), each read back by our verify action. A cosign that is
// not installed is skipped, and said so. Returns the repositories it filled.
async function realCosignImages() {
  console.log('\n--- images signed by the real cosign, read by our verifier ---');
  const work = join(stack.stateDir, 'cosign');
  mkdirSync(work, { recursive: true });
  const home = cosignHome(stack, work);
  const predicates = writePredicates(work);
  const repos = [];
  for (const name of COSIGNS) {
    if (!cosignPath(name)) {
      console.log(`${name}: skipped (not installed; bash scripts/install-tools.sh ${name} builds it)`);
      continue;
    }
    const pushed = await pushFixtureImage(stack, `demo/${name}`, 'v1');
    try {
      const { runs } = await cosignSignAndAttest(name, stack, pushed.ref, { home, predicates });
      console.log(`${name}: ${runs.map((r) => `${r.what.replace(`${name} `, '')} (${r.ms} ms)`).join(', ')} -> ${pushed.ref}`);
    } catch (err) {
      console.log(`${name}: signing failed: ${err.message}`);
      process.exitCode = 1;
      continue;
    }
    repos.push(`demo/${name}`);
    const verify = await runAction({
      action: 'verify',
      inputs: {
        images: pushed.ref,
        'certificate-identity': stack.identity.subjectAlternativeName,
        'certificate-oidc-issuer': stack.identity.issuer,
        'predicate-types': 'slsaprovenance1\ncyclonedx',
        'trusted-root': stack.trustedRoot,
      },
    });
    temps.push(dirname(verify.runnerTemp));
    const [v] = JSON.parse(verify.outputs.verified ?? '[]');
    console.log(`  our verify action: exit ${verify.code}, ${v?.verified ? 'VERIFIED' : 'NOT VERIFIED'}`);
    for (const i of [...(v?.signatures ?? []), ...(v?.attestations ?? [])]) {
      console.log(`    ${i.verified ? 'ok  ' : 'FAIL'} ${i.format} ${i.kind === 'signature' ? 'signature' : `attestation ${i.predicateType}`} (${i.source})`);
    }
    for (const line of errorLines(verify)) console.log(`    ${line}`);
    if (verify.code !== 0) process.exitCode = 1;
  }
  return repos;
}
