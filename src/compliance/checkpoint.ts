import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { CheckpointClaim, SignedCheckpoint } from '../contracts/compliance.js';
export type { CheckpointClaim, SignedCheckpoint } from '../contracts/compliance.js';

/**
 * Signed checkpoints (DESIGN.md section 11), a chain like CloudTrail's digest files: each signs the
 * log's position, the public chain head there (public-chain.ts), the keyed chain head there (for
 * master-key holders' `audit verify --checkpoint`), the time, and the previous checkpoint's signature,
 * so removing or replacing one breaks the next. Ed25519 from node:crypto.
 */

export const CHECKPOINT_STREAM = 'checkpoint';
export const CHECKPOINT_EVENT = 'AuditCheckpointSigned';
export const CHECKPOINT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { [CHECKPOINT_EVENT]: 1 };
const SIGNED_PREFIX = 'strongroom-checkpoint-v1\n';



const claimOf = (c: CheckpointClaim): CheckpointClaim => ({
  sequence: c.sequence,
  position: c.position,
  publicHead: c.publicHead,
  chainHash: c.chainHash,
  signedAt: c.signedAt,
  previousSignature: c.previousSignature,
  keyId: c.keyId,
});

const signedBytes = (c: CheckpointClaim): Buffer => Buffer.from(SIGNED_PREFIX + JSON.stringify(claimOf(c)), 'utf8');

/** The id of a public key: 16 hex digits of SHA-256 over its SPKI DER encoding. */
export const signingKeyId = (publicKey: KeyObject): string =>
  createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

export const signCheckpoint = (claim: CheckpointClaim, privateKey: KeyObject): SignedCheckpoint => ({
  ...claimOf(claim),
  signature: sign(null, signedBytes(claim), privateKey).toString('base64'),
});

/** True when `c` is signed by `publicKey` over exactly its fields. Never throws for a malformed checkpoint. */
export const checkpointVerifies = (c: SignedCheckpoint, publicKey: KeyObject): boolean => {
  try {
    if (typeof c.signature !== 'string') return false;
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
};

/** A public key from its PEM text (as `strongroom audit public-key` prints it). @throws Error for anything else. */
export const publicKeyFromPem = (pem: string): KeyObject => {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
};

/** A checkpoint read back from an event or a file: every field of the right type, else null. */
export const parseCheckpoint = (raw: unknown): SignedCheckpoint | null => {
  if (typeof raw !== 'object' || raw === null) return null;
  const c = raw as Record<string, unknown>;
  const hex64 = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  const ok =
    Number.isInteger(c.sequence) &&
    (c.sequence as number) >= 1 &&
    Number.isInteger(c.position) &&
    (c.position as number) >= 1 &&
    hex64(c.publicHead) &&
    hex64(c.chainHash) &&
    typeof c.signedAt === 'string' &&
    (c.previousSignature === null || typeof c.previousSignature === 'string') &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string';
  return ok ? (raw as SignedCheckpoint) : null;
};

/** The file name a checkpoint is written under in a checkpoint directory. */
export const checkpointFileName = (c: Pick<CheckpointClaim, 'sequence' | 'position'>): string =>
  `checkpoint-${String(c.sequence).padStart(8, '0')}-${c.position}.json`;
