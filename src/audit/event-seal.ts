import { createHash, createHmac } from 'node:crypto';

/**
 * Tamper evidence (DESIGN.md section 5). Each event's `hash` is an HMAC, under the audit key, over its
 * predecessor's hash and its own position, stream, revision and payload *digest*. Chaining over the
 * digest (not the payload) lets a destroyed secret's ciphertext be redacted later without breaking the
 * chain. Adapters call `seal` in commit order, inside the commit, so the chain follows global order.
 */

/** The hash that precedes the first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface DigestInput {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: object;
  readonly metadata: object;
}

/**
 * Adapters store `data` and `metadata` as exactly `JSON.stringify(...)` text (never re-ordering JSONB),
 * so the digest recomputed from a read-back event equals the one computed at append time.
 */
export const payloadDigest = (e: DigestInput): string =>
  createHash('sha256')
    .update(`${e.type}\n${e.schemaVersion}\n${JSON.stringify(e.data)}\n${JSON.stringify(e.metadata)}`)
    .digest('hex');

/** Faster variant for adapters that already hold the serialized text. */
export const payloadDigestOfJson = (type: string, schemaVersion: number, dataJson: string, metadataJson: string): string =>
  createHash('sha256').update(`${type}\n${schemaVersion}\n${dataJson}\n${metadataJson}`).digest('hex');

export interface ChainLink {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly digest: string;
}

export interface EventSealer {
  /** The chain hash of `link`, following `previousHash`. Throws if no audit key is loaded yet. */
  seal(previousHash: string, link: ChainLink): string;
}

export class HmacChainSealer implements EventSealer {
  private key: Buffer | undefined;

  constructor(key?: Buffer) {
    this.key = key;
  }

  /** The audit key arrives after the keys stream is read and unwrapped at start-up. */
  useKey(key: Buffer): void {
    this.key = key;
  }

  /**
   * The audit key itself, for the SQLite writer thread, which seals the chain in its own thread and gets
   * the key by postMessage (same process; never logged, written or sent anywhere else). Undefined until
   * `useKey`; the Buffer last given to `useKey`, so a holder can tell by identity that it changed.
   */
  exportKey(): Buffer | undefined {
    return this.key;
  }

  get hasKey(): boolean {
    return this.key !== undefined;
  }

  seal(previousHash: string, link: ChainLink): string {
    if (!this.key) throw new Error('audit key not loaded: cannot seal events');
    return createHmac('sha256', this.key)
      .update(`${previousHash}\n${link.position}\n${link.stream}\n${link.revision}\n${link.digest}`)
      .digest('hex');
  }
}
