import { randomBytes } from 'node:crypto';
import {
  fernetDecrypt,
  fernetEncrypt,
  fernetKeyFromBytes,
  InvalidFernetTokenError,
  keyFingerprint,
  unwrapKey,
  wrapKey,
  type FernetKey,
} from '../crypto/fernet.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { WrappedKey } from './domain/key-events.js';
import type { KeyringState } from './domain/keyring-state.js';
import { parseMasterKeyText } from './master-key-file.js';

/**
 * The unwrapped keys of this process, in memory only. Fed from the `keys` stream through `sync`, so a
 * replica learns a data key created elsewhere from the log alone (it holds the same master key).
 *
 * A key is unwrapped with whichever master key this process holds that wraps it: the loaded master key
 * under the key's own event, the same key under a pending master-key rotation's rewrap (a process started
 * with the new key before the rotation completed), or a former master key kept beside the master key file
 * (retired keys that rotations before the started/completed protocol left wrapped under an older key).
 */
export class Keyring {
  private readonly dataKeys = new Map<string, FernetKey>();
  /** Retired keys wrapped only under master keys this process does not hold: why, by key id. */
  private readonly unavailable = new Map<string, string>();
  /** The environment each data key belongs to: a key never decrypts another environment's secrets. */
  private readonly keyEnvs = new Map<string, string>();
  private auditKeyBytes: Buffer | null = null;
  private active: ReadonlyMap<string, string> = new Map();

  /**
   * @param master the loaded master key; `masterId` its key id (fingerprint).
   * @param formerMasters older master keys by key id, used only to open retired keys still wrapped under them.
   * @param masterKeyFile where the master key file is, for messages only.
   */
  constructor(
    private master: FernetKey,
    private masterId: string,
    private readonly formerMasters: ReadonlyMap<string, FernetKey> = new Map(),
    private readonly masterKeyFile = 'the master key file',
  ) {}

  /** @throws KEY_UNAVAILABLE naming `path` (never the text) when the text is not a Fernet key */
  static fromMasterKeyText(text: string, path: string): Keyring {
    const master = parseMasterKeyText(text, path);
    return new Keyring(master, keyFingerprint(master));
  }

  get masterKeyId(): string {
    return this.masterId;
  }

  /** For wrapping at initialisation only; never exported beyond the key layer. */
  get masterKeyHandle(): FernetKey {
    return this.master;
  }

  /** The data key new values of `env` are encrypted under. @throws ENVIRONMENT_NOT_FOUND */
  activeKeyId(env: string): string {
    const keyId = this.active.get(env);
    if (keyId === undefined) {
      if (this.active.size === 0) throw new StrongroomError(ErrorCode.NotInitialised, 'no active data key: the store is not initialised');
      throw new StrongroomError(ErrorCode.EnvironmentNotFound, `environment ${env} does not exist; create it with \`strongroom env create ${env}\``, { env });
    }
    return keyId;
  }

  get auditKey(): Buffer {
    if (!this.auditKeyBytes) throw new StrongroomError(ErrorCode.NotInitialised, 'no audit key: the store is not initialised');
    return this.auditKeyBytes;
  }

  hasKey(keyId: string): boolean {
    return this.dataKeys.has(keyId);
  }

  /** Ids of the data keys this process holds unwrapped. */
  heldDataKeyIds(): Set<string> {
    return new Set(this.dataKeys.keys());
  }

  /** A fresh random key wrapped under the master key; the raw bytes stay in memory only. */
  newWrappedKey(keyId: string): WrappedKey {
    return { keyId, wrappedKey: wrapKey(this.master, randomBytes(32)) };
  }

