import type { FernetKey } from '../crypto/fernet.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { KeyringState } from './domain/keyring-state.js';
import { planMasterKeyFile } from './domain/master-key-files.js';
import { Keyring } from './keyring.js';
import { installKeyFile, isFileSystemRefusal, loadKeyFile, refusalReason, seeMasterKeyFiles, type LoadedMasterKey } from './master-key-file.js';

/**
 * Puts the key the log expects into the master key file when a crash (or an older Strongroom) left it
 * beside the file, and returns the key to run on. When the file cannot be replaced (a mounted secret), the
 * key the log expects is used from where it is, with an error logged saying what the operator must install,
 * so the store still starts. Throws KEY_UNAVAILABLE, naming the key ids expected and why, when no key opens it.
 *
 * `state` is the keyring folded from the `keys` stream. Returns the key to use and the other key files'
 * keys beside the master key file (by key id; in memory only).
 */
export const reconcileMasterKeyFile = (
  file: string,
  state: KeyringState,
  logger: Logger,
): { master: LoadedMasterKey; beside: ReadonlyMap<string, FernetKey> } => {
  const { seen, keys, skipped } = seeMasterKeyFiles(file);
  for (const s of skipped) logger.warn({ path: s.path, reason: s.reason }, 'ignored an unreadable key file beside the master key file');
  const beside = new Map([...keys.values()].map((k) => [k.keyId, k.key] as const));
  const plan = planMasterKeyFile(seen, state);
  switch (plan.kind) {
    case 'use-file':
      return { master: loadKeyFile(file), beside };
    case 'install': {
      try {
        installKeyFile(file, plan.from.path, plan.keep, plan.from.keyId);
        logger.warn({ file, from: plan.from.path, kept: plan.keep, masterKeyId: plan.from.keyId }, `put the master key the log expects in place (${plan.why})`);
        return { master: loadKeyFile(file), beside };
      } catch (e) {
        // Either key opens the store, so failing to move files never stops a start: say why, and run.
        const why = isFileSystemRefusal(e) ? refusalReason(file, e) : `${file} could not be replaced (${errorName(e)})`;
        const useFrom = plan.ifImpossible === 'use-from';
        logger.error(
          { file, keyFile: plan.from.path, masterKeyId: plan.from.keyId, reason: errorName(e) },
          useFrom
            ? `running on master key ${plan.from.keyId} from ${plan.from.path}, because ${why} and holds another key. ` +
                `Install ${plan.from.path} where ${file} comes from (e.g. the mounted secret's source) now: if this file is lost, so is the store`
            : `could not finish the master-key swap (${plan.why}): ${why}; running on the key in ${file}`,
        );
        const key = useFrom ? keys.get(plan.from.path) : undefined;
        return { master: key ?? loadKeyFile(file), beside };
      }
    }
    case 'unavailable':
      throw new StrongroomError(ErrorCode.KeyUnavailable, plan.message, plan.details);
    default: {
      const exhaustive: never = plan;
      return exhaustive;
    }
  }
};

/**
 * The start-up keyring of a store that holds data: the master key the log expects (see
 * `reconcileMasterKeyFile`), plus the former master keys kept beside it that still wrap retired data keys.
 */
export const openKeyring = (file: string, state: KeyringState, logger: Logger): Keyring => {
  const { master, beside } = reconcileMasterKeyFile(file, state, logger);
  const wrapping = new Set([...state.dataKeys.values()].map((k) => k.masterKeyId));
  const former = new Map([...beside].filter(([keyId]) => keyId !== master.keyId && wrapping.has(keyId)));
  return new Keyring(master.key, master.keyId, former, file);
};

const errorName = (e: unknown): string =>
  e instanceof StrongroomError ? e.code : typeof (e as NodeJS.ErrnoException)?.code === 'string' ? String((e as NodeJS.ErrnoException).code) : 'UNEXPECTED';
