import { readFileSync, statSync } from 'node:fs';
import { ActionError, errorLine } from './errors.js';
import { PREDICATE_TYPE_NAMES } from './formats/predicates.js';

// The `predicates` input: one `predicate-type=path` a line, each a JSON
// document signed as the predicate of an in-toto statement about every
// subject of the run. The type is a URI or one of cosign's --type names
// (openvex, vuln, ...), mapped to the URI cosign attests under, so that
// `cosign verify-attestation --type openvex` finds it.

export interface CustomPredicate {
  predicateType: string; // the URI in the statement
  name?: string; // the cosign --type name it was given as, if any
  path: string;
  document: object;
}

export interface PredicateSpec {
  predicateType: string;
  name?: string;
  path: string;
}

// Pure: the input text to (type, path) pairs. A line splits at its first
// `=`: a URI with `=` in it (a query) is not a predicate type in practice,
// a path with `=` still works.
export function parsePredicatesInput(raw: string): PredicateSpec[] {
  const out: PredicateSpec[] = [];
  for (const [i, line] of raw.split('\n').entries()) {
    const item = line.trim();
    if (!item || item.startsWith('#')) continue;
    const eq = item.indexOf('=');
    const type = eq < 0 ? '' : item.slice(0, eq).trim();
    const path = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (!type || !path) {
      throw new ActionError(
        'INPUT',
        `predicates: line ${i + 1} "${item}" is not predicate-type=path; write for example openvex=vex.json or https://example.com/test-result/v1=results.json`,
      );
    }
    const name = type.toLowerCase();
    const known = PREDICATE_TYPE_NAMES[name];
    if (!known && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(type)) {
      throw new ActionError(
        'INPUT',
        `predicates: line ${i + 1}: "${type}" is neither a predicate type URI nor one of cosign's --type names (${Object.keys(PREDICATE_TYPE_NAMES).join(', ')})`,
      );
    }
    const spec: PredicateSpec = known ? { predicateType: known, name, path } : { predicateType: type, path };
    if (out.some((p) => p.predicateType === spec.predicateType && p.path === spec.path)) continue;
    out.push(spec);
  }
  return out;
}

// Reads each document now, so a missing or broken file fails the run before
// anything is signed. A predicate is a JSON object (in-toto's rule).
export function readPredicates(specs: PredicateSpec[]): CustomPredicate[] {
  return specs.map((spec) => {
    const where = `predicates: ${spec.path}`;
    let text: string;
    try {
      if (!statSync(spec.path).isFile()) throw new Error('not a regular file');
      text = readFileSync(spec.path, 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ActionError(
        'INPUT',
        `${where} ${missing ? 'does not exist' : `cannot be read (${errorLine(err)})`}; pass the path of the ${spec.name ?? spec.predicateType} JSON document`,
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ActionError('INPUT', `${where} is not JSON (${errorLine(err)}); a predicate must be a JSON document`);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ActionError(
        'INPUT',
        `${where} is JSON but not an object (${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc}); an in-toto predicate is a JSON object`,
      );
    }
    return { ...spec, document: doc };
  });
}

// A file name for the predicate's bundle: the cosign name when it had one,
// else the last word of the URI, made safe.
export function predicateSlug(p: { predicateType: string; name?: string }): string {
  if (p.name) return p.name;
  const words = p.predicateType
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[/#?]+/)
    .filter(Boolean);
  const base = words.filter((w) => !/^v?\d+(\.\d+)*$/.test(w)).pop() ?? words.pop() ?? 'predicate';
  return (
    base
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .toLowerCase() || 'predicate'
  );
}
