import { describe, it, expect } from '@jest/globals';
import { jsonBody, jsonLine, jsonSlices } from '../../src/json-slices.js';

// What the streamed JSON must equal: JSON.stringify's text, character for character.
const VALUES: [string, unknown][] = [
  [
    'a bundle-like object with a long base64 string',
    { bundle: { mediaType: 'm', dsseEnvelope: { payload: Buffer.alloc(5000, 7).toString('base64'), signatures: [{ sig: 'c2ln', keyid: '' }] } } },
  ],
  ['escapes and non-ASCII in long and short strings', { 'k"\\\n': 'é'.repeat(300) + '"\\\u0001\t' + '😀'.repeat(333) + '\u2028', short: 'ü"' }],
  ['surrogate pairs and lone surrogates on every slice boundary', ['a😀'.repeat(200), '\ud800x'.repeat(100), 'x\udc00'.repeat(100), '\ud83d']],
  [
    'what JSON.stringify leaves out or writes as null',
    { a: undefined, f: () => 1, s: Symbol('s'), arr: [undefined, () => 1, Symbol('t'), null, NaN, -0, 1e21, true], n: null },
  ],
  ['toJSON, as a Date has', { when: new Date(0), custom: { toJSON: (key: string) => `key ${key}` }, list: [{ toJSON: () => undefined }] }],
  ['empty containers, nesting, top-level scalars', { a: [], b: {}, c: [[[{}]]], d: [{ e: [1, 'two', { f: 3 }] }] }],
  ['a top-level long string', 'q'.repeat(1000)],
  ['a number', 42],
];

describe('jsonSlices', () => {
  it.each(VALUES)('equals JSON.stringify for %s, at any slice size', (_name, value) => {
    for (const size of [1, 2, 3, 7, 64, 1000, 1 << 16]) {
      const slices = [...jsonSlices(value, size)];
      expect(slices.join('')).toBe(JSON.stringify(value));
      // Slices stay small: long strings are cut, small pieces gathered (an escape writes up to 6 characters for 1).
      if (size >= 64) expect(Math.max(...slices.map((s) => s.length))).toBeLessThan(7 * size + 64);
    }
  });

  it('writes nothing for what JSON.stringify turns into undefined, and throws on a bigint as it does', () => {
    expect([...jsonSlices(undefined)]).toEqual([]);
    expect(() => [...jsonSlices({ n: 1n })]).toThrow(TypeError);
  });
});

describe('jsonBody', () => {
  it('knows its UTF-8 length and yields the same bytes on every opening', async () => {
    const value = VALUES[1]?.[1];
    const body = jsonBody(value, 100);
    const expected = Buffer.from(JSON.stringify(value));
    expect(body.length).toBe(expected.length);
    for (let i = 0; i < 2; i++) {
      const chunks: Uint8Array[] = [];
      for await (const c of body.open()) chunks.push(c);
      expect(chunks.length).toBeGreaterThan(5);
      expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    }
  });
});

describe('jsonLine', () => {
  it('is the JSON text and a newline, as a bundle file is written', () => {
    const value = VALUES[0]?.[1];
    expect([...jsonLine(value)].join('')).toBe(JSON.stringify(value) + '\n');
  });
});
