import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LOGGER } from '../../kernel/tokens.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** The one place HTTP turns failures into status codes. */
const STATUS_OF_CODE: Readonly<Record<ErrorCode, number>> = {
  SECRET_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  ENVIRONMENT_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  SECRET_NAME_CONFLICT: 409,
  VERSION_CONFLICT: 409,
  REVISION_CONFLICT: 409,
  IDEMPOTENCY_KEY_IN_DOUBT: 409,
  ROTATION_IN_PROGRESS: 409,
  KEY_FILE_NOT_WRITABLE: 409,
  ALREADY_INITIALISED: 409,
  INVALID_INPUT: 400,
  VALUE_TOO_LARGE: 413,
  UNKNOWN_OPERATION: 400,
  UNAUTHENTICATED: 401,
  ACCESS_DENIED: 403,
  RATE_LIMITED: 429,
  UNGATED_CALL: 500,
  STORE_UNAVAILABLE: 503,
  BUS_UNAVAILABLE: 503,
  ADDRESS_UNAVAILABLE: 503,
  KEY_UNAVAILABLE: 503,
  NOT_INITIALISED: 503,
  INTEGRITY_ERROR: 500,
  LOG_GAP: 500,
  NOT_A_STRONGROOM_STORE: 500,
  NOT_IMPLEMENTED: 501,
  // Gone (RFC 9110 section 15.5.11): the secret or version existed and is no longer available.
  SECRET_DELETED: 410,
  SECRET_EXPIRED: 410,
  VERSION_DESTROYED: 410,
};

/**
 * Fastify's own rejections (body parsing, routing). Their messages are replaced, never echoed: a JSON
 * parser's message can quote the body, which may hold a secret value.
 */
const FRAMEWORK_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty although its content type is JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the request body must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the request body does not match its Content-Length',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_BAD_URL: 'the request URL is malformed',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment of the request URL is too long',
};

export interface HttpError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const numberField = (e: unknown, field: string): number | undefined => {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[field] : undefined;
  return typeof v === 'number' ? v : undefined;
};

const stringField = (e: unknown, field: string): string | undefined => {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** A 4xx status from Nest (HttpException, e.g. an unknown route) or from Fastify (`statusCode`). */
const clientErrorStatus = (e: unknown): number | undefined => {
  const status = e instanceof HttpException ? e.getStatus() : numberField(e, 'statusCode');
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
};

export const toHttpError = (e: unknown): HttpError => {
  if (e instanceof StrongroomError) return { status: STATUS_OF_CODE[e.code] ?? 500, code: e.code, message: e.message };
  const status = clientErrorStatus(e);
  if (status === undefined) return { status: 500, code: 'INTERNAL_ERROR', message: 'internal error' };
  if (status === 404) return { status, code: 'NOT_FOUND', message: 'no such route' };
  // Nest wraps a Fastify error in an HttpException whose cause holds Fastify's code.
  const fastifyCode = stringField(e instanceof HttpException ? e.cause : e, 'code');
  const message = (fastifyCode && FRAMEWORK_MESSAGES[fastifyCode]) ?? STATUS_CODES[status] ?? 'bad request';
  // The body limit leaves room for any value within STRONGROOM_MAX_VALUE_BYTES however it is escaped, so
  // a body over it carries a value over the limit: one code for that, whichever layer noticed.
  if (status === 413) return { status, code: ErrorCode.ValueTooLarge, message: `${message}: a secret value may be at most STRONGROOM_MAX_VALUE_BYTES bytes` };
  return { status: 400, code: ErrorCode.InvalidInput, message };
};

/** Maps, logs server-side failures by code and name only (never a message that might quote input), sends. */
export const sendHttpError = (reply: FastifyReply, e: unknown, logger: Logger): void => {
  const error = toHttpError(e);
  if (error.status >= 500) {
    const fields = { correlationId: reply.request.id, status: error.status, code: stringField(e, 'code') ?? error.code };
    // A coded failure is an operating condition (store down, replica behind); anything else is a bug.
    if (e instanceof StrongroomError) logger.warn(fields, 'request failed');
    else logger.error({ ...fields, name: e instanceof Error ? e.name : typeof e }, 'request failed unexpectedly');
  }
  if (reply.sent) return;
  if (error.status === 401) reply.header('www-authenticate', 'Bearer');
  const retryAfter = e instanceof StrongroomError ? e.details.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  void reply.status(error.status).send({ error: { code: error.code, message: error.message } });
};

/** Every exception Nest sees on an HTTP request: from guards, handlers, unknown routes and Fastify itself. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(e: unknown, host: ArgumentsHost): void {
    sendHttpError(host.switchToHttp().getResponse<FastifyReply>(), e, this.logger);
  }
}
