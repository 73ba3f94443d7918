import { canonicalSecretUrl } from '../../src/interfaces/http/secret-url.js';

describe('canonicalSecretUrl (names with slashes become one path segment)', () => {
  it.each([
    ['GET', '/v1/secrets', '/v1/secrets'],
    ['GET', '/v1/secrets/db', '/v1/secrets/db'],
    ['GET', '/v1/secrets/db/password', '/v1/secrets/db%2Fpassword'],
    ['GET', '/v1/secrets/db/password?version=2', '/v1/secrets/db%2Fpassword?version=2'],
    ['GET', '/v1/secrets/a/b/c/history', '/v1/secrets/a%2Fb%2Fc/history'],
    ['GET', '/v1/secrets/db/history', '/v1/secrets/db/history'],
    ['GET', '/v1/secrets/db/password/rotations', '/v1/secrets/db%2Fpassword/rotations'],
    ['GET', '/v1/secrets/db%2Fpassword/history', '/v1/secrets/db%2Fpassword/history'],
    ['POST', '/v1/secrets/db/password/rotate', '/v1/secrets/db%2Fpassword/rotate'],
    ['POST', '/v1/secrets', '/v1/secrets'],
    // Sub-resources exist per method: a DELETE of `app/rotate` is of the secret with that name.
    ['DELETE', '/v1/secrets/app/rotate', '/v1/secrets/app%2Frotate'],
    ['PUT', '/v1/secrets/app/history?x=1', '/v1/secrets/app%2Fhistory?x=1'],
    ['GET', '/v1/audit', '/v1/audit'],
    ['GET', '/healthz', '/healthz'],
  ])('%s %s -> %s', (method, url, expected) => {
    expect(canonicalSecretUrl(method, url)).toBe(expected);
  });
});
