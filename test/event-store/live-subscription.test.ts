import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { LiveSubscription, subscribersReached } from '../../src/event-store/live-subscription.js';

/**
 * The last step of every adapter's catchUp (and all of the KurrentDB one that a machine without a
 * KurrentDB server can exercise): wait until each subscriber has been handed everything through a
 * position, whether it is live, still catching up, or busy in an asynchronous handler.
 */
const at = (position: number, stream = 'secret-1'): RecordedEvent => ({
  type: 'Thing',
  schemaVersion: 1,
  data: {},
  metadata: { actor: 'unit', interface: 'system', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
  stream,
  revision: position - 1,
  position,
  digest: 'd',
  hash: `h${position}`,
});
const noError = (): void => undefined;
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('waiting for subscribers to reach a position', () => {
  it('is null when every subscriber is there already, live or closed', () => {
    const live = new LiveSubscription(() => undefined, undefined, 5, noError);
    live.goLive();
    const closed = new LiveSubscription(() => undefined, undefined, 0, noError);
    closed.close();
    expect(subscribersReached([live, closed], 5, 1_000)).toBeNull();
  });

  it('waits for a subscriber still catching up until what queued meanwhile is handed to it', async () => {
    const seen: number[] = [];
    const sub = new LiveSubscription((events) => void seen.push(...events.map((e) => e.position)), undefined, 0, noError);
    await sub.deliverCatchUp([at(1), at(2)], 2);
    sub.push([at(3)], 3);
    const waiting = subscribersReached([sub], 3, 5_000);
    expect(waiting).not.toBeNull();
    expect(await settled(waiting as Promise<void>)).toBe(false);
    sub.goLive();
    await waiting;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('waits for an asynchronous handler busy with an earlier batch, and counts a filtered-out batch by its checkpoint', async () => {
    let release: () => void = () => undefined;
    const calls: [number[], number][] = [];
    const sub = new LiveSubscription(
      (events, checkpoint) => {
        calls.push([events.map((e) => e.position), checkpoint]);
        return calls.length === 1 ? new Promise<void>((r) => (release = r)) : undefined;
      },
      ['secret'],
      0,
      noError,
    );
    sub.goLive();
    sub.push([at(1)], 1);
    sub.push([at(2, 'access-1')], 2);
    const waiting = subscribersReached([sub], 2, 5_000) as Promise<void>;
    expect(await settled(waiting)).toBe(false);
    release();
    await waiting;
    expect(calls).toEqual([
      [[1], 1],
      [[], 2],
    ]);
  });

  it('stops waiting for a subscriber that closes, and rejects with STORE_UNAVAILABLE after its bound', async () => {
    const closing = new LiveSubscription(() => undefined, undefined, 0, noError);
    const waiting = subscribersReached([closing], 1, 5_000) as Promise<void>;
    closing.close();
    await expect(waiting).resolves.toBeUndefined();

    const stuck = new LiveSubscription(() => undefined, undefined, 0, noError);
    await expect(subscribersReached([stuck], 1, 20)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
