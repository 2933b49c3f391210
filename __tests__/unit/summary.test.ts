import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import type { ArtifactResult, ImageResult, RunContext } from '../../src/results.js';
import { renderSummary, sh } from '../../src/summary.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SAN = 'https://github.com/octo-org/octo-app/.github/workflows/release.yml@refs/heads/main';
const ISS = 'https://token.actions.githubusercontent.com';

function artifact(kind: ArtifactResult['kind'], logIndex: number, extra: Partial<ArtifactResult> = {}): ArtifactResult {
  return { kind, logIndex, uuid: `uuid-${logIndex}`, integratedTime: 1700000000, bundle: `/tmp/${kind}.json`, ...extra };
}

function image(name = 'ghcr.io/octo-org/octo-app', artifacts?: ArtifactResult[]): ImageResult {
  return {
    name,
    digest: DIGEST,
    artifacts: artifacts ?? [
      artifact('signature', 101, { tag: `sha256-${'ab'.repeat(32)}.sig` }),
      artifact('sbom', 102, { predicateType: 'https://cyclonedx.org/bom', referrer: `sha256:${'cd'.repeat(32)}` }),
      artifact('provenance', 0, { predicateType: 'https://slsa.dev/provenance/v1', tag: `sha256-${'ab'.repeat(32)}.att` }),
    ],
  };
}

function ctx(over: Partial<RunContext> = {}): RunContext {
  return { rekorURL: 'https://rekor.sigstore.dev', san: SAN, issuer: ISS, repository: 'octo-org/octo-app', attach: 'both', ...over };
}

// Table rows (excluding the header and separator rows).
const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Artifact') && !l.startsWith('| ---'));