  /**
   * Adopts the keys the log describes, unwrapping any not yet held. Throws KEY_UNAVAILABLE if the audit key
   * or a live data key cannot be unwrapped; a retired key that cannot be is recorded, and reads under it fail.
   */
  sync(state: KeyringState): void {
    const pending = state.pendingMasterRotation;
    const pendingWrap = (keyId: string): string | undefined =>
      pending?.masterKeyId === this.masterId ? pending.rewrapped.find((w) => w.keyId === keyId)?.wrappedKey : undefined;
    if (state.auditKey && !this.auditKeyBytes) {
      const { keyId, wrappedKey, masterKeyId } = state.auditKey;
      this.auditKeyBytes = this.unwrapOrThrow(pendingWrap(keyId) ?? wrappedKey, pendingWrap(keyId) ? this.masterId : masterKeyId, 'audit key');
    }
    for (const key of state.dataKeys.values()) {
      this.keyEnvs.set(key.keyId, key.env);
      if (this.dataKeys.has(key.keyId) || this.unavailable.has(key.keyId)) continue;
      const rewrapped = pendingWrap(key.keyId);
      const former = this.formerMasters.get(key.masterKeyId);
      if (!rewrapped && key.masterKeyId !== this.masterId && key.retiredAt !== null) {
        if (former) {
          this.dataKeys.set(key.keyId, fernetKeyFromBytes(this.unwrapUnder(former, key.wrappedKey, `data key ${key.keyId}`)));
        } else {
          this.unavailable.set(
            key.keyId,
            `was retired and is wrapped only under master key ${key.masterKeyId}, which this process does not hold ` +
              `(a master-key rotation by an older Strongroom did not rewrap retired keys); put that key in ` +
              `${this.masterKeyFile}.previous-${key.masterKeyId} and restart to read the history it protects`,
          );
        }
        continue;
      }
      const wrapped = rewrapped ?? key.wrappedKey;
      this.dataKeys.set(key.keyId, fernetKeyFromBytes(this.unwrapOrThrow(wrapped, rewrapped ? this.masterId : key.masterKeyId, `data key ${key.keyId}`)));
    }
    this.active = state.activeKeyIds;
  }

  /** Encrypts under `env`'s active data key. @throws ENVIRONMENT_NOT_FOUND, KEY_UNAVAILABLE */
  encrypt(plaintext: Buffer, env: string): { ciphertext: string; keyId: string } {
    const keyId = this.activeKeyId(env);
    return { ciphertext: fernetEncrypt(this.keyOrThrow(keyId, env), plaintext), keyId };
  }

  /**
   * The plaintext bytes of a value of `env`. @throws INTEGRITY_ERROR for tampered ciphertext,
   * KEY_UNAVAILABLE for a key we cannot use or one that belongs to another environment.
   */
  decrypt(ciphertext: string, keyId: string, env: string): Buffer {
    return fernetDecrypt(this.keyOrThrow(keyId, env), ciphertext);
  }

  /** Decrypts under one data key and encrypts under another, without turning the value into a string. */
  reEncrypt(ciphertext: string, fromKeyId: string, toKeyId: string, env: string): string {
    return fernetEncrypt(this.keyOrThrow(toKeyId, env), fernetDecrypt(this.keyOrThrow(fromKeyId, env), ciphertext));
  }

  /** Wraps the audit key and the given data keys under a new master key (for master-key rotation). */
  rewrapUnder(newMaster: FernetKey, auditKeyId: string, dataKeyIds: readonly string[]): WrappedKey[] {
    const rewrap = (keyId: string, raw: Buffer): WrappedKey => ({ keyId, wrappedKey: wrapKey(newMaster, raw) });
    return [
      rewrap(auditKeyId, this.auditKey),
      ...dataKeyIds.map((id) => rewrap(id, Buffer.concat([this.keyOrThrow(id).signingKey, this.keyOrThrow(id).encryptionKey]))),
    ];
  }

  /** After a master-key rotation completes with this process's new key in place, later wraps use it. */
  adoptMaster(master: FernetKey): void {
    this.master = master;
    this.masterId = keyFingerprint(master);
  }

  private keyOrThrow(keyId: string, env?: string): FernetKey {
    const key = this.dataKeys.get(keyId);
    if (key && env !== undefined && this.keyEnvs.get(keyId) !== env) {
      throw new StrongroomError(ErrorCode.KeyUnavailable, `data key ${keyId} belongs to environment ${this.keyEnvs.get(keyId)}, not ${env}`, { keyId, env });
    }
    if (key) return key;
    const why = this.unavailable.get(keyId) ?? 'is unknown to this process';
    throw new StrongroomError(ErrorCode.KeyUnavailable, `data key ${keyId} ${why}`, { keyId });
  }

  private unwrapOrThrow(wrapped: string, masterKeyId: string, what: string): Buffer {
    if (masterKeyId !== this.masterId) {
      throw new StrongroomError(
        ErrorCode.KeyUnavailable,
        `the master key does not match this store: ${what} is wrapped under master key ${masterKeyId}, the loaded master key is ${this.masterId}`,
        { expectedMasterKeyId: masterKeyId, loadedMasterKeyId: this.masterId },
      );
    }
    return this.unwrapUnder(this.master, wrapped, what);
  }

  private unwrapUnder(master: FernetKey, wrapped: string, what: string): Buffer {
    try {
      return unwrapKey(master, wrapped);
    } catch (cause) {
      if (cause instanceof InvalidFernetTokenError) {
        throw new StrongroomError(ErrorCode.KeyUnavailable, `${what} cannot be unwrapped with the loaded master key`, {}, { cause });
      }
      throw cause;
    }
  }
}
