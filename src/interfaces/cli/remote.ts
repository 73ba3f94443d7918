import { StrongroomClient } from '../../client/strongroom-client.js';
import { isClientError } from '../../client/errors.js';
import type { UseCase, UseCaseRunner } from '../../kernel/use-case.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

export type { UseCaseRunner } from '../../kernel/use-case.js';

/** Where a remote CLI goes: `--addr` / STRONGROOM_ADDR (http(s):// or nats://), as STRONGROOM_TOKEN. */
export interface RemoteTarget {
  readonly addr: string;
  readonly token: string;
  /** NATS subject prefix (STRONGROOM_NATS_PREFIX), for a nats:// address. */
  readonly prefix?: string;
}

/**
 * The CLI as a client of a running server (issue 8): every verb's use case goes through the SDK, over
 * HTTP or the bus, under the token's principal, so an operator needs no master key. Inputs and results
 * cross as the JSON interfaces carry them (values as `value` / `valueBase64`) and are turned back into
 * what the verbs print. Use cases the HTTP API does not offer (CopyStore and start-up work) need the
 * store itself: refused here, clearly.
 */
export class RemoteRunner implements UseCaseRunner {
  private constructor(private readonly client: StrongroomClient) {}

  static async connect(target: RemoteTarget): Promise<RemoteRunner> {
    return new RemoteRunner(await StrongroomClient.connect({ url: target.addr, token: target.token, ...(target.prefix && { prefix: target.prefix }) }));
  }

  async execute<Input, Result>(useCase: UseCase<Input, Result>, input: unknown): Promise<Result> {
    if ((useCase.http ?? []).length === 0) throw localOnly(useCase.name);
    try {
      return fromWire(await this.client.call(useCase.name, toWire(input) as Record<string, unknown>, useCase.kind)) as Result;
    } catch (e) {
      throw asCliError(e);
    }
  }

  /**
   * The SDK client itself, for verbs that stream (`audit report`, `audit export`): they read the
   * server's rows or lines as they arrive instead of one whole result. Errors thrown inside `work` come
   * out as the CLI's (asCliError).
   */
  async stream<T>(work: (client: StrongroomClient) => Promise<T>): Promise<T> {
    try {
      return await work(this.client);
    } catch (e) {
      throw asCliError(e);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

const KNOWN: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A client error as the CLI's: the server's codes are the CLI's codes, so the exit codes are the same remote as local. */
export const asCliError = (e: unknown): unknown =>
  isClientError(e) ? new StrongroomError((KNOWN.has(e.code) ? e.code : ErrorCode.StoreUnavailable) as ErrorCode, e.message, {}, { cause: e }) : e;

/** The refusal of something that needs the local store or the master key. */
export const localOnly = (what: string): StrongroomError =>
  new StrongroomError(ErrorCode.InvalidInput, `${what} works on a local store only (it needs the store or the master key itself); unset --addr / STRONGROOM_ADDR to run it here`);

/** An input as JSON: bytes become `valueBase64`; callbacks (progress) stay behind. */
const toWire = (input: unknown): unknown => {
  if (typeof input !== 'object' || input === null) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'function' || v === undefined) continue;
    if (k === 'value' && v instanceof Uint8Array) out.valueBase64 = Buffer.from(v).toString('base64');
    else out[k] = v;
  }
  return out;
};

/** A result as the verbs know it: a read's `value` / `valueBase64` back to `bytes` and `binary`. */
const fromWire = (result: unknown): unknown => {
  if (Array.isArray(result)) return result.map(fromWire);
  if (typeof result !== 'object' || result === null) return result;
  const record = result as Record<string, unknown>;
  const isRead = typeof record.name === 'string' && typeof record.version === 'number' && (typeof record.value === 'string' || typeof record.valueBase64 === 'string');
  if (isRead) {
    const { value, valueBase64, binary, ...fields } = record;
    const bytes = typeof valueBase64 === 'string' ? Buffer.from(valueBase64, 'base64') : Buffer.from(value as string, 'utf8');
    return { ...fields, bytes, binary: binary === true };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromWire(v)]));
};
