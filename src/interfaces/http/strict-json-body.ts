import type { FastifyInstance } from 'fastify';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { strictUtf8 } from '../../shared/strict-utf8.js';
import { duplicateJsonKey, duplicateKeyError } from '../../shared/duplicate-json-keys.js';

/**
 * Replaces Fastify's `application/json` parser (the only body type the API takes) with one that refuses
 * a body that is not valid UTF-8. Fastify's own reads the body as a string, which puts U+FFFD in place
 * of invalid bytes: a value stored that way is silently not the value sent. Everything else is
 * Fastify's: the body limit (the server's `bodyLimit`, as `parseAs` keeps it), the empty-body and
 * not-JSON errors (mapped to our messages in http-error.filter.ts) and its prototype-poisoning checks
 * (the defaults, `error`), by handing the decoded text to `getDefaultJsonParser`. A body that repeats a
 * key in one object (at any depth) is refused: JSON.parse would keep the last value silently.
 * @throws (to the client) INVALID_INPUT 400 "the request body is not valid UTF-8", or "the request body
 * gives the key "…" more than once" (the key's path, never a value); nothing is run
 */
export const acceptStrictUtf8Json = (fastify: FastifyInstance): void => {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const text = strictUtf8(body);
    if (text === undefined) {
      done(new StrongroomError(ErrorCode.InvalidInput, 'the request body is not valid UTF-8: send bytes as valueBase64'), undefined);
      return;
    }
    parseJson(request, text, (error, parsed) => {
      if (error && isPlainJson(text)) {
        // Valid JSON that Fastify refused: a __proto__ / constructor.prototype key (prototype poisoning),
        // which "not valid JSON" would misdescribe.
        done(new StrongroomError(ErrorCode.InvalidInput, 'the request body holds a __proto__ or constructor.prototype key, which is refused'), undefined);
        return;
      }
      const repeated = error ? undefined : duplicateJsonKey(text);
      if (repeated !== undefined) {
        done(duplicateKeyError('the request body', repeated), undefined);
        return;
      }
      done(error, parsed);
    });
  });
};

const isPlainJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
