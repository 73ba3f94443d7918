import { existsSync, rmSync } from 'node:fs';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { generateFernetKey, keyFingerprint, parseFernetKey } from '../../../crypto/fernet.js';
import { createSecretFile } from '../../../crypto/secret-file.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { LOGGER, OPTIONS } from '../../../kernel/tokens.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import { decideRotateMasterKey, keysToRewrap } from '../../domain/keyring.decider.js';
import { Keyring } from '../../keyring.js';
import { KeysWriter } from '../../keys-writer.js';
import { finishSwap, nextKeyFile } from '../../master-key-file.js';
import { RotateMasterKeyCommand, type RotateMasterKeyResult } from './rotate-master-key.command.js';

/**
 * New master key: written to `<file>.next` first, then MasterKeyRotated (the keys rewrapped) is made
 * durable, then the files are swapped. A crash between any two steps is finished at start-up.
 */
@CommandHandler(RotateMasterKeyCommand)
export class RotateMasterKeyHandler extends GatedHandler<RotateMasterKeyCommand, RotateMasterKeyResult> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly keyring: Keyring,
    private readonly keysWriter: KeysWriter,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  protected async handle(_input: object, ticket: Ticket): Promise<RotateMasterKeyResult> {
    const file = this.options.masterKeyFile;
    const next = nextKeyFile(file);
    const before = this.projection.keys;
    if (!before.auditKey || !before.masterKeyId) throw new StrongroomError(ErrorCode.NotInitialised, 'the store is not initialised');
    // A leftover .next that the log never adopted belongs to an attempt that did not commit.
    if (existsSync(next)) rmSync(next);
    const text = generateFernetKey();
    const newMaster = parseFernetKey(text);
    const masterKeyId = keyFingerprint(newMaster);
    createSecretFile(next, text + '\n');
    const auditKeyId = before.auditKey.keyId;
    // Every replica's writes so far must be in view, so no key a current secret uses is left behind.
    await ticket.catchUp();
    let rewrappedCount = 0;
    const { position } = await this.keysWriter.write(ticket, (state) => {
      const keysInUse = new Set([...this.projection.liveSecrets()].map((s) => s.keyId));
      const rewrapped = this.keyring.rewrapUnder(newMaster, auditKeyId, keysToRewrap(state, keysInUse));
      rewrappedCount = rewrapped.length;
      return decideRotateMasterKey(state, { masterKeyId, rewrapped, keysInUse });
    });
    this.keyring.adoptMaster(newMaster);
    const previousKeyFile = finishSwap(file, before.masterKeyId);
    this.logger.warn({ previousKeyFile }, 'master key rotated; back up the new key');
    return { previousMasterKeyId: before.masterKeyId, masterKeyId, rewrapped: rewrappedCount, previousKeyFile, position };
  }
}
