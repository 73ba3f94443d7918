import { randomBytes } from 'node:crypto';
import {
  fernetDecrypt,
  fernetEncrypt,
  fernetKeyFromBytes,
  InvalidFernetTokenError,
  keyFingerprint,
  parseFernetKey,
  unwrapKey,
  wrapKey,
  type FernetKey,
} from '../crypto/fernet.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { WrappedKey } from './domain/key-events.js';
import type { KeyringState } from './domain/keyring-state.js';

/**
 * The unwrapped keys of this process, in memory only. Fed from the `keys` stream through `sync`, so a
 * replica learns a data key created elsewhere from the log alone (it holds the same master key).
 */
export class Keyring {
  private readonly dataKeys = new Map<string, FernetKey>();
  /** Retired keys wrapped under a master key we no longer hold: their history is crypto-shredded. */
  private readonly shredded = new Set<string>();
  /** The environment each data key belongs to: a key never decrypts another environment's secrets. */
  private readonly keyEnvs = new Map<string, string>();
  private auditKeyBytes: Buffer | null = null;
  private active: ReadonlyMap<string, string> = new Map();

  constructor(
    private master: FernetKey,
    private masterId: string,
  ) {}

  static fromMasterKeyText(text: string): Keyring {
    const master = parseFernetKey(text);
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

  /** A fresh random key wrapped under the master key; the raw bytes stay in memory only. */
  newWrappedKey(keyId: string): WrappedKey {
    return { keyId, wrappedKey: wrapKey(this.master, randomBytes(32)) };
  }

  /** Adopts the keys the log describes, unwrapping any not yet held. Throws if a live key cannot be unwrapped. */
  sync(state: KeyringState): void {
    if (state.auditKey && !this.auditKeyBytes) {
      this.auditKeyBytes = this.unwrapOrThrow(state.auditKey.wrappedKey, state.auditKey.masterKeyId, 'audit key');
    }
    for (const key of state.dataKeys.values()) {
      if (this.dataKeys.has(key.keyId) || this.shredded.has(key.keyId)) continue;
      if (key.retiredAt !== null && key.masterKeyId !== this.masterId) {
        this.shredded.add(key.keyId);
        continue;
      }
      this.dataKeys.set(key.keyId, fernetKeyFromBytes(this.unwrapOrThrow(key.wrappedKey, key.masterKeyId, `data key ${key.keyId}`)));
      this.keyEnvs.set(key.keyId, key.env);
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

  /** Wraps the audit key and the given live data keys under a new master key (for master-key rotation). */
  rewrapUnder(newMaster: FernetKey, auditKeyId: string, dataKeyIds: readonly string[]): WrappedKey[] {
    const rewrap = (keyId: string, raw: Buffer): WrappedKey => ({ keyId, wrappedKey: wrapKey(newMaster, raw) });
    return [
      rewrap(auditKeyId, this.auditKey),
      ...dataKeyIds.map((id) => rewrap(id, Buffer.concat([this.keyOrThrow(id).signingKey, this.keyOrThrow(id).encryptionKey]))),
    ];
  }

  /** After a master-key rotation is recorded, later wraps use the new master key. */
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
    const why = this.shredded.has(keyId)
      ? 'was retired and wrapped under a master key that is no longer available (crypto-shredded)'
      : 'is unknown to this process';
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
    try {
      return unwrapKey(this.master, wrapped);
    } catch (cause) {
      if (cause instanceof InvalidFernetTokenError) {
        throw new StrongroomError(ErrorCode.KeyUnavailable, `${what} cannot be unwrapped with the loaded master key`, {}, { cause });
      }
      throw cause;
    }
  }
}