// What GitHub would render as markup: the summary with fenced blocks and code spans removed.
function outsideCode(md: string): string {
  return md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

// Unescaped pipes split table cells.
const cellCount = (row: string) => row.split('|').length - 2;

describe('renderSummary', () => {
  it('has one heading per image naming image@digest', () => {
    const md = renderSummary([image('ghcr.io/a/one'), image('ghcr.io/a/two')], ctx());
    const headings = md.split('\n').filter((l) => l.startsWith('### ') && l.includes('@sha256:'));
    expect(headings).toHaveLength(2);
    expect(headings[0]).toContain(`ghcr.io/a/one@${DIGEST}`);
    expect(headings[1]).toContain(`ghcr.io/a/two@${DIGEST}`);
  });

  it('has one table row per artifact', () => {
    expect(rows(renderSummary([image()], ctx()))).toHaveLength(3);
  });

  it('links log indexes to search.sigstore.dev for the public-good Rekor, including index 0', () => {
    const md = renderSummary([image()], ctx());
    expect(md).toContain('href="https://search.sigstore.dev/?logIndex=101"');
    expect(md).toContain('href="https://search.sigstore.dev/?logIndex=102"');
    expect(md).toContain('href="https://search.sigstore.dev/?logIndex=0"');
  });

  it('links log indexes to the API of any other Rekor', () => {
    const md = renderSummary([image()], ctx({ rekorURL: 'http://rekor.local:3000' }));
    expect(md).toContain('href="http://rekor.local:3000/api/v1/log/entries?logIndex=101"');
    expect(md).not.toContain('search.sigstore.dev');
  });

  it('prints cosign verify and verify-attestation commands with the identity and issuer', () => {
    const md = renderSummary([image()], ctx());
    expect(md).toContain(`cosign verify ghcr.io/octo-org/octo-app@${DIGEST}`);
    expect(md).toContain(`cosign verify-attestation --type slsaprovenance1 ghcr.io/octo-org/octo-app@${DIGEST}`);
    expect(md).toContain(`cosign verify-attestation --type cyclonedx ghcr.io/octo-org/octo-app@${DIGEST}`);
    expect(md).toContain(`--certificate-identity ${SAN}`);
    expect(md).toContain(`--certificate-oidc-issuer ${ISS}`);
  });

  it('passes a full SPDX predicate URI to --type (cosign has no alias for versioned SPDX)', () => {
    const img = image('ghcr.io/a/b', [artifact('sbom', 7, { predicateType: 'https://spdx.dev/Document/v2.3' })]);
    expect(renderSummary([img], ctx())).toContain('cosign verify-attestation --type https://spdx.dev/Document/v2.3 ');
  });

  it('prints gh attestation verify with --bundle-from-oci when referrers are written', () => {
    const md = renderSummary([image()], ctx());
    expect(md).toContain(`gh attestation verify oci://ghcr.io/octo-org/octo-app@${DIGEST} --bundle-from-oci`);
    expect(md).toContain('--predicate-type https://cyclonedx.org/bom');
  });

  it('omits gh commands when nothing is written as a referrer (attach: tags)', () => {
    expect(renderSummary([image()], ctx({ attach: 'tags' }))).not.toContain('gh attestation verify');
  });

  it('names the written trusted root files in cosign and gh commands for a custom root', () => {
    const md = renderSummary([image()], ctx({ trustFiles: { json: '/tmp/run 1/trusted_root.json', jsonl: '/tmp/run 1/trusted_root.jsonl' } }));
    expect(md.split('\n').filter((l) => l.includes("--trusted-root '/tmp/run 1/trusted_root.json'"))).toHaveLength(3);
    expect(md.split('\n').filter((l) => l.includes("--custom-trusted-root '/tmp/run 1/trusted_root.jsonl'"))).toHaveLength(2);
  });

  it('with only tags written, hands cosign the custom root as the PEM files its tag path reads', () => {
    const legacy = { roots: '/t/fulcio_roots.pem', rekorKey: '/t/rekor.pub', ctlogKey: '/t/ctlog.pub' };
    const md = renderSummary([image()], ctx({ attach: 'tags', trustFiles: { json: '/t/trusted_root.json', jsonl: '/t/trusted_root.jsonl', legacy } }));
    const commands = (/```sh\n([\s\S]*?)\n```/.exec(md)?.[1] ?? '').split('\n\n');
    expect(commands).toHaveLength(3);
    for (const c of commands) {
      expect(c).toMatch(/^SIGSTORE_ROOT_FILE=\/t\/fulcio_roots.pem \\\n {2}SIGSTORE_REKOR_PUBLIC_KEY=\/t\/rekor.pub \\\n {2}SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=\/t\/ctlog.pub \\\n {2}cosign verify/);
      expect(c).not.toContain('--trusted-root');
    }
  });

  it('names no trusted root file for the public-good root', () => {
    expect(renderSummary([image()], ctx())).not.toMatch(/trusted.root/);
  });

  it('keeps markup in an image name inert (no raw <script> or table-breaking | outside code)', () => {
    const md = renderSummary([image('ghcr.io/evil/<script>alert(1)</script>|x')], ctx());
    expect(outsideCode(md)).not.toMatch(/<script/i);
    for (const row of rows(md)) expect(cellCount(row)).toBe(3);
  });

  it('keeps a newline in an image name from breaking out of the heading code span', () => {
    const md = renderSummary([image('ghcr.io/a/b\n<script>alert(1)</script>')], ctx());
    expect(outsideCode(md)).not.toMatch(/<script/i);
  });

  it('escapes markup and pipes in registry-provided cell values', () => {
    const img = image('ghcr.io/a/b', [
      artifact('sbom', 5, { predicateType: 'https://x/<script>alert(1)</script>|y', tag: 'sha256-x|<img src=x onerror=alert(1)>' }),
    ]);
    const md = renderSummary([img], ctx());
    const [row] = rows(md);
    expect(row).toBeDefined();
    expect(cellCount(row ?? '')).toBe(3);
    expect(outsideCode(md)).not.toMatch(/<script|<img/i);
  });

  it('keeps markup in the SAN inside the shell block', () => {
    const md = renderSummary([image()], ctx({ san: 'https://github.com/o/r/x.yml@refs/heads/<script>alert(1)</script>' }));
    expect(outsideCode(md)).not.toMatch(/<script/i);
  });

  it('shell-quotes an odd SAN so the shell sees it verbatim', () => {
    const odd = "https://github.com/o/r/.github/workflows/x.yml@refs/heads/it's $(id) `uname` ;|&";
    const md = renderSummary([image()], ctx({ san: odd }));
    const line = md.split('\n').find((l) => l.includes('--certificate-identity'));
    const arg = line?.replace(/^.*--certificate-identity /, '').replace(/ \\$/, '') ?? '';
    expect(execFileSync('sh', ['-c', `printf '%s' ${arg}`]).toString()).toBe(odd);
  });
});

describe('sh', () => {
  it('leaves plain URLs unquoted', () => {
    expect(sh(SAN)).toBe(SAN);
  });

  it.each(["a'b", 'a b', '$(id)', '`x`', 'a;b', 'a|b', '', 'a\nb'])('quotes %j so the shell reads it back verbatim', (s) => {
    expect(execFileSync('sh', ['-c', `printf '%s' ${sh(s)}`]).toString()).toBe(s);
  });
});
