// The demo behind `npm run demo`: see scripts/demo.sh.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRealTools, pushFixtureImage, startStack } from '../test/stack/stack.mjs';
import { errorLines, runAction } from '../test/harness/runner.mjs';
import { COSIGNS, cosignHome, cosignPath, cosignSignAndAttest, writePredicates } from '../test/harness/producers.mjs';

const OCI = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
// The real Sigstore services when they are built (scripts/install-tools.sh), else the stand-in;
// SIGN_ATTEST_REAL_SIGSTORE=0 forces the stand-in.
const missing = missingRealTools();
const real = process.env.SIGN_ATTEST_REAL_SIGSTORE !== '0' && missing.length === 0;
if (!real && process.env.SIGN_ATTEST_REAL_SIGSTORE !== '0') console.log(`using the Sigstore stand-in (real services not built: ${missing.join(', ')})`);
const stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'sign-attest-demo-')), real });
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
  const log = run.stdout.split('\n').filter((l) => l && !l.startsWith('::add-mask::') && !l.startsWith('::debug::'));
  console.log(log.join('\n'));
  console.log(`\naction exited ${run.code} in ${run.ms} ms\n`);
  console.log('--- step summary ---\n' + run.summary);
  console.log('--- outputs ---');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}: ${k === 'results' ? JSON.stringify(JSON.parse(v), null, 2) : v}`);

  const repos = ['demo/app', ...(await realCosignImages())];
  console.log('\n--- in the registry ---');
  for (const name of repos) {
    const repo = `http://${stack.registry}/v2/${name}`;
    const tags = (await (await fetch(`${repo}/tags/list`)).json()).tags ?? [];
    for (const tag of tags.sort()) {
      const m = await (await fetch(`${repo}/manifests/${tag}`, { headers: { accept: OCI } })).json();
      const items = m.layers ?? m.manifests ?? [];
      const kinds = await Promise.all(items.map(async (d) => {
        const named = d.annotations?.predicateType ?? d.annotations?.['dev.sigstore.bundle.predicateType'];
        if (named || !m.manifests) return named ?? d.mediaType;
        // cosign lists its referrers without annotations; the referrer manifest names the type.
        const referrer = await (await fetch(`${repo}/manifests/${d.digest}`, { headers: { accept: OCI } })).json();
        return referrer.annotations?.['dev.sigstore.bundle.predicateType'] ?? d.artifactType ?? d.mediaType;
      }));
      console.log(`${name}:${tag}\n  ${kinds.join('\n  ')}`);
    }
  }
  if (run.code !== 0) process.exitCode = run.code;
} finally {
  await stack.stop();
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
