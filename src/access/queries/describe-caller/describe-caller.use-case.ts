import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { DescribeCallerHandler } from './describe-caller.handler.js';
import { DescribeCallerQuery, describeCallerInput, type CallerDescription, type DescribeCallerInput } from './describe-caller.query.js';

/**
 * "Who am I, and what may I do?" Clients (the console) hide what the caller may not do instead of
 * offering it until the server refuses.
 */
export const DescribeCaller = defineUseCase<DescribeCallerInput, CallerDescription>({
  name: 'DescribeCaller',
  kind: 'query',
  summary: "The caller's principal, token id and, per environment, the capabilities its policies grant it.",
  message: DescribeCallerQuery,
  handler: DescribeCallerHandler,
  input: describeCallerInput,
  // No capability: the answer is the caller's own rights and nothing else, which a token can already learn
  // by trying each action (each refusal is recorded). Requiring one would leave a token without it unable
  // to ask what it may do, the very token a client most needs to tell. Authentication still applies.
  capability: null,
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'GET', path: '/v1/whoami' }],
});
