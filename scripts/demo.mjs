// The demo behind `npm run demo`: see scripts/demo.sh.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRealTools, pushFixtureImage, startStack } from '../test/stack/stack.mjs';
import { runAction } from '../test/harness/runner.mjs';

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
  console.log('\n--- in the registry ---');
  const repo = `http://${stack.registry}/v2/demo/app`;
  const tags = (await (await fetch(`${repo}/tags/list`)).json()).tags ?? [];
  for (const tag of tags.sort()) {
    const m = await (await fetch(`${repo}/manifests/${tag}`, { headers: { accept: OCI } })).json();
    const items = m.layers ?? m.manifests ?? [];
    const kinds = items.map((d) => d.annotations?.predicateType ?? d.annotations?.['dev.sigstore.bundle.predicateType'] ?? d.mediaType);
    console.log(`${tag}\n  ${kinds.join('\n  ')}`);
  }
  process.exitCode = run.code;
} finally {
  await stack.stop();
}
