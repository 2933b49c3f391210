import { describe, it, expect } from '@jest/globals';
import { parseChallenge } from '../../../src/oci/client.js';

describe('parseChallenge', () => {
  it('reads a Bearer challenge with realm, service and scope', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:org/app:pull' },
    });
  });

  it('keeps commas inside a quoted scope', () => {
    const ch = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"');
    expect(ch?.params['scope']).toBe('repository:library/nginx:pull,push');
    expect(ch?.params['service']).toBe('registry.docker.io');
  });

  it('tolerates spaces after commas and mixed-case scheme and parameter names', () => {
    expect(parseChallenge('BEARER Realm="https://r.example/token", Service="r.example"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://r.example/token', service: 'r.example' },
    });
  });

  it('reads a Basic challenge with a realm', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  it('reads a bare scheme with no parameters', () => {
    expect(parseChallenge('Basic')).toEqual({ scheme: 'basic', params: {} });
  });

  it('returns undefined for a missing or empty header', () => {
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
  });
});
