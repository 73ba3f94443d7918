import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StrongroomOptions } from '../config/options.js';
import { createSecretFile, readSecretFile } from '../crypto/secret-file.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import { signingKeyId } from './checkpoint.js';

/** Where the checkpoint signing key lives: the configured file, else `audit-signing.key` beside the master key. */
export const signingKeyFileOf = (options: StrongroomOptions): string =>
  options.checkpoints?.signingKeyFile ?? join(dirname(options.masterKeyFile), 'audit-signing.key');

/**
 * The Ed25519 key pair that signs checkpoints. The private key is a PKCS#8 PEM file, created 0600 and
 * exclusively on first use (never overwritten) and read only after the same trusted-path checks as the
 * master key (src/crypto/secret-file.ts). It never enters the log; its public key is exported for
 * auditors (`strongroom audit public-key`), and checkpoints name it by `keyId`.
 */
export class SigningKeys {
  private loaded: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly keyId: string } | null = null;

  constructor(private readonly path: string) {}

  /** @throws KEY_UNAVAILABLE when the file is not private, not a key, or cannot be created. */
  get(): { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly keyId: string } {
    if (this.loaded) return this.loaded;
    if (!existsSync(this.path)) this.create();
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
    this.loaded = { privateKey, publicKey, keyId: signingKeyId(publicKey) };
    return this.loaded;
  }

  /** The public key as PEM (SPKI), for auditors. */
  publicKeyPem(): string {
    return this.get().publicKey.export({ type: 'spki', format: 'pem' }).toString();
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
