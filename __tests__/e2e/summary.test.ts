import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { marked, type Tokens } from 'marked';
import { getManifest } from '../../test/harness/checks.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// The step summary of a real multi-platform run, used as a maintainer would:
// every Rekor link opens its entry on the private instance, and each image's
// printed sign-attest command and verify-action step pass as printed.

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const stack = useStack({ name: 'summary', fixture: 'octo-org/summary' });
let run: ActionRun;
let digests: string[];
let name: string;

async function put(repo: string, ref: string, body: object, mediaType: string): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT ${ref}: ${res.status} ${await res.text()}`);
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

beforeAll(async () => {
  const img = stack.image;
  name = img.name;
  const base = (await getManifest(img.name, img.digest)) as Record<string, unknown>;
  const amd64 = await put('octo-org/summary', 'amd64', { ...base, annotations: { platform: 'amd64' } }, OCI_MANIFEST);
  const arm64 = await put('octo-org/summary', 'arm64', { ...base, annotations: { platform: 'arm64' } }, OCI_MANIFEST);
  const index = await put(
    'octo-org/summary',
    'v1',
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    },
    OCI_INDEX,
  );
  digests = [index.digest, amd64.digest, arm64.digest];
  run = await runAction({
    inputs: { ...stackInputs(stack), images: `${img.name}@${index.digest}` },
    env: { ...stack.env, GITHUB_ACTION_REPOSITORY: 'acme/sign-attest-action', GITHUB_ACTION_REF: 'v9' },
  });
}, 300_000);

// Each <details> block's code blocks, in page order.
function detailsCode(md: string): Tokens.Code[][] {
  const out: Tokens.Code[][] = [];
  for (const t of marked.lexer(md, { gfm: true })) {
    if (t.type === 'html' && /<details>/.test(t.raw)) out.push([]);
    else if (t.type === 'code') out[out.length - 1]?.push(t as Tokens.Code);
  }
  return out;
}

function sh(command: string, home: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env = { PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`, HOME: home, npm_config_cache: join(home, '.npm') };
    execFile('/bin/sh', ['-c', command], { cwd: ROOT, env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('the step summary of a multi-platform run', () => {
  it('the run succeeds and its verdict names the run', () => {
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.summary.split('\n')[0]).toMatch(/^## ✅ Signed and attested 3 images \(1 index and 2 platform images\) in [\d.]+ (s|min)/);
    expect(run.summary).toContain(`Signed by \`${stack.identity.subjectAlternativeName}\` (issuer \`${stack.identity.issuer}\`)`);
  });

  it("links every Rekor entry to the instance's own API, and each link answers with that entry", async () => {
    // (The attestation store's links, to the repository's attestations, are checked in attestation-store.test.ts.)
    const links = [...run.summary.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((l) => !l.startsWith('https://github.com/octo-org/octo-repo/attestations'));
    const results = JSON.parse(run.outputs['results'] ?? '[]') as Record<string, { logIndex?: number }>[];
    const indexes = results.flatMap((r) => Object.values(r).flatMap((a) => (typeof a === 'object' && a?.logIndex !== undefined ? [a.logIndex] : [])));
    expect(links).toEqual(indexes.map((i) => `${stack.rekorURL}/api/v1/log/entries?logIndex=${i}`));
    for (const [i, link] of links.entries()) {
      const res = await fetch(link);
      expect(res.status).toBe(200);
      expect(Object.values((await res.json()) as Record<string, { logIndex: number }>)[0]?.logIndex).toBe(indexes[i]);
    }
  });

  it("each image's sign-attest command passes as printed, and fails for another signer", async () => {
    const blocks = detailsCode(run.summary);
    expect(blocks).toHaveLength(3);
    const home = stack.tempDir('summary-cli-');
    for (const [i, block] of blocks.entries()) {
      const cli = block[2]!.text;
      expect(cli).toContain(`${name}@${digests[i]}`);
      const ok = await sh(cli, home);
      expect({ code: ok.code, out: ok.out }).toEqual({ code: 0, out: expect.stringContaining(`VERIFIED ${name}@${digests[i]}`) });
      const other = await sh(cli.replace(stack.identity.subjectAlternativeName, 'https://github.com/evil/x/.github/workflows/x.yml@refs/heads/main'), home);
      expect(other.code).toBe(1);
    }
  }, 180_000);

  it("each image's verify-action step passes with the inputs printed, and names this action's repository and ref", async () => {
    for (const [i, block] of detailsCode(run.summary).entries()) {
      const [step] = yaml.load(block[1]!.text) as { uses: string; with: Record<string, string> }[];
      expect(step?.uses).toBe('acme/sign-attest-action/verify@v9');
      expect(step?.with['images']).toBe(`${name}@${digests[i]}`);
      const verified = await runAction({ action: 'verify', inputs: step!.with });
      expect(errorLines(verified)).toEqual([]);
      expect(verified.code).toBe(0);
    }
  }, 180_000);
});
