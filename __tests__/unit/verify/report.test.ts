import { describe, expect, it } from '@jest/globals';
import type { ImageVerdict } from '../../../src/verify/image.js';
import { failureLines, summaryMarkdown } from '../../../src/verify/report.js';

const verdict: ImageVerdict = {
  image: 'registry.example/app@sha256:abc',
  digest: 'sha256:abc',
  verified: false,
  signer: { san: 'https://github.com/<script>alert(1)</script>', issuer: 'https://issuer' },
  signatures: [{ kind: 'signature', format: 'cosign', source: 'sha256-abc.sig layer 0', verified: false, logIndexes: [7], reason: 'SET', error: 'bad SET | <b>' }],
  attestations: [],
  predicateTypes: [],
  logIndexes: [],
  failures: [{ reason: 'SET', message: 'registry.example/app@sha256:abc: cosign signature: bad SET' }],
};

describe('summaryMarkdown', () => {
  it('escapes registry-controlled text', () => {
    const md = summaryMarkdown([verdict]);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
    expect(md).toContain('&#60;script&#62;');
    // A pipe in an error must not open a new table cell.
    expect(md).toContain('bad SET &#124;');
  });
});

describe('failureLines', () => {
  it('gives one line per failure', () => {
    expect(failureLines([verdict, { ...verdict, failures: [] }])).toEqual(['registry.example/app@sha256:abc: cosign signature: bad SET']);
  });
});
