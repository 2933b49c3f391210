// The step summary as a terminal shows it (the demo prints this): headings
// underlined, tables as aligned columns, code blocks indented, a <details>
// block as its <summary> line followed by its contents, links as
// "text (url)", code spans and entities as the text they stand for. Handles
// the markdown renderSummary writes, not markdown at large.
// No imports and only erasable TypeScript: Node 24 runs this file as it is,
// so plain .mjs scripts (the demo) can import it from src/ without a build.
export function summaryText(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      for (i++; i < lines.length && !(lines[i] ?? '').startsWith(fence); i++) out.push(`    ${lines[i]}`);
      continue;
    }
    if (/^\s*<\/?details>\s*$/i.test(line)) continue;
    const summary = /^\s*<summary>(.*)<\/summary>\s*$/i.exec(line);
    if (summary) {
      out.push(`▸ ${decode((summary[1] ?? '').replace(/<[^>]*>/g, ''))}`);
      continue;
    }
    if (isRow(line) && isDelimiterRow(lines[i + 1] ?? '')) {
      const rows = [cells(line)];
      for (i += 2; i < lines.length && isRow(lines[i] ?? ''); i++) rows.push(cells(lines[i] ?? ''));
      i--;
      out.push(...table(rows));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const t = inline(heading[2] ?? '');
      out.push(t, ((heading[1] ?? '').length <= 2 ? '=' : '-').repeat(width(t)));
      continue;
    }
    const item = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    out.push(item ? `${item[1]}• ${inline(item[2] ?? '')}` : inline(line));
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

const isRow = (line: string) => line.trimStart().startsWith('|');
const isDelimiterRow = (line: string) => /^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/.test(line);

// Splits a table row on pipes that are not escaped; GFM drops the backslash
// of `\|` before reading the cell, in code spans too.
function cells(row: string): string[] {
  const parts = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
  return parts.map((c) => inline(c.trim().replace(/\\\|/g, '|')));
}

function table(rows: string[][]): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  const line = (r: string[]) =>
    widths
      .map((w, c) => (r[c] ?? '').padEnd(w + (r[c] ?? '').length - width(r[c] ?? '')))
      .join('  ')
      .trimEnd();
  const [header = [], ...body] = rows;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

// Inline markup to text: code spans verbatim, links with their target,
// emphasis markers dropped, entities decoded.
function inline(s: string): string {
  let out = '';
  let rest = s;
  for (let m = /(`+)(.*?[^`])\1(?!`)/.exec(rest); m; m = /(`+)(.*?[^`])\1(?!`)/.exec(rest)) {
    out += prose(rest.slice(0, m.index));
    const body = m[2] ?? '';
    out += /^ .* $/.test(body) && body.trim() ? body.slice(1, -1) : body;
    rest = rest.slice(m.index + m[0].length);
  }
  return out + prose(rest);
}

function prose(s: string): string {
  const linked = s.replace(/\[([^\]]*)\]\(<?([^)\s>]*)>?\)/g, (_, text: string, url: string) => (text === url ? url : `${text} (${url})`));
  return decode(linked.replace(/\*\*|__/g, '').replace(/\\([!-/:-@[-`{-~])/g, '$1'));
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? all;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

// Terminal columns: wide symbols such as ✅ take two.
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  return w;
}
