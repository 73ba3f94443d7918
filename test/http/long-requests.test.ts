import type { IncomingMessage, Server } from 'node:http';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { growLog } from '../support/large-log.js';
import { tempHome } from '../support/temp-home.js';
import { serveHome, type TestServer } from './http-harness.js';

/**
 * Over real HTTP: a verification of a large log (50k events, built with the SQLite adapter directly)
 * does not hold other requests. Ordering, not durations: /healthz is sent only once the server has
 * received the first verification, and must be answered before any of them.
 */
describe('HTTP: long requests do not stall the service', () => {
  const { home, cleanup } = tempHome('http-long');
  let head = 0;
  let served: TestServer;

  beforeAll(async () => {
    const m = await SecretManager.open({ home, initialise: true, logger: createLogger({ silent: true }) });
    await m.storeSecret('db/password', 'http-long-value');
    await m.close();
    head = await growLog(home, 50_000);
    served = await serveHome(home);
  });
  afterAll(async () => {
    await served.stop();
    cleanup();
  });

  it('/healthz is answered while 16 concurrent verifications run; they all get the same answer', async () => {
    const http = served.server.app.getHttpServer() as Server;
    let onVerify = (): void => undefined;
    const received = new Promise<void>((resolve) => (onVerify = resolve));
    const listener = (request: IncomingMessage): void => {
      if (request.url?.startsWith('/v1/audit/verify')) onVerify();
    };
    http.on('request', listener);
    try {
      const order: string[] = [];
      const verifies = Array.from({ length: 16 }, () =>
        served.client.get('/v1/audit/verify').then((response) => {
          order.push('verify');
          return response;
        }),
      );
      await received;
      const health = await served.client.get('/healthz');
      order.push('healthz');
      const answers = await Promise.all(verifies);

      expect(health.status).toBe(200);
      expect(order.indexOf('healthz')).toBe(0);
      const first = answers[0]?.json as { ok: boolean; events: number; head: { position: number } };
      expect(first).toMatchObject({ ok: true, events: head, head: { position: head } });
      for (const answer of answers) expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: first });
    } finally {
      http.off('request', listener);
    }
  });
});
