import type { CatalogResult, Pkg } from '../catalogers/types.js';

// A string a cataloger cut out of a file's text (a regex group, slice, split
// or trim of it) is, in V8, a view that keeps the whole text alive. Packages
// are held until the scan ends, so one license name could pin a 100 KB
// copyright file; on the benchmark image those pinned texts made V8 run ~3×
// as many full GCs while the later layers streamed (~0.4 s of CPU). Each kept
// string is copied once here, so the texts die with the parse.
// JSON round trip: a new string of the same UTF-16 units, lone surrogates
// (the scanner's U+DC80.. escapes of non-UTF-8 names) included.
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
const ownAll = (list: string[] | undefined): string[] | undefined => list?.map(own);

// In place: relationships refer to the package objects themselves.
export function detachStrings(result: CatalogResult): CatalogResult {
  for (const p of result.packages) detachPkg(p);
  return result;
}

function detachPkg(p: Pkg): void {
  p.name = own(p.name);
  p.version = own(p.version);
  p.purl = own(p.purl);
  p.licenses = p.licenses.map(own);
  if (p.group !== undefined) p.group = own(p.group);
  if (p.requires) p.requires = ownAll(p.requires);
  if (p.provides) p.provides = ownAll(p.provides);
  if (p.cpes) p.cpes = ownAll(p.cpes);
}
