import parseSpdx from 'spdx-expression-parse';
import type { Pkg, Relationship } from './types.js';

export function isSpdxExpression(text: string): boolean {
  try {
    parseSpdx(text);
    return true;
  } catch {
    return false;
  }
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

// RFC 822-style stanzas (dpkg status, Python METADATA headers): "Key: value"
// with continuation lines starting with whitespace. Repeated keys accumulate.
export function parseStanzas(text: string): Map<string, string[]>[] {
  return [...stanzas(text)];
}

// The same, one stanza at a time and one line at a time (no array of every
// line of a big file), so a caller can stop early.
export function* stanzas(text: string): Generator<Map<string, string[]>> {
  let current = new Map<string, string[]>();
  let last: string[] | undefined;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') {
      if (current.size > 0) yield current;
      current = new Map();
      last = undefined;
      continue;
    }
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      last[last.length - 1] += '\n' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    last = current.get(key);
    if (last) last.push(value);
    else current.set(key, (last = [value]));
  }
  if (current.size > 0) yield current;
}

export function field(stanza: Map<string, string[]>, key: string): string | undefined {
  return stanza.get(key)?.[0];
}

// Edges by name within one database: `requires` entries point at the package
// with that name, or failing that one that provides it.
export function relateByName(packages: Pkg[], scope: (p: Pkg) => string, key = (n: string) => n): Relationship[] {
  const byScope = new Map<string, Map<string, Pkg>>();
  for (const p of packages) {
    let names = byScope.get(scope(p));
    if (!names) byScope.set(scope(p), (names = new Map<string, Pkg>()));
    for (const v of p.provides ?? []) if (!names.has(key(v))) names.set(key(v), p);
  }
  // Real names win over provides.
  for (const p of packages) byScope.get(scope(p))!.set(key(p.name), p);
  const edges: Relationship[] = [];
  for (const p of packages) {
    const names = byScope.get(scope(p))!;
    const seen = new Set<Pkg>();
    for (const r of p.requires ?? []) {
      const to = names.get(key(r));
      if (to && to !== p && !seen.has(to)) {
        seen.add(to);
        edges.push({ from: p, to });
      }
    }
  }
  return edges;
}
