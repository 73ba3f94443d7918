import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StrongroomOptions } from '../config/options.js';
import type { EventLog } from '../kernel/tokens.js';
import { createSecretFile, readSecretFile } from '../crypto/secret-file.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import { signingKeyId } from './checkpoint.js';
import { lastSigningKeyId } from './checkpoint-log.js';

/** Where the checkpoint signing key lives: the configured file, else `audit-signing.key` beside the master key. */
export const signingKeyFileOf = (options: StrongroomOptions): string =>
  options.checkpoints?.signingKeyFile ?? join(dirname(options.masterKeyFile), 'audit-signing.key');

/** A loaded signing key pair and its id (see signingKeyId). */
export interface SigningKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/**
 * The Ed25519 key pair that signs checkpoints. The private key is a PKCS#8 PEM file, created 0600 and
 * exclusively (never overwritten) only while no checkpoint is recorded, and read only after the same
 * trusted-path checks as the master key (src/crypto/secret-file.ts). It never enters the log; its public
 * key is exported for auditors (`strongroom audit public-key`), and checkpoints name it by `keyId`.
 *
 * Once a checkpoint is recorded, its key is the only one accepted: a missing file is a clear error, never
 * a new key made in silence (an auditor holding the first public key would find every later checkpoint
 * "forged"), and a file holding another key (a replica given its own) is refused the same way.
 */
export class SigningKeys {
  private loaded: SigningKeyPair | null = null;

  constructor(private readonly path: string) {}

  /**
   * @param signedWith the key id of the last recorded checkpoint, or null when none is recorded yet
   *   (only then is a missing key pair created).
   * @throws KEY_UNAVAILABLE when the file is not private, not a key, cannot be created, is missing after
   *   a checkpoint was signed, or holds a key other than `signedWith`.
   */
  get(signedWith: string | null): SigningKeyPair {
    return this.matching(this.load(signedWith), signedWith);
  }

  /**
   * Checks the key file as it is on disk now (not the key this process loaded), for readiness: a file
   * deleted or replaced while the process runs is found before the next restart fails.
   * @throws KEY_UNAVAILABLE as `get`; never creates a key
   */
  checkOnDisk(signedWith: string | null): void {
    if (!existsSync(this.path)) {
      if (signedWith === null) return; // the first signing creates it
      throw this.missing(signedWith);
    }
    this.matching(this.read(), signedWith);
  }

  private matching(pair: SigningKeyPair, signedWith: string | null): SigningKeyPair {
    if (signedWith !== null && pair.keyId !== signedWith) {
      throw new StrongroomError(
        ErrorCode.KeyUnavailable,
        `the checkpoint signing key in ${this.path} (key ${pair.keyId}) is not the key that signed the last checkpoint (key ${signedWith}): every process must use that key's file; restore it`,
        { path: this.path, keyId: pair.keyId, expectedKeyId: signedWith },
      );
    }
    return pair;
  }

  private missing(signedWith: string): StrongroomError {
    return new StrongroomError(
      ErrorCode.KeyUnavailable,
      `the checkpoint signing key file ${this.path} is missing, but the log's checkpoints are signed with key ${signedWith}: restore that file (a new key would not verify against the public key auditors hold)`,
      { path: this.path, expectedKeyId: signedWith },
    );
  }

  private load(signedWith: string | null): SigningKeyPair {
    if (this.loaded) return this.loaded;
    if (!existsSync(this.path)) {
      if (signedWith !== null) throw this.missing(signedWith);
      this.create();
    }
    this.loaded = this.read();
    return this.loaded;
  }

  private read(): SigningKeyPair {
    const pem = readSecretFile(this.path, 'checkpoint signing key');
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new StrongroomError(ErrorCode.KeyUnavailable, `the checkpoint signing key file ${this.path} does not hold a private key`, { path: this.path });
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new StrongroomError(ErrorCode.KeyUnavailable, `the checkpoint signing key in ${this.path} is not an Ed25519 key`, { path: this.path });
    }
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, keyId: signingKeyId(publicKey) };
  }

  /** The public key as PEM (SPKI), for auditors. @param signedWith as for `get`. @throws as `get`. */
  publicKeyPem(signedWith: string | null): string {
    return this.get(signedWith).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  private create(): void {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      createSecretFile(this.path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'checkpoint signing key');
    } catch (e) {
      // Another process created it first: use theirs.
      if (!isStrongroomError(e, ErrorCode.AlreadyInitialised)) throw e;
    }
  }
}

/**
 * The public half (SPKI PEM) of the key that signs this store's checkpoints, and its id, for auditors:
 * the key the last recorded checkpoint names (created now only when none is recorded).
 * @throws KEY_UNAVAILABLE as SigningKeys.get.
 */
export const auditPublicKey = async (options: StrongroomOptions, log: Pick<EventLog, 'readStream'>): Promise<{ readonly keyId: string; readonly publicKey: string }> => {
  const keys = new SigningKeys(signingKeyFileOf(options));
  const signedWith = await lastSigningKeyId(log);
  return { keyId: keys.get(signedWith).keyId, publicKey: keys.publicKeyPem(signedWith) };
};
