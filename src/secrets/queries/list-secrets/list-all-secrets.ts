import type { UseCaseRunner } from '../../../kernel/use-case.js';
import { MAX_LIST_LIMIT, type SecretSummary } from './list-secrets.query.js';
import { ListSecrets } from './list-secrets.use-case.js';

/**
 * Every secret of `env` the caller may list (under `prefix`), page after page through the pipeline,
 * for verbs that must see the whole set before acting (export, run, import). Deleted and expired ones
 * are included, with their status.
 */
export const listAllSecrets = async (strongroom: UseCaseRunner, env: string, prefix?: string): Promise<SecretSummary[]> => {
  const out: SecretSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await strongroom.execute(ListSecrets, { env, limit: MAX_LIST_LIMIT, ...(prefix !== undefined && prefix !== '' && { prefix }), ...(cursor !== undefined && { cursor }) });
    out.push(...page.secrets);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
};
