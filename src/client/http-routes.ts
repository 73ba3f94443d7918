/**
 * Where each use case lives in the HTTP API (the routes the `*.http.controller.ts` files declare), for a
 * client that addresses use cases by name. Hand-written rather than read from the catalogue because the
 * catalogue imports the server (Nest, the handlers): the SDK must load none of that. A test checks every
 * entry here against the catalogue's routes, so the two cannot drift apart unnoticed.
 */
export interface HttpRequestPlan {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with every segment already URL-encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: Readonly<Record<string, unknown>>;
  /** The field of the response body that holds the result (list routes wrap their arrays). */
  readonly unwrap?: string;
  /** The response is text (the metrics exposition), not JSON. */
  readonly text?: boolean;
  /**
   * The response is JSON lines (a streamed report or export): read whole by `call` (the result is the
   * array of its lines), or line by line by `lines` (StrongroomClient.accessReport, exportAuditLog).
   */
  readonly lines?: boolean;
  /** The response never ends (a followed export): only `lines` can read it, never `call`. */
  readonly endless?: boolean;
}

type Input = Readonly<Record<string, unknown>>;
type Plan = (input: Input) => HttpRequestPlan;

const seg = (value: unknown): string => encodeURIComponent(String(value));

/** `input` without the fields the URL carries. */
const rest = (input: Input, ...taken: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([key, value]) => !taken.includes(key) && value !== undefined));

const env = (input: Input): string => `/v1/envs/${seg(input.env ?? 'default')}`;
const secret = (input: Input): string => `${env(input)}/secrets/${seg(input.ref)}`;

/** Body of a write whose value may be bytes: already JSON-encoded by the client (value | valueBase64). */
const secretPost =
  (sub: string): Plan =>
  (input) => ({ method: 'POST', path: `${secret(input)}/${sub}`, body: rest(input, 'env', 'ref') });

export const HTTP_ROUTES: Readonly<Record<string, Plan>> = {
  StoreSecret: (i) => ({ method: 'POST', path: `${env(i)}/secrets`, body: rest(i, 'env') }),
  GetSecret: (i) => ({ method: 'GET', path: secret(i), query: rest(i, 'env', 'ref') }),
  ExportSecrets: (i) => ({ method: 'POST', path: `${env(i)}/exports`, body: rest(i, 'env', 'minPosition') }),
  ListSecrets: (i) => ({ method: 'GET', path: `${env(i)}/secrets`, query: rest(i, 'env') }),
  UpdateSecret: (i) => ({ method: 'PUT', path: secret(i), body: rest(i, 'env', 'ref') }),
  UpdateSecretMetadata: (i) => ({ method: 'PATCH', path: secret(i), body: rest(i, 'env', 'ref') }),
  RotateSecret: secretPost('rotate'),
  DeleteSecret: (i) => ({ method: 'DELETE', path: secret(i), query: rest(i, 'env', 'ref') }),
  GetSecretHistory: (i) => ({ method: 'GET', path: `${secret(i)}/history` }),
  PutPendingVersion: secretPost('pending'),
  PromoteVersion: secretPost('promote'),
  RemoveStage: secretPost('unstage'),
  RestoreSecret: secretPost('restore'),
  DestroySecret: secretPost('destroy'),
  GetRotationStatus: (i) => ({ method: 'GET', path: `${env(i)}/rotation-status`, query: rest(i, 'env') }),
  GetAuditTrail: (i) => {
    const { ref, ...query } = rest(i);
    return { method: 'GET', path: '/v1/audit', query: { ...query, ...(ref !== undefined && { secret: ref }) }, unwrap: 'entries' };
  },
  VerifyAuditLog: (i) => {
    const checkpoint = i.checkpoint as { position?: unknown; hash?: unknown } | undefined;
    return { method: 'GET', path: '/v1/audit/verify', query: checkpoint ? { checkpointPosition: checkpoint.position, checkpointHash: checkpoint.hash } : {} };
  },
  RotateKey: (i) => ({ method: 'POST', path: `${env(i)}/keys/rotate`, body: rest(i, 'env') }),
  RotateMasterKey: (i) => ({ method: 'POST', path: '/v1/keys/master/rotate', body: rest(i) }),
  ConfirmMasterKeyRotation: () => ({ method: 'POST', path: '/v1/keys/master/confirm', body: {} }),
  CancelMasterKeyRotation: () => ({ method: 'POST', path: '/v1/keys/master/cancel', body: {} }),
  GetKeyRotations: (i) => ({ method: 'GET', path: `${env(i)}/keys/rotations` }),
  CreateEnvironment: (i) => ({ method: 'POST', path: '/v1/envs', body: rest(i) }),
  ListEnvironments: () => ({ method: 'GET', path: '/v1/envs', unwrap: 'environments' }),
  CreateToken: (i) => ({ method: 'POST', path: '/v1/tokens', body: rest(i) }),
  ListTokens: (i) => ({ method: 'GET', path: '/v1/tokens', query: rest(i), unwrap: 'tokens' }),
  RevokeToken: (i) => ({ method: 'DELETE', path: `/v1/tokens/${seg(i.tokenId)}`, query: rest(i, 'tokenId') }),
  RotateToken: (i) => ({ method: 'POST', path: `/v1/tokens/${seg(i.tokenId)}/rotate`, body: rest(i, 'tokenId') }),
  SetPolicy: (i) => ({ method: 'PUT', path: `/v1/policies/${seg(i.name)}`, body: rest(i, 'name') }),
  GetPolicy: (i) => ({ method: 'GET', path: `/v1/policies/${seg(i.name)}`, query: rest(i, 'name') }),
  ListPolicies: () => ({ method: 'GET', path: '/v1/policies', unwrap: 'policies' }),
  DescribeCaller: () => ({ method: 'GET', path: '/v1/whoami' }),
  DeletePolicy: (i) => ({ method: 'DELETE', path: `/v1/policies/${seg(i.name)}` }),
  GetMetrics: () => ({ method: 'GET', path: '/metrics', text: true }),
  GetStateAt: (i) => ({ method: 'GET', path: '/v1/state', query: rest(i) }),
  GetAccessReport: (i) => ({ method: 'GET', path: '/v1/audit/report', query: rest(i), lines: true }),
  ExportAuditLog: (i) => ({ method: 'GET', path: '/v1/audit/export', query: rest(i), lines: true, ...(i.follow === true && { endless: true }) }),
  ReplayPolicies: (i) => ({ method: 'POST', path: '/v1/audit/replay', body: rest(i, 'onProgress') }),
  SignCheckpoint: (i) => ({ method: 'POST', path: '/v1/audit/checkpoints', body: rest(i) }),
};
