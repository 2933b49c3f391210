import { describe, it, expect } from '@jest/globals';
import { cosignSignStatement, simpleSigningPayload, statement } from '../../../src/formats/statements.js';

const HEX = '0123456789abcdef'.repeat(4);
const DIGEST = `sha256:${HEX}`;

describe('simpleSigningPayload', () => {
  it('produces the exact bytes of Go field order (wire-formats §1)', () => {
    const bytes = simpleSigningPayload('ghcr.io/org/app', DIGEST);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString('utf8')).toBe(
      '{"critical":{"identity":{"docker-reference":"ghcr.io/org/app"},' +
        `"image":{"docker-manifest-digest":"${DIGEST}"},` +
        '"type":"cosign container image signature"},"optional":null}',
    );
  });

  it('keeps the full sha256: prefixed digest in docker-manifest-digest', () => {
    const parsed = JSON.parse(simpleSigningPayload('r/a', DIGEST).toString()) as { critical: { image: Record<string, string> } };
    expect(parsed.critical.image['docker-manifest-digest']).toBe(DIGEST);
  });
});

describe('statement', () => {
  const predicate = { buildDefinition: { buildType: 'x' } };
  const parse = (b: Buffer) => JSON.parse(b.toString('utf8')) as Record<string, unknown>;

  it('has exactly _type, subject, predicateType and predicate', () => {
    const s = parse(statement([{ name: 'ghcr.io/org/app', digest: DIGEST }], 'https://slsa.dev/provenance/v1', predicate));
    expect(Object.keys(s)).toEqual(['_type', 'subject', 'predicateType', 'predicate']);
    expect(s['_type']).toBe('https://in-toto.io/Statement/v1');
    expect(s['predicateType']).toBe('https://slsa.dev/provenance/v1');
    expect(s['predicate']).toEqual(predicate);
  });

  it('writes the subject digest as bare hex under sha256', () => {
    const s = parse(statement([{ name: 'ghcr.io/org/app', digest: DIGEST }], 'https://cyclonedx.org/bom', {}));
    expect(s['subject']).toEqual([{ name: 'ghcr.io/org/app', digest: { sha256: HEX } }]);
  });

  it('keeps one subject entry per subject, in order', () => {
    const other = `sha256:${'f'.repeat(64)}`;
    const s = parse(
      statement(
        [
          { name: 'a', digest: DIGEST },
          { name: 'b', digest: other },
        ],
        'https://cyclonedx.org/bom',
        {},
      ),
    );
    expect(s['subject']).toEqual([
      { name: 'a', digest: { sha256: HEX } },
      { name: 'b', digest: { sha256: 'f'.repeat(64) } },
    ]);
  });
});

describe('cosignSignStatement', () => {
  it('is a cosign/sign/v1 statement naming the repository and digest, with an empty predicate', () => {
    const s = JSON.parse(cosignSignStatement('ghcr.io/o/app', DIGEST).toString('utf8')) as Record<string, unknown>;
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'ghcr.io/o/app', digest: { sha256: HEX } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    });
  });

  // sigstore-python (4.5.1) refuses a statement whose subject lacks the
  // "name" key; cosign v3 leaves it out of its own, so it must not be copied.
  it('serialises to the exact expected bytes, subject name first', () => {
    expect(cosignSignStatement('ghcr.io/o/app', DIGEST).toString('utf8')).toBe(
      `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"ghcr.io/o/app","digest":{"sha256":"${HEX}"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`,
    );
  });
});
