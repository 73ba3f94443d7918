import type { Strongroom } from '../../../bootstrap/strongroom.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { assignVariables } from '../../domain/environment-variables.js';
import { ListSecrets } from '../list-secrets/list-secrets.use-case.js';
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
 * so a refused export leaves no access events for values nobody received. Then one ExportSecrets call
 * reads the chosen secrets (audited, all or nothing).
 * @throws INVALID_INPUT for a binary secret or a variable collision; what ListSecrets/ExportSecrets throw.
 */
export const readTextExport = async (strongroom: Strongroom, request: TextExportRequest): Promise<TextExport> => {
  const { env } = request;
  const listed = await strongroom.execute(ListSecrets, { env });
  const refuseBinary = (binary: boolean, name: string): void => {
    if (binary) throw new StrongroomError(ErrorCode.InvalidInput, `${name} is a binary value; environment variables and text formats cannot carry it (read it with get-secret)`);
  };
  let names: string[];
  let variables: Map<string, string> | undefined;
  if ('mapping' in request) {
    names = [...new Set(request.mapping.values())];
    for (const s of listed) if (names.includes(s.name) || names.includes(s.id)) refuseBinary(s.binary, s.name);
  } else {
    const chosen = listed.filter((s) => s.name.startsWith(request.prefix));
    for (const s of chosen) refuseBinary(s.binary, s.name);
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
