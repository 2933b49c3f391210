import type { Pkg } from '../catalogers/types.js';

// CPE 2.3 candidates for a package, generated from its own name, version
// and group the way vulnerability scanners expect to find them (the same
// shape syft emits, so a scanner matching syft's SBOMs matches ours): the
// first is the primary CPE (CycloneDX `cpe`), the rest are alternatives.
// No dictionary: a product NVD names differently from its package keeps
// only the generated candidates.

// Formatted-string escaping: only letters, digits, '.', '-' and '_' stand
// unquoted; everything else (':', '+', '~', ...) gets a backslash.
const quote = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);
// Case is kept, as syft keeps it (rxjs/webSocket).
const field = (s: string) => quote(s.trim().replace(/\s+/g, '_'));

function format(vendor: string, product: string, version: string, update = '*'): string {
  const v = version && version !== '(devel)' && version !== 'UNKNOWN' ? quote(version) : '*';
  return `cpe:2.3:a:${field(vendor)}:${field(product)}:${v}:${update}:*:*:*:*:*:*`;
}

const underscored = (s: string) => s.replace(/-/g, '_');
const hyphenated = (s: string) => s.replace(/_/g, '-');
const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x.length > 0))];

/** The name and its '_' and '-' spellings (string_decoder is also string-decoder). */
const spellings = (name: string) => uniq([name, underscored(name), hyphenated(name)]);

/** 'a-b-c' → 'a-b', 'a': the name without its trailing parts, longest first, each in both spellings. */
function prefixes(name: string): string[] {
  const parts = name.split(/[-_]/);
  const out: string[] = [];
  for (let n = parts.length - 1; n >= 1; n--) {
    out.push(...spellings(parts.slice(0, n).join('-')));
  }
  return out;
}

// syft ranks candidates most specific first: the longest vendor + product,
// then by text; ranking ours the same way makes the primaries agree.
function cross(vendors: string[], products: string[], version: string): string[] {
  const out: { cpe: string; length: number }[] = [];
  for (const v of uniq(vendors)) for (const p of uniq(products)) out.push({ cpe: format(v, p, version), length: v.length + p.length });
  out.sort((a, b) => b.length - a.length || (a.cpe < b.cpe ? -1 : a.cpe > b.cpe ? 1 : 0));
  return uniq(out.map((c) => c.cpe));
}

function goCpes(p: Pkg): string[] {
  if (p.name === 'stdlib') return [format('golang', 'go', p.version.replace(/^go/, ''), '-')];
  const parts = p.name.split('/');
  if (parts.length < 2) return [];
  const product = parts[parts.length - 1]!;
  // golang.org/x/* are the Go project's own modules
  const vendor = parts[0] === 'golang.org' && parts[1] === 'x' ? 'golang' : parts[parts.length - 2]!;
  return [format(vendor, product, p.version)];
}

function javaCpes(p: Pkg): string[] {
  const group = p.group ?? '';
  const name = p.name;
  // Apache Commons and other org.apache artifacts are named by NVD under vendor apache, product per word.
  if (group.startsWith('org.apache') || group.startsWith('commons-')) {
    return cross(['apache'], [...spellings(name), ...(name.includes('-') ? name.split('-') : [])], p.version);
  }
  const groupVendors = group ? [group, group.split('.').pop()!] : [];
  return cross([...spellings(name), ...groupVendors.filter((g) => !['com', 'org', 'net', 'io'].includes(g)), ...prefixes(name)], spellings(name), p.version);
}

// A scoped name stays whole ('@babel/core' is vendor and product, '@' and
// '/' quoted), as syft generates it: the scope alone names no product.
function npmCpes(p: Pkg): string[] {
  return cross([...spellings(p.name), ...prefixes(p.name)], spellings(p.name), p.version);
}

function pythonCpes(p: Pkg): string[] {
  const name = p.name.toLowerCase();
  // syft's order without an author: the python- spelling first
  const products = [...spellings(`python-${name}`), ...spellings(name)];
  return cross([...spellings(`python-${name}`), ...spellings(name), ...prefixes(name), 'python'], products, p.version);
}

function phpCpes(p: Pkg): string[] {
  const [vendor, product] = p.name.includes('/') ? p.name.split('/', 2) : [p.name, p.name];
  return cross([...spellings(vendor!), ...spellings(product!)], spellings(product!), p.version);
}

/** CPE 2.3 strings for a package, primary first; [] when the name gives none. */
export function cpesFor(p: Pkg): string[] {
  if (!p.name) return [];
  if (p.cpes) return p.cpes;
  switch (p.type) {
    case 'go-module':
      return goCpes(p);
    case 'java-archive':
      return javaCpes(p);
    case 'npm':
      return npmCpes(p);
    case 'python':
      return pythonCpes(p);
    case 'php-composer':
      return phpCpes(p);
    default: // deb, rpm, apk, gem, rust-crate, dotnet: the package name is the product
      return cross([...spellings(p.name), ...prefixes(p.name)], spellings(p.name), p.version);
  }
}
