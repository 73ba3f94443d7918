import { Inject, Injectable } from '@nestjs/common';
import type { Ticket } from '../kernel/ticket.js';
import { IDS, LOGGER } from '../kernel/tokens.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import type { LiveSecret } from '../secrets/domain/secret-slot.js';
import { SecretSlots } from '../secrets/secret-slots.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { RotateKeyResult, RotationProgress } from './commands/rotate-key/rotate-key.command.js';
import type { KeyEvent } from './domain/key-events.js';
import { rotationInProgress } from './domain/keyring-state.js';
import { decideCompleteRotation, decideStartRotation } from './domain/keyring.decider.js';
import { Keyring } from './keyring.js';
import { KeysWriter } from './keys-writer.js';

/** Secrets re-encrypted concurrently: their appends share group commits. */
const CHUNK = 1024;

type Outcome = { kind: 'done' } | { kind: 'failed'; secret: LiveSecret; reason: string };

/**
 * Data-key rotation as a process recorded in the log: started → per secret re-encrypted (in the
 * secret's stream) or failed (in `keys`) → completed, retiring old keys nothing current needs. Every
 * step is idempotent, so a rotation interrupted at any point is simply run again on the next start.
 */
@Injectable()
export class KeyRotationRunner {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly keyring: Keyring,
    private readonly keysWriter: KeysWriter,
    private readonly slots: SecretSlots,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(ticket: Ticket, env: string, onProgress?: (p: RotationProgress) => void): Promise<RotateKeyResult> {
    const rotationId = this.ids.opaqueId();
    await this.keysWriter.write(ticket, (state) =>
      decideStartRotation(state, {
        env,
        rotationId,
        newKey: this.keyring.newWrappedKey(this.ids.opaqueId()),
        wrappingMasterKeyId: this.keyring.masterKeyId,
      }),
    );
    this.logger.info({ rotationId, env }, 'key rotation started');
    return this.run(ticket, env, onProgress);
  }

  /** Finishes the rotation in progress in `env`, if any (start-up resumes an interrupted one). */
  async resume(ticket: Ticket, env: string): Promise<RotateKeyResult | null> {
    const rotation = rotationInProgress(this.projection.keys, env);
    if (!rotation) return null;
    this.logger.warn({ rotationId: rotation.rotationId, env }, 'resuming an interrupted key rotation');
    return this.run(ticket, env);
  }

  private async run(ticket: Ticket, env: string, onProgress?: (p: RotationProgress) => void): Promise<RotateKeyResult> {
    const rotation = rotationInProgress(this.projection.keys, env);
    if (!rotation) throw new StrongroomError(ErrorCode.InvalidInput, `no key rotation is in progress in environment ${env}`);
    const { rotationId, newKeyId } = rotation;
    const alreadyFailed = new Set(rotation.failures.map((f) => `${f.secretId}:${f.version}:${f.keyId}`));
    // Deleted secrets within their recovery window too: a restore must find them under a live key.
    const targets = [...this.projection.allSecrets(env)].filter(
      (s) => s.keyId !== newKeyId && !alreadyFailed.has(`${s.id}:${s.version}:${s.keyId}`),
    );
    let reEncrypted = 0;
    onProgress?.({ rotationId, done: 0, total: targets.length });
    for (let i = 0; i < targets.length; i += CHUNK) {
      const chunk = targets.slice(i, i + CHUNK);
      const outcomes = await Promise.all(chunk.map((s) => this.reEncrypt(ticket, s.id, rotationId, newKeyId)));
      const failures: KeyEvent[] = [];
      for (const o of outcomes) {
        if (o.kind === 'done') reEncrypted++;
        else failures.push({ type: 'SecretReEncryptionFailed', data: { rotationId, secretId: o.secret.id, version: o.secret.version, keyId: o.secret.keyId, reason: o.reason } });
      }
      if (failures.length > 0) {
        await this.keysWriter.record(ticket, failures);
        this.logger.error({ rotationId, failed: failures.length }, 'secrets could not be re-encrypted; they keep their old key');
      }
      onProgress?.({ rotationId, done: Math.min(i + CHUNK, targets.length), total: targets.length });
    }
    const keysInUse = new Set<string>();
    for (const s of this.projection.allSecrets(env)) keysInUse.add(s.keyId);
    const { position } = await this.keysWriter.write(ticket, (state) => decideCompleteRotation(state, { rotationId, reEncrypted, keysInUse }));
    const done = this.projection.keys.rotations.find((r) => r.rotationId === rotationId);
    this.logger.info({ rotationId, reEncrypted, failed: done?.failures.length ?? 0 }, 'key rotation completed');
    return { rotationId, env, newKeyId, reEncrypted, failed: done?.failures.length ?? 0, retiredKeyIds: done?.retiredKeyIds ?? [], position };
  }

  /** Re-encrypts the current version of one secret; a concurrent change is re-read, a bad one recorded. */
  private async reEncrypt(ticket: Ticket, secretId: string, rotationId: string, newKeyId: string): Promise<Outcome> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const secret = this.projection.liveById(secretId);
      if (!secret || secret.keyId === newKeyId) return { kind: 'done' };
      let ciphertext: string;
      try {
        ciphertext = this.keyring.reEncrypt(secret.ciphertext, secret.keyId, newKeyId, secret.env);
      } catch (e) {
        if (e instanceof StrongroomError) return { kind: 'failed', secret, reason: e.code };
        throw e;
      }
      try {
        await this.slots.write(ticket, secret.env, secret.name, () => ({
          type: 'ReEncryptSecret',
          data: { secretId, version: secret.version, ciphertext, keyId: newKeyId, rotationId },
        }));
        return { kind: 'done' };
      } catch (e) {
        // Updated or deleted meanwhile: look again (a new version is already under the new key).
        if (e instanceof StrongroomError && (e.code === ErrorCode.VersionConflict || e.code === ErrorCode.SecretNotFound)) continue;
        if (e instanceof StrongroomError && e.code === ErrorCode.StoreUnavailable) throw e;
        return { kind: 'failed', secret, reason: e instanceof StrongroomError ? e.code : 'UNEXPECTED' };
      }
    }
    const secret = this.projection.liveById(secretId);
    return secret ? { kind: 'failed', secret, reason: ErrorCode.RevisionConflict } : { kind: 'done' };
  }
}
