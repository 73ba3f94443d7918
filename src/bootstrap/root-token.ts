import { existsSync } from 'node:fs';
import { ACCESS_SCHEMA_VERSIONS, tokenStream } from '../access/domain/access-events.js';
import { decideCreateToken } from '../access/domain/access.decider.js';
import { legacyTokenId, newToken, tokenHash, tokenIdOf } from '../access/token-format.js';
import { readSecretFile } from '../crypto/secret-file.js';
import { ExpectedRevisionConflictError } from '../event-store/event-store.port.js';
import { systemCaller } from '../kernel/caller.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { createdIfAbsent, type StrongroomRuntime } from './runtime.js';

/**
 * The root token and the `api-token` file (DESIGN.md section 9). A new home gets a root token: the file
 * (0600) is written first, then its digest is recorded, so a crash in between leaves a file that the
 * next start registers. A token in the file that the log has never seen is registered as root: that is
 * how an existing home's old-format token keeps working after the upgrade, and how an operator-
 * provisioned file is adopted. A token the log knows (even revoked) is never registered again.
 * Whoever can write the home can read the master key anyway, so the file confers nothing new.
 *
 * @returns the token text when this call created the file (for the caller to show once), else null.
 */
export const ensureRootToken = async (runtime: StrongroomRuntime, createIfMissing: boolean): Promise<string | null> => {
  const { apiTokenFile } = runtime.options;
  let created: string | null = null;
  if (!existsSync(apiTokenFile)) {
    if (!createIfMissing) return null;
    const token = newToken();
    if (createdIfAbsent(apiTokenFile, token.text + '\n')) created = token.text;
  }
  const text = readSecretFile(apiTokenFile, 'API token');
  const id = tokenIdOf(text);
  if (id === null) {
    throw new StrongroomError(ErrorCode.KeyUnavailable, `the API token file ${apiTokenFile} does not hold a Strongroom token; replace it, or remove it and create a root token with \`strongroom token create --root --name root\``);
  }
  const tokenId = id === 'legacy' ? legacyTokenId(text) : id;
  const access = runtime.projection.accessState;
  if (access.token(tokenId).token !== null) return created;
  const data = { tokenId, principal: 'root', kind: 'service' as const, policies: [], root: true, tokenHash: tokenHash(text), ...(id === 'legacy' && { legacy: true as const }) };
  try {
    await runtime.writePath.write(
      {
        stream: tokenStream(tokenId),
        state: () => access.token(tokenId),
        decide: (state) => decideCreateToken(state, data),
        schemaVersions: ACCESS_SCHEMA_VERSIONS,
        onConflict: 'fail',
      },
      systemCaller('root-token'),
    );
  } catch (e) {
    // Another replica registered the same file's token at the same moment: it is registered.
    if (!(e instanceof ExpectedRevisionConflictError) && !(e instanceof StrongroomError && e.code === ErrorCode.AlreadyExists)) throw e;
  }
  return created;
};
