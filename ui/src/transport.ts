/**
 * TEMPORARY: how the console reaches the API until the TypeScript SDK (src/client, StrongroomClient)
 * lands on main; then `call` below is replaced by the SDK's and this file goes. Only api.ts uses it.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Plan {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, unknown>;
  readonly body?: Record<string, unknown>;
  readonly unwrap?: string;
}

type Input = Record<string, unknown>;
const seg = (v: unknown): string => encodeURIComponent(String(v));
const without = (input: Input, ...taken: string[]): Input => Object.fromEntries(Object.entries(input).filter(([k, v]) => !taken.includes(k) && v !== undefined));
const envPath = (i: Input): string => `/v1/envs/${seg(i.env ?? 'default')}`;
const secretPath = (i: Input): string => `${envPath(i)}/secrets/${seg(i.ref)}`;

const ROUTES: Readonly<Record<string, (i: Input) => Plan>> = {
  ListEnvironments: () => ({ method: 'GET', path: '/v1/envs', unwrap: 'environments' }),
  ListSecrets: (i) => ({ method: 'GET', path: `${envPath(i)}/secrets`, query: without(i, 'env') }),
  GetSecret: (i) => ({ method: 'GET', path: secretPath(i), query: without(i, 'env', 'ref') }),
  GetSecretHistory: (i) => ({ method: 'GET', path: `${secretPath(i)}/history` }),
  UpdateSecret: (i) => ({ method: 'PUT', path: secretPath(i), body: without(i, 'env', 'ref') }),
  RotateSecret: (i) => ({ method: 'POST', path: `${secretPath(i)}/rotate`, body: without(i, 'env', 'ref') }),
  PromoteVersion: (i) => ({ method: 'POST', path: `${secretPath(i)}/promote`, body: without(i, 'env', 'ref') }),
  DeleteSecret: (i) => ({ method: 'DELETE', path: secretPath(i), query: without(i, 'env', 'ref') }),
  RestoreSecret: (i) => ({ method: 'POST', path: `${secretPath(i)}/restore`, body: without(i, 'env', 'ref') }),
  GetRotationStatus: (i) => ({ method: 'GET', path: `${envPath(i)}/rotation-status`, query: without(i, 'env') }),
  GetAuditTrail: (i) => {
    const { ref, ...query } = without(i);
    return { method: 'GET', path: '/v1/audit', query: { ...query, ...(ref !== undefined && { secret: ref }) }, unwrap: 'entries' };
  },
  VerifyAuditLog: () => ({ method: 'GET', path: '/v1/audit/verify' }),
  RotateKey: (i) => ({ method: 'POST', path: `${envPath(i)}/keys/rotate`, body: without(i, 'env') }),
  GetKeyRotations: (i) => ({ method: 'GET', path: `${envPath(i)}/keys/rotations` }),
  CreateToken: (i) => ({ method: 'POST', path: '/v1/tokens', body: i }),
  ListTokens: (i) => ({ method: 'GET', path: '/v1/tokens', query: i, unwrap: 'tokens' }),
  RevokeToken: (i) => ({ method: 'DELETE', path: `/v1/tokens/${seg(i.tokenId)}`, query: without(i, 'tokenId') }),
  SetPolicy: (i) => ({ method: 'PUT', path: `/v1/policies/${seg(i.name)}`, body: without(i, 'name') }),
  GetPolicy: (i) => ({ method: 'GET', path: `/v1/policies/${seg(i.name)}`, query: without(i, 'name') }),
  ListPolicies: () => ({ method: 'GET', path: '/v1/policies', unwrap: 'policies' }),
};

const queryString = (query: Input | undefined): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) params.append(k, String(one));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

/** One use case over HTTP, by its catalogue name; failures as ApiError with the server's code. */
export const call = async (token: string, useCase: string, input: Input): Promise<unknown> => {
  const route = ROUTES[useCase];
  if (route === undefined) throw new ApiError('UNKNOWN_OPERATION', `no route for ${useCase}`);
  const plan = route(input);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (plan.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(plan.path + queryString(plan.query), { method: plan.method, headers, body: plan.body && JSON.stringify(plan.body), cache: 'no-store' });
  } catch {
    throw new ApiError('UNREACHABLE', 'no answer from the server');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('BAD_RESPONSE', `the server answered ${response.status} with a body that is not JSON`, response.status);
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(error?.code ?? 'BAD_RESPONSE', error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return plan.unwrap === undefined ? json : (json as Record<string, unknown>)[plan.unwrap];
};
