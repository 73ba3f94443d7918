import { busInput, collectStreams, MAX_STREAMED_ITEMS } from '../../src/interfaces/bus/bus-json.js';
import { NO_ENV_SUBJECT } from '../../src/interfaces/bus/bus-subjects.js';

/**
 * The bus's JSON edge without a NATS server: a streamed result is collected into one reply up to
 * MAX_STREAMED_ITEMS and refused beyond it, naming the HTTP route that streams it whole; a subject that
 * names no environment leaves the payload's (so a report without env spans every environment, as on HTTP).
 */
async function* count(n: number): AsyncGenerator<{ n: number }> {
  for (let i = 0; i < n; i++) yield { n: i };
}

describe('the bus JSON edge', () => {
  it('collects a streamed field into an array, up to the limit', async () => {
    const collected = (await collectStreams({ start: 0, head: 9, rows: count(MAX_STREAMED_ITEMS) }, 'GET /v1/audit/report')) as { rows: unknown[]; head: number };
    expect(collected.rows).toHaveLength(MAX_STREAMED_ITEMS);
    expect(collected.head).toBe(9);
  });

  it('refuses one item beyond the limit with INVALID_INPUT naming the HTTP route', async () => {
    await expect(collectStreams({ rows: count(MAX_STREAMED_ITEMS + 1) }, 'GET /v1/audit/report')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('GET /v1/audit/report'),
    });
  });

  it('takes the environment from the subject, unless the subject names none', () => {
    expect(busInput({ secret: 'a/*' }, 'prod', true)).toEqual({ secret: 'a/*', env: 'prod' });
    expect(() => busInput({ env: 'dev' }, 'prod', true)).toThrow(/env is given by the subject/);
    expect(busInput({ secret: 'a/*' }, NO_ENV_SUBJECT, true)).toEqual({ secret: 'a/*' });
    expect(busInput({ env: 'dev' }, NO_ENV_SUBJECT, true)).toEqual({ env: 'dev' });
  });
});
