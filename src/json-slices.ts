import { StreamedBody } from './http.js';

// JSON text in slices: the same characters as JSON.stringify(value), for a
// value too large to hold again as one string (a bundle whose payload is
// megabytes) and then again as its UTF-8 bytes. A long string is cut into
// slices too. Plain data (what JSON.parse makes, plus toJSON); no replacer,
// no indent, no cycle check.

export const SLICE_CHARS = 64 * 1024;

export function* jsonSlices(value: unknown, sliceChars = SLICE_CHARS): Generator<string, void, undefined> {
  let pending = '';
  // Small pieces are gathered until a slice is full; a long string's slice
  // goes out as it is (a view of the string, not a copy).
  function* put(text: string): Generator<string, void, undefined> {
    if (pending.length + text.length < sliceChars) {
      pending += text;
      return;
    }
    if (pending) yield pending;
    pending = '';
    if (text.length >= sliceChars) yield text;
    else pending = text;
  }
  function* write(v: unknown): Generator<string, void, undefined> {
    if (typeof v === 'string' && v.length > sliceChars) {
      yield* put('"');
      // Base64 (a bundle's payload) needs no escapes: its slices are the text itself.
      const plain = PLAIN.test(v);
      for (let i = 0; i < v.length;) {
        let end = Math.min(i + sliceChars, v.length);
        // A surrogate pair stays in one slice: apart, each half would be escaped as a lone one.
        if (isHighSurrogate(v.charCodeAt(end - 1))) end++;
        yield* put(plain ? v.slice(i, end) : JSON.stringify(v.slice(i, end)).slice(1, -1));
        i = end;
      }
      yield* put('"');
    } else if (Array.isArray(v)) {
      yield* put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) yield* put(',');
        const item = resolved(v[i], String(i));
        if (omitted(item)) yield* put('null');
        else yield* write(item);
      }
      yield* put(']');
    } else if (typeof v === 'object' && v !== null) {
      yield* put('{');
      let first = true;
      for (const key of Object.keys(v)) {
        const item = resolved((v as Record<string, unknown>)[key], key);
        if (omitted(item)) continue;
        yield* put(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        yield* write(item);
      }
      yield* put('}');
    } else {
      // Numbers, booleans, null and short strings as JSON.stringify writes them (a bigint throws, as there).
      yield* put(JSON.stringify(v));
    }
  }
  const top = resolved(value, '');
  if (omitted(top)) return;
  yield* write(top);
  if (pending) yield pending;
}

// The value JSON.stringify writes for `v` (its toJSON, as a Date has).
function resolved(v: unknown, key: string): unknown {
  const toJSON = typeof v === 'object' && v !== null ? (v as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(v, key) : v;
}

// One JSON line in slices (the text, then a newline), for writing a large
// document to a file without holding its text: fs writeFile takes the slices.
export function* jsonLine(value: unknown): Generator<string, void, undefined> {
  yield* jsonSlices(value);
  yield '\n';
}

// What JSON.stringify leaves out of an object (and writes as null in an array).
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

// Printable ASCII but `"` and `\`: what JSON.stringify writes unchanged.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

// `value` as a JSON request body that is never one string: each attempt
// encodes it afresh, slice by slice, and its size is known beforehand (one
// pass that only counts), so it goes with a Content-Length. `value` must not
// change while the body is in use.
export function jsonBody(value: unknown, sliceChars = SLICE_CHARS): StreamedBody & { length: number } {
  let length = 0;
  for (const s of jsonSlices(value, sliceChars)) length += Buffer.byteLength(s);
  const body = new StreamedBody(function* () {
    for (const s of jsonSlices(value, sliceChars)) yield Buffer.from(s);
  }, length);
  return body as StreamedBody & { length: number };
}
