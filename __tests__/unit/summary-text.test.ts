import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { marked } from 'marked';
import { renderSummary } from '../../src/summary.js';
import { summaryText } from '../../src/summary-text.js';
import { multiPlatform, NAME, runContext, SAN } from './helpers/summary-fixture.js';

// What GitHub shows of the same markdown, as words in reading order.
function renderedWords(md: string): string[] {
  const page = marked.parse(md, { gfm: true, async: false });
  const text = page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return text.split(/\s+/).filter(Boolean);
}

describe('summaryText', () => {
  const md = renderSummary(multiPlatform(), runContext({ rekorURL: 'http://rekor.local:3000' }));
  const text = summaryText(md);
  const lines = text.split('\n');

  it('has every word GitHub would show, in the same order', () => {
    let at = 0;
    for (const word of renderedWords(md)) {
      const found = text.indexOf(word, at);
      expect({ word, found: found >= 0 }).toEqual({ word, found: true });
      at = found + word.length;
    }
  });

  it('has no markup left: no HTML tags, fences, table pipes, code-span backticks or entities', () => {
    expect(text).not.toMatch(/<\/?(details|summary)>/);
    expect(text).not.toContain('```');
    expect(text).not.toMatch(/^\|/m);
    expect(text).not.toMatch(/`/);
    expect(text).not.toMatch(/&#?\w+;/);
  });

  it('underlines headings and turns the <details> summary into a line of its own', () => {
    expect(lines[0]).toBe('✅ Signed and attested 3 images (1 index and 2 platform images) in 41 s');
    expect(lines[1]).toMatch(/^=+$/);
    expect(lines[1]?.length).toBe((lines[0]?.length ?? 0) + 1); // the emoji takes two columns
    expect(lines).toContain(`${NAME} (linux/amd64)`);
    expect(lines).toContain('▸ Verify linux/amd64: cosign, gh, the verify action, the sign-attest CLI');
  });

  it('lays tables out in aligned columns, links with their address', () => {
    const header = lines.findIndex((l) => l.startsWith('Artifact'));
    const rule = lines[header + 1] ?? '';
    expect(rule).toMatch(/^-+ {2}-+ {2}-+$/);
    const starts = [...rule.matchAll(/-+/g)].map((m) => m.index);
    for (const row of lines.slice(header, header + 6)) {
      for (const s of starts.slice(1)) expect(row[s - 1]).toBe(' ');
    }
    expect(lines[header + 2]).toMatch(/^Signature \(cosign\) +48213907 \(http:\/\/rekor\.local:3000\/api\/v1\/log\/entries\?logIndex=48213907\) +tag \.sig$/);
  });

  it('keeps code blocks verbatim, indented, so the commands can still be copied', () => {
    expect(lines).toContain('    cosign verify \\');
    expect(lines).toContain('      --certificate-identity \\');
    expect(text).toContain(`      ${SAN} \\`);
    expect(lines).toContain('    - uses: OWNER/sign-attest-action/verify@v1');
  });

  it('runs in plain Node from src/, as a .mjs script imports it', () => {
    const file = join(process.cwd(), 'src/summary-text.ts');
    const script = `import { summaryText } from ${JSON.stringify(file)}; let md = ''; for await (const c of process.stdin) md += c; process.stdout.write(summaryText(md));`;
    const env = { ...process.env, NODE_OPTIONS: '' };
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: md, env }).toString()).toBe(text);
  });

  it('decodes entities and backslash escapes in text and table cells', () => {
    expect(summaryText('# a &#60;b&#62; &amp; c\n\n| x | y |\n| --- | --- |\n| `a\\|b` | \\*z\\* |\n')).toBe('a <b> & c\n=========\n\nx    y\n---  ---\na|b  *z*\n');
  });
});
