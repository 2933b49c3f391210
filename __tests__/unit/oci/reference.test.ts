import { describe, it, expect } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { digestTag, parseReference, registryBaseURL } from '../../../src/oci/reference.js';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

describe('parseReference', () => {
  it('splits registry/repository:tag', () => {
    expect(parseReference('ghcr.io/org/app:v1.2.3')).toEqual({ registry: 'ghcr.io', repository: 'org/app', tag: 'v1.2.3', digest: undefined });
  });

  it('splits registry/repository@digest', () => {
    expect(parseReference(`ghcr.io/org/team/app@${DIGEST}`)).toEqual({ registry: 'ghcr.io', repository: 'org/team/app', tag: undefined, digest: DIGEST });
  });

  it('keeps both tag and digest when given tag@digest', () => {
    const ref = parseReference(`ghcr.io/org/app:v1@${DIGEST}`);
    expect(ref).toMatchObject({ registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest: DIGEST });
  });

  it.each([
    ['nginx', 'library/nginx'],
    ['nginx:1.27', 'library/nginx'],
    ['docker.io/nginx', 'library/nginx'],
    ['index.docker.io/nginx', 'library/nginx'],
    ['docker.io/library/nginx', 'library/nginx'],
    ['someuser/app', 'someuser/app'],
    ['docker.io/someuser/app', 'someuser/app'],
  ])('normalises Docker Hub name %s to registry-1.docker.io/%s', (input, repository) => {
    const ref = parseReference(input);
    expect(ref.registry).toBe('registry-1.docker.io');
    expect(ref.repository).toBe(repository);
  });

  it('treats localhost:5000 as a registry host, not a tag', () => {
    expect(parseReference('localhost:5000/app:dev')).toMatchObject({ registry: 'localhost:5000', repository: 'app', tag: 'dev' });
    expect(parseReference(`localhost:5000/a/b@${DIGEST}`)).toMatchObject({ registry: 'localhost:5000', repository: 'a/b', digest: DIGEST });
  });

  it('treats bare localhost as a registry host', () => {
    expect(parseReference('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app' });
  });

  it('trims surrounding whitespace', () => {
    expect(parseReference(`  ghcr.io/org/app@${DIGEST}\n`)).toMatchObject({ registry: 'ghcr.io', repository: 'org/app', digest: DIGEST });
  });

  it.each([
    ['uppercase repository', 'ghcr.io/Org/App:v1', /lowercase/],
    ['internal whitespace', 'ghcr.io/org/ app', /whitespace/],
    ['empty input', '   ', /empty/],
    ['short digest', 'ghcr.io/org/app@sha256:abc', /sha256 digest/],
    ['uppercase hex digest', `ghcr.io/org/app@sha256:${'A'.repeat(64)}`, /sha256 digest/],
    ['non-sha256 digest', `ghcr.io/org/app@sha512:${'a'.repeat(128)}`, /sha256 digest/],
    ['digest without algorithm', `ghcr.io/org/app@${HEX}`, /sha256 digest/],
    ['empty repository component', 'ghcr.io/org//app', /missing repository/],
    ['bad tag', 'ghcr.io/org/app:-bad', /not a valid tag/],
  ])('rejects %s with an INPUT error naming the images input', (_why, input, reason) => {
    let err: unknown;
    try {
      parseReference(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).code).toBe('INPUT');
    expect((err as ActionError).message).toMatch(/^images: /);
    expect((err as ActionError).message).toMatch(reason);
  });
});

describe('digestTag', () => {
  it('replaces the colon with a dash', () => {
    expect(digestTag(DIGEST)).toBe(`sha256-${HEX}`);
  });

  it.each(['.sig', '.att', '.sbom'])('appends the cosign suffix %s', (suffix) => {
    expect(digestTag(DIGEST, suffix)).toBe(`sha256-${HEX}${suffix}`);
  });

  it('truncates the algorithm to 32 and the encoded part to 64 characters', () => {
    const alg = 'x'.repeat(40);
    const enc = 'b'.repeat(100);
    expect(digestTag(`${alg}:${enc}`)).toBe(`${'x'.repeat(32)}-${'b'.repeat(64)}`);
  });
});

describe('registryBaseURL', () => {
  it.each(['localhost', 'localhost:5000', '127.0.0.1', '127.0.0.1:5000', '127.1.2.3:8080', '[::1]', '[::1]:5000'])('uses plain http for loopback %s', (host) => {
    expect(registryBaseURL(host)).toBe(`http://${host}`);
  });

  it.each(['ghcr.io', 'registry-1.docker.io', 'registry.example.com:5000', '10.0.0.5:5000', 'localhost.example.com', '127.0.0.1.nip.io'])(
    'uses https for non-loopback %s',
    (host) => {
      expect(registryBaseURL(host)).toBe(`https://${host}`);
    },
  );
});
