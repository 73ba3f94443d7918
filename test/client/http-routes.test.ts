import { CATALOGUE } from '../../src/catalogue.js';
import { HTTP_ROUTES } from '../../src/client/http-routes.js';

/**
 * The SDK's hand-written route table (it cannot import the catalogue, which loads the server) against
 * the catalogue: every use case with an HTTP route is in the table, every table entry is a use case, and
 * the request each entry plans matches one of that use case's declared routes.
 */
const SAMPLE = { env: 'e1', ref: 'app%2Fdb', name: 'n1', tokenId: 't1' };

const matches = (template: string, path: string): boolean =>
  new RegExp(`^${template.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(path);

describe('the SDK route table', () => {
  it('covers every use case the HTTP API offers, and names no other', () => {
    const offered = CATALOGUE.filter((s) => (s.useCase.http ?? []).length > 0).map((s) => s.useCase.name);
    expect(Object.keys(HTTP_ROUTES).sort()).toEqual([...offered].sort());
  });

  it.each(Object.keys(HTTP_ROUTES))('%s plans a request on one of its declared routes', (name) => {
    const useCase = CATALOGUE.find((s) => s.useCase.name === name)?.useCase;
    const plan = HTTP_ROUTES[name]?.({ env: SAMPLE.env, ref: 'app/db', name: SAMPLE.name, tokenId: SAMPLE.tokenId });
    expect(plan).toBeDefined();
    const declared = (useCase?.http ?? []).filter((r) => r.method === plan?.method);
    expect(declared.some((r) => matches(r.path, plan?.path ?? ''))).toBe(true);
    // A secret name's slashes travel encoded, as one path segment.
    if (plan?.path.includes('/secrets/')) expect(plan.path).toContain(SAMPLE.ref);
  });
});
