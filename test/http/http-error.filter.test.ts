import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { toHttpError } from '../../src/interfaces/http/http-error.filter.js';
import { ErrorCode, StrongroomError } from '../../src/shared/errors.js';

const coded = (code: ErrorCode): StrongroomError => new StrongroomError(code, `message for ${code}`);

/** Fastify's errors as Nest hands them to the filter: an HttpException caused by a FastifyError. */
const fastifyError = (code: string, statusCode: number, message: string): HttpException =>
  new HttpException(message, statusCode, { cause: Object.assign(new Error(message), { name: 'FastifyError', code, statusCode }) });

describe('toHttpError: the one mapping from failures to HTTP', () => {
  it.each([
    [ErrorCode.SecretNotFound, 404],
    [ErrorCode.SecretNameConflict, 409],
    [ErrorCode.VersionConflict, 409],
    [ErrorCode.RevisionConflict, 409],
    [ErrorCode.RotationInProgress, 409],
    [ErrorCode.AlreadyInitialised, 409],
    [ErrorCode.InvalidInput, 400],
    [ErrorCode.UnknownOperation, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.StoreUnavailable, 503],
    [ErrorCode.KeyUnavailable, 503],
    [ErrorCode.NotInitialised, 503],
    [ErrorCode.IntegrityError, 500],
    [ErrorCode.NotImplemented, 501],
  ])('%s -> %i, with its code and message', (code, status) => {
    expect(toHttpError(coded(code))).toEqual({ status, code, message: `message for ${code}` });
  });

  it('answers anything unknown with a generic 500 that quotes nothing', () => {
    const mapped = toHttpError(new TypeError('cannot read "hunter2"'));
    expect(mapped).toEqual({ status: 500, code: 'INTERNAL_ERROR', message: 'internal error' });
    expect(toHttpError('a thrown string')).toEqual(mapped);
    expect(toHttpError(Object.assign(new Error('x'), { statusCode: 502 }))).toEqual(mapped);
  });

  it('maps Fastify rejections to 400 INVALID_INPUT / 413 VALUE_TOO_LARGE with its own messages, never theirs', () => {
    const json = toHttpError(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Unexpected token h in "hunter2"'));
    expect(json).toEqual({ status: 400, code: 'INVALID_INPUT', message: 'the request body is not valid JSON' });
    expect(toHttpError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'))).toMatchObject({ status: 413, code: 'VALUE_TOO_LARGE' });
    expect(toHttpError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type'))).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    // The router's own errors arrive unwrapped.
    expect(toHttpError(Object.assign(new Error("'/v1/secrets/hunter2…' is too long"), { code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 }))).toEqual({
      status: 400,
      code: 'INVALID_INPUT',
      message: 'a path segment of the request URL is too long',
    });
    expect(toHttpError(new BadRequestException('echo hunter2')).message).not.toContain('hunter2');
  });

  it('maps an unknown route to 404 NOT_FOUND without echoing the URL', () => {
    expect(toHttpError(new NotFoundException('Cannot GET /v1/hunter2'))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'no such route' });
  });
});
