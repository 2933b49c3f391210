import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';
import { marked, type Token, type Tokens } from 'marked';
import type { ArtifactResult, ImageResult, RunContext } from '../../src/results.js';
import { renderSummary, sh } from '../../src/summary.js';
import { DIGESTS, multiPlatform, NAME, runContext } from './helpers/summary-fixture.js';

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

// ---------- reading the markdown as GitHub does (GFM) ----------

const lex = (md: string) => marked.lexer(md, { gfm: true });
const html = (md: string) => marked.parse(md, { gfm: true, async: false });

function allTokens(md: string): Token[] {
  const out: Token[] = [];
  void marked.walkTokens(lex(md), (t) => {
    out.push(t);
  });
  return out;
}

const tables = (md: string) => lex(md).filter((t): t is Tokens.Table => t.type === 'table');
const codeBlocks = (md: string, lang?: string) => allTokens(md).filter((t): t is Tokens.Code => t.type === 'code' && (lang === undefined || t.lang === lang));
// Raw HTML as GFM passes it through: block and inline html tokens.
const rawHTML = (md: string) =>
  allTokens(md)
    .filter((t) => t.type === 'html')
    .map((t) => (t as Tokens.HTML).raw.trim());
// What a reader sees: the rendered page's text.
const visibleText = (md: string) =>
  html(md)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const hrefs = (md: string) => [...html(md).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

// The raw HTML a summary may contain: <details> blocks and their <summary>.
const ALLOWED_HTML = /^<\/?details>$|^<summary>[^<>]*<\/summary>$/;

// The <details> blocks: each one's <summary> text and the code blocks inside.
function detailsBlocks(md: string): { summary: string; code: Tokens.Code[] }[] {
  const out: { summary: string; code: Tokens.Code[] }[] = [];
  for (const t of lex(md)) {
    if (t.type === 'html' && /<details>/.test(t.raw)) out.push({ summary: /<summary>(.*?)<\/summary>/.exec(t.raw)?.[1] ?? '', code: [] });
    else if (t.type === 'code') out[out.length - 1]?.code.push(t as Tokens.Code);
  }
  return out;
}

// Commands in a shell block, one per paragraph, as a user pastes them.
const commandsIn = (block: Tokens.Code) =>
  block.text
    .split(/\n\s*\n/)
    .map((c) => c.trim())
    .filter(Boolean);

// What the shell hands the program: cosign, gh and npx replaced by functions
// that print their arguments, run in sh and bash.
function argv(command: string, shell: 'sh' | 'bash' = 'sh'): string[] {
  const stub = (name: string) => `${name}() { printf '%s\\0' ${name} "$@"; env | grep '^SIGSTORE_' | sort | tr '\\n' '\\0'; }`;
  const out = execFileSync(shell, ['-c', `${['cosign', 'gh', 'npx'].map(stub).join('\n')}\n${command}`]).toString();
  return out.split('\0').slice(0, -1);
}

describe('renderSummary', () => {
  it('opens with the verdict: what, how many images, the time, who signed (issuer), everything self-verified', () => {
    const md = renderSummary(multiPlatform(), runContext());
    const [heading, , verdict] = md.split('\n');
    expect(heading).toBe('## ✅ Signed and attested 3 images (1 index and 2 platform images) in 41 s');
    expect(verdict).toContain(`Signed by \`${SAN}\` (issuer \`${ISS}\`)`);
    expect(verdict).toContain('All 12 Rekor entries were self-verified against the Sigstore public-good trusted root');
    expect(renderSummary([image()], ctx({ elapsedMs: 3400 })).split('\n')[0]).toBe('## ✅ Signed and attested 1 image in 3.4 s');
    expect(renderSummary([image()], ctx({ elapsedMs: 125_000 })).split('\n')[0]).toBe('## ✅ Signed and attested 1 image in 2 min 5 s');
    expect(renderSummary([image('ghcr.io/a/b', [artifact('signature', 1)])], ctx()).split('\n')[0]).toBe('## ✅ Signed 1 image');
  });

  it('has one heading per image and the full image@digest under it', () => {
    const md = renderSummary([image('ghcr.io/a/one'), image('ghcr.io/a/two')], ctx());
    const headings = lex(md).filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 3);
    expect(headings.map((h) => h.text)).toEqual(['`ghcr.io/a/one`', '`ghcr.io/a/two`']);
    expect(md).toContain(`\`ghcr.io/a/one@${DIGEST}\``);
    expect(md).toContain(`\`ghcr.io/a/two@${DIGEST}\``);
  });

  it('names the platform of each platform image and the platforms of an index', () => {
    const md = renderSummary(multiPlatform(), runContext());
    const headings = lex(md).filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 3);
    expect(headings.map((h) => h.text)).toEqual([
      `\`${NAME}\` (multi-platform index: linux/amd64, linux/arm64/v8)`,
      `\`${NAME}\` (linux/amd64)`,
      `\`${NAME}\` (linux/arm64/v8)`,
    ]);
  });

  it('renders one GFM table per image, three cells in every row, one row per Rekor entry', () => {
    const images = multiPlatform();
    const ts = tables(renderSummary(images, runContext()));
    expect(ts).toHaveLength(images.length);
    ts.forEach((t, i) => {
      expect(t.header.map((c) => c.text)).toEqual(['Artifact', 'Rekor entry', 'Attached as']);
      expect(t.rows).toHaveLength(images[i]!.artifacts.length);
      for (const row of t.rows) expect(row).toHaveLength(3);
    });
    expect(tables(renderSummary([image()], ctx()))[0]?.rows).toHaveLength(3);
  });

  it('shows every digest in full, in code spans: image, referrer manifests, the tags named after the digest once', () => {
    const images = multiPlatform();
    const md = renderSummary(images, runContext());
    const spans = allTokens(md)
      .filter((t) => t.type === 'codespan')
      .map((t) => (t as Tokens.Codespan).text);
    for (const img of images) {
      expect(spans).toContain(`${img.name}@${img.digest}`);
      for (const a of img.artifacts) if (a.referrer) expect(spans).toContain(a.referrer);
      // The 64-hex tag is named once per image, not in every row.
      const tag = img.digest.replace(':', '-');
      expect(spans.filter((s) => s.includes(tag))).toEqual([tag]);
    }
    expect(md).not.toMatch(/sha256:[0-9a-f]{1,63}(?![0-9a-f])/);
  });

  it('explains the second signature and the referrers fallback tag in words, and gives SBOM figures per ecosystem', () => {
    const md = renderSummary(multiPlatform(), runContext());
    const text = visibleText(md);
    expect(text).not.toContain('(tag fallback)');
    // Each explanation in full once, under the first image; short after that.
    expect(text.match(/Why two signatures: one per format verifiers read/g)).toHaveLength(1);
    expect(text).toContain(
      `Tags, named after the digest sha256-${DIGESTS.index.slice(7)}: .sig and .att hold the cosign format; the bare tag lists the OCI referrers, as this registry has no referrers API`,
    );
    expect(text).toContain(`Tags, named after the digest sha256-${DIGESTS.amd64.slice(7)}: .sig and .att hold the cosign format; the bare tag lists the OCI referrers.`);
    expect(text.match(/no referrers API/g)).toHaveLength(1);
    expect(text).toContain('SBOM https://cyclonedx.org/bom with 140 components (92 deb, 41 npm, 6 golang, 1 operating-system)');
    expect(text).toContain('SBOM https://cyclonedx.org/bom with the 2 platform images of this index as its components');
    // A registry with the referrers API needs no fallback explanation.
    const plain = multiPlatform().map((i) => ({ ...i, artifacts: i.artifacts.map(({ fallbackTag: _, ...a }) => a) }));
    expect(visibleText(renderSummary(plain, runContext()))).not.toContain('bare tag');
  });

  it('writes predicate type URIs as code, never as links', () => {
    const md = renderSummary(multiPlatform(), runContext());
    for (const href of hrefs(md)) expect(href).toMatch(/logIndex=\d+$/);
    expect(
      allTokens(md)
        .filter((t) => t.type === 'codespan')
        .map((t) => (t as Tokens.Codespan).text),
    ).toEqual(expect.arrayContaining(['https://cyclonedx.org/bom', 'https://slsa.dev/provenance/v1']));
  });

  it('links log indexes to search.sigstore.dev for the public-good Rekor, including index 0', () => {
    const links = hrefs(renderSummary([image()], ctx()));
    expect(links).toEqual(['https://search.sigstore.dev/?logIndex=101', 'https://search.sigstore.dev/?logIndex=102', 'https://search.sigstore.dev/?logIndex=0']);
  });

  it("links log indexes to a private instance's own API, where they work", () => {
    const md = renderSummary([image()], ctx({ rekorURL: 'http://rekor.local:3000/' }));
    expect(hrefs(md)).toEqual([
      'http://rekor.local:3000/api/v1/log/entries?logIndex=101',
      'http://rekor.local:3000/api/v1/log/entries?logIndex=102',
      'http://rekor.local:3000/api/v1/log/entries?logIndex=0',
    ]);
    expect(md).not.toContain('search.sigstore.dev');
  });

  it('keeps a Rekor URL with markdown punctuation inside its link and its table cell', () => {
    const md = renderSummary([image()], ctx({ rekorURL: 'https://rekor.example/a (b)|c' }));
    for (const t of tables(md)) for (const row of t.rows) expect(row).toHaveLength(3);
    expect(hrefs(md)[0]).toBe('https://rekor.example/a%20%28b%29%7Cc/api/v1/log/entries?logIndex=101');
  });

  it('passes through no raw HTML but the <details>/<summary> of each image', () => {
    const images = multiPlatform();
    const md = renderSummary(images, runContext());
    const raw = rawHTML(md);
    for (const r of raw) for (const line of r.split('\n')) expect(line).toMatch(ALLOWED_HTML);
    expect(raw.join('\n').match(/<details>/g)).toHaveLength(images.length);
  });

  it('gives every image its own <details> block: cosign and gh, the verify action, the CLI, for that digest', () => {
    const images = multiPlatform();
    const blocks = detailsBlocks(renderSummary(images, runContext({ verifyAction: 'acme/sign-attest-action/verify@v2.1.0' })));
    expect(blocks.map((b) => b.summary)).toEqual([
      'Verify this index: cosign, gh, the verify action, the sign-attest CLI',
      'Verify linux/amd64: cosign, gh, the verify action, the sign-attest CLI',
      'Verify linux/arm64/v8: cosign, gh, the verify action, the sign-attest CLI',
    ]);
    blocks.forEach((b, i) => {
      const ref = `${NAME}@${images[i]!.digest}`;
      expect(b.code.map((c) => c.lang)).toEqual(['sh', 'yaml', 'sh']);
      const [tools, action, cli] = b.code as [Tokens.Code, Tokens.Code, Tokens.Code];
      const identity = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISS];
      expect(commandsIn(tools).map((c) => argv(c))).toEqual([
        ['cosign', 'verify', ref, ...identity],
        ['cosign', 'verify-attestation', '--type', 'slsaprovenance1', ref, ...identity],
        ['cosign', 'verify-attestation', '--type', 'cyclonedx', ref, ...identity],
        ['gh', 'attestation', 'verify', `oci://${ref}`, '--bundle-from-oci', '--repo', 'octo-org/octo-app'],
        ['gh', 'attestation', 'verify', `oci://${ref}`, '--bundle-from-oci', '--repo', 'octo-org/octo-app', '--predicate-type', 'https://cyclonedx.org/bom'],
      ]);
      expect(yaml.load(action.text)).toEqual([
        {
          uses: 'acme/sign-attest-action/verify@v2.1.0',
          with: { images: ref, 'certificate-identity': SAN, 'certificate-oidc-issuer': ISS, 'predicate-types': 'cyclonedx,slsaprovenance1' },
        },
      ]);
      expect(commandsIn(cli).map((c) => argv(c, 'bash'))).toEqual([
        ['npx', 'sign-attest', 'verify', ref, ...identity, '--type', 'cyclonedx', '--type', 'slsaprovenance1'],
      ]);
    });
  });

  it('names a placeholder verify action, and says so, when the runner does not say where the action came from', () => {
    const md = renderSummary([image()], ctx());
    const [, action] = detailsBlocks(md)[0]!.code;
    expect((yaml.load(action!.text) as { uses: string }[])[0]!.uses).toBe('OWNER/sign-attest-action/verify@v1');
    expect(visibleText(md)).toContain('OWNER/…@v1: the repository and version you use the signing action from');
  });

  it('keeps code lines from scrolling sideways: a longer line holds one argument only', () => {
    const long = 'https://github.com/octo-org/a-rather-long-repository-name/.github/workflows/release-and-publish.yml@refs/heads/main';
    const md = renderSummary(
      multiPlatform(),
      runContext({
        san: long,
        trustFiles: { json: '/home/runner/work/_temp/sign-attest-Xy/trusted_root.json', jsonl: '/home/runner/work/_temp/sign-attest-Xy/trusted_root.jsonl' },
      }),
    );
    for (const block of codeBlocks(md)) {
      for (const line of block.text.split('\n')) {
        if (line.length > 100) expect(line.trim().replace(/ \\$/, '')).toMatch(/^\S+$/);
      }
    }
    const [tools, action] = detailsBlocks(md)[0]!.code;
    expect(argv(commandsIn(tools!)[0]!)).toContain(long);
    expect((yaml.load(action!.text) as { with: Record<string, string> }[])[0]!.with['certificate-identity']).toBe(long);
  });

  it('passes a full SPDX predicate URI to --type (cosign has no alias for versioned SPDX) and to the verify action and CLI', () => {
    const img = image('ghcr.io/a/b', [artifact('signature', 6), artifact('sbom', 7, { predicateType: 'https://spdx.dev/Document/v2.3' })]);
    const [tools, action, cli] = detailsBlocks(renderSummary([img], ctx()))[0]!.code;
    expect(commandsIn(tools!).map((c) => argv(c).slice(0, 4))[1]).toEqual(['cosign', 'verify-attestation', '--type', 'https://spdx.dev/Document/v2.3']);
    expect((yaml.load(action!.text) as { with: Record<string, string> }[])[0]!.with['predicate-types']).toBe('https://spdx.dev/Document/v2.3');
    expect(argv(commandsIn(cli!)[0]!).slice(-2)).toEqual(['--type', 'https://spdx.dev/Document/v2.3']);
  });

  it('asks the verify action and CLI for no signature when none was made', () => {
    const img = image('ghcr.io/a/b', [artifact('provenance', 7, { predicateType: 'https://slsa.dev/provenance/v1' })]);
    const [, action, cli] = detailsBlocks(renderSummary([img], ctx()))[0]!.code;
    expect((yaml.load(action!.text) as { with: Record<string, string> }[])[0]!.with['require-signature']).toBe('false');
    expect(argv(commandsIn(cli!)[0]!)).toContain('--no-require-signature');
  });

  it('omits gh commands when nothing is written as a referrer (attach: tags)', () => {
    const md = renderSummary([image()], ctx({ attach: 'tags' }));
    expect(md).not.toContain('gh attestation verify');
    expect(detailsBlocks(md)[0]?.summary).toBe('Verify this image: cosign, gh, the verify action, the sign-attest CLI');
  });

  it('with attach: none, prints bundle-file checks instead of registry lookups', () => {
    const md = renderSummary([image()], ctx({ attach: 'none' }));
    expect(md).not.toMatch(/cosign verify|gh attestation/);
    const [block] = detailsBlocks(md)[0]!.code;
    expect(commandsIn(block!).map((c) => argv(c))).toEqual([
      ['npx', 'sign-attest', 'verify-bundle', '--bundle', '/tmp/sbom.json', '--certificate-identity', SAN, '--certificate-oidc-issuer', ISS, DIGEST],
      ['npx', 'sign-attest', 'verify-bundle', '--bundle', '/tmp/provenance.json', '--certificate-identity', SAN, '--certificate-oidc-issuer', ISS, DIGEST],
    ]);
    expect(visibleText(md)).toContain('Nothing was attached to the registry (attach: none)');
  });

  it('names the written trusted root files in cosign, gh, the verify action and the CLI for a custom root', () => {
    const md = renderSummary([image()], ctx({ trustFiles: { json: '/tmp/run 1/trusted_root.json', jsonl: '/tmp/run 1/trusted_root.jsonl' } }));
    expect(md.split('\n').filter((l) => l.includes("--trusted-root '/tmp/run 1/trusted_root.json'"))).toHaveLength(4);
    expect(md.split('\n').filter((l) => l.includes("--custom-trusted-root '/tmp/run 1/trusted_root.jsonl'"))).toHaveLength(2);
    const [, action] = detailsBlocks(md)[0]!.code;
    expect((yaml.load(action!.text) as { with: Record<string, string> }[])[0]!.with['trusted-root']).toBe('/tmp/run 1/trusted_root.json');
    expect(visibleText(md)).toContain('against the custom trusted root');
  });

  it('with only tags written, hands cosign the custom root as the PEM files its tag path reads', () => {
    const legacy = { roots: '/t/fulcio_roots.pem', rekorKey: '/t/rekor.pub', ctlogKey: '/t/ctlog.pub' };
    const md = renderSummary([image()], ctx({ attach: 'tags', trustFiles: { json: '/t/trusted_root.json', jsonl: '/t/trusted_root.jsonl', legacy } }));
    const commands = (/```sh\n([\s\S]*?)\n```/.exec(md)?.[1] ?? '').split('\n\n');
    expect(commands).toHaveLength(3);
    for (const c of commands) {
      expect(c).toMatch(
        /^SIGSTORE_ROOT_FILE=\/t\/fulcio_roots.pem \\\n {2}SIGSTORE_REKOR_PUBLIC_KEY=\/t\/rekor.pub \\\n {2}SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=\/t\/ctlog.pub \\\n {2}cosign verify/,
      );
      expect(c).not.toContain('--trusted-root');
      // The variables reach cosign's environment.
      expect(argv(c).slice(-3)).toEqual([
        'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=/t/ctlog.pub',
        'SIGSTORE_REKOR_PUBLIC_KEY=/t/rekor.pub',
        'SIGSTORE_ROOT_FILE=/t/fulcio_roots.pem',
      ]);
    }
  });

  it('names no trusted root file for the public-good root', () => {
    expect(renderSummary([image()], ctx())).not.toMatch(/trusted_root|trusted-root/);
  });

  it('keeps markup in an image name and platform inert (no raw <script> or table-breaking |)', () => {
    const evil = { ...image('ghcr.io/evil/<script>alert(1)</script>|x'), platform: '<img src=x onerror=alert(1)>|</details>' };
    const md = renderSummary([evil], ctx());
    for (const r of rawHTML(md)) for (const line of r.split('\n')) expect(line).toMatch(ALLOWED_HTML);
    expect(html(md)).not.toMatch(/<script|<img/i);
    for (const row of tables(md)[0]?.rows ?? []) expect(row).toHaveLength(3);
    expect(visibleText(md)).toContain('ghcr.io/evil/<script>alert(1)</script>|x');
  });

  it('keeps a newline in an image name from breaking out of the heading code span', () => {
    const md = renderSummary([image('ghcr.io/a/b\n<script>alert(1)</script>')], ctx());
    expect(html(md)).not.toMatch(/<script/i);
  });

  it('escapes markup, pipes and backticks in registry-provided cell values', () => {
    const img = image('ghcr.io/a/b', [artifact('sbom', 5, { predicateType: 'https://x/<script>alert(1)</script>|y`', tag: 'sha256-x|<img src=x onerror=alert(1)>`' })]);
    const md = renderSummary([img], ctx());
    const [t] = tables(md);
    expect(t?.rows).toHaveLength(1);
    expect(t?.rows[0]).toHaveLength(3);
    expect(html(md)).not.toMatch(/<script|<img/i);
    expect(visibleText(md)).toContain('sha256-x|<img src=x onerror=alert(1)>`');
  });

  it('keeps markup in the SAN inside code', () => {
    const md = renderSummary([image()], ctx({ san: 'https://github.com/o/r/x.yml@refs/heads/<script>alert(1)</script>`</details>' }));
    expect(html(md)).not.toMatch(/<script/i);
    for (const r of rawHTML(md)) for (const line of r.split('\n')) expect(line).toMatch(ALLOWED_HTML);
  });

  it('shell-quotes an odd SAN so sh and bash see it verbatim, and quotes it for YAML', () => {
    const odd = "https://github.com/o/r/.github/workflows/x.yml@refs/heads/it's $(id) `uname` ;|& #x: y";
    const md = renderSummary([image()], ctx({ san: odd }));
    const [tools, action, cli] = detailsBlocks(md)[0]!.code;
    for (const shell of ['sh', 'bash'] as const) {
      const runs = [...commandsIn(tools!), ...commandsIn(cli!)].map((c) => argv(c, shell)).filter((args) => args.includes('--certificate-identity'));
      expect(runs).toHaveLength(4);
      for (const args of runs) expect(args[args.indexOf('--certificate-identity') + 1]).toBe(odd);
    }
    expect((yaml.load(action!.text) as { with: Record<string, string> }[])[0]!.with['certificate-identity']).toBe(odd);
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
