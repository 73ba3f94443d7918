import type { UseCaseRunner } from '../../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { assignVariables } from '../../domain/environment-variables.js';
import { listAllSecrets } from '../list-secrets/list-all-secrets.js';
import type { SecretSummary } from '../list-secrets/list-secrets.query.js';
import { textValues } from './export-format.js';
import { ExportSecrets } from './export-secrets.use-case.js';

/** What the CLI asks for: the secrets under a prefix, or exactly the variables of a --map. */
export type TextExportRequest =
  | { readonly env: string; readonly prefix: string; readonly asVariables: boolean }
  | { readonly env: string; readonly mapping: ReadonlyMap<string, string> };

/** Text values by variable name (run, dotenv) or by secret name (json). */
export interface TextExport {
  readonly env: string;
  /** Secret name -> text value, in name order. */
  readonly values: ReadonlyMap<string, string>;
  /** Variable -> secret name, when variables were asked for. */
  readonly variables: ReadonlyMap<string, string> | undefined;
}

/**
 * For `run` and `export`: everything that would make the result unusable (a binary value, two secrets
 * mapping to one variable, nothing to read) is found from the listing, before a single value is read,
 * so a refused export leaves no access events for values nobody received. Deleted secrets (within their
 * recovery window) are not exported; an expired one refuses the export (SECRET_EXPIRED). Then one ExportSecrets call
 * reads the chosen secrets (audited, all or nothing).
 * @throws INVALID_INPUT for a binary secret or a variable collision; SECRET_EXPIRED; what ListSecrets/ExportSecrets throw.
 */
export const readTextExport = async (strongroom: UseCaseRunner, request: TextExportRequest): Promise<TextExport> => {
  const { env } = request;
  // A deleted secret (in its recovery window) is not exported; an expired one refuses the export.
  const listed = (await listAllSecrets(strongroom, env)).filter((s) => s.status !== 'deleted');
  const refuseUnusable = (s: SecretSummary): void => {
    if (s.binary) throw new StrongroomError(ErrorCode.InvalidInput, `${s.name} is a binary value; environment variables and text formats cannot carry it (read it with get-secret)`);
    if (s.status === 'expired') throw new StrongroomError(ErrorCode.SecretExpired, `secret ${s.name} expired at ${s.expiresAt}`, { ref: s.name, expiresAt: s.expiresAt });
  };
  let names: string[];
  let variables: Map<string, string> | undefined;
  if ('mapping' in request) {
    names = [...new Set(request.mapping.values())];
    for (const s of listed) if (names.includes(s.name) || names.includes(s.id)) refuseUnusable(s);
  } else {
    const chosen = listed.filter((s) => s.name.startsWith(request.prefix));
    for (const s of chosen) refuseUnusable(s);
    names = chosen.map((s) => s.name);
    if (request.asVariables) variables = assignVariables(names, request.prefix);
  }
  if (names.length === 0) return { env, values: new Map(), variables: variables ?? new Map() };
  const result = await strongroom.execute(ExportSecrets, { env, names });
  const values = textValues(result.secrets);
  if ('mapping' in request) {
    // A --map may name a secret by id; the export answers by name.
    const nameOf = new Map(result.secrets.flatMap((s) => [[s.id, s.name], [s.name, s.name]] as const));
    variables = new Map([...request.mapping].map(([variable, ref]) => [variable, nameOf.get(ref) as string]));
  }
  return { env, values, variables };
};
