/**
 * Time to log position, built by the projection as it applies events (never a scan of the log when a
 * time is asked for), and carried in projection snapshots for the events a snapshot spares start-up
 * from folding (src/projection/projection-snapshot.ts), so it covers the whole log either way. Every event carries `metadata.occurredAt` from the injected clock; clocks of
 * different processes may disagree a little, so the index keeps the running maximum of those times:
 * it is then sorted, and "the state at time T" is the state after the last event whose running time
 * is at or before T. Only events the projection folds are indexed (secrets, keys, tokens, policies):
 * those are the only ones that change the state a point-in-time query folds, so the state after the
 * last of them at or before T is the state at T.
 *
 * Memory: two numbers per indexed event, in growable typed arrays (16 bytes an event, 16 MB per
 * million); a binary search answers in O(log n).
 */
export class TimeIndex {
  private times = new Float64Array(1024);
  private positions = new Float64Array(1024);
  private length = 0;
  private latest = -Infinity;

  /** Records that the event at `position` (increasing) happened at `occurredAt` (ISO-8601); unreadable times take the latest. */
  record(position: number, occurredAt: string): void {
    const t = Date.parse(occurredAt);
    if (!Number.isNaN(t) && t > this.latest) this.latest = t;
    // Equal running times: only the last position for a time matters, so overwrite instead of growing.
    if (this.length > 0 && this.times[this.length - 1] === this.latest) {
      this.positions[this.length - 1] = position;
      return;
    }
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = this.latest;
    this.positions[this.length] = position;
    this.length++;
  }

  /**
   * The position of the last indexed event whose (running) time is at or before `timeMs`, and that
   * time; position 0 (time null) when the log had no indexed event yet at that time.
   */
  positionAt(timeMs: number): { readonly position: number; readonly occurredAt: string | null } {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) <= timeMs) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return { position: 0, occurredAt: null };
    return { position: this.positions[lo - 1] as number, occurredAt: new Date(this.times[lo - 1] as number).toISOString() };
  }

  get size(): number {
    return this.length;
  }

  /**
   * The index as two parallel lists (running time in ms since the epoch, log position), for a projection
   * snapshot: copies, so later records do not change what was taken.
   */
  entries(): { readonly times: Float64Array; readonly positions: Float64Array } {
    return { times: this.times.slice(0, this.length), positions: this.positions.slice(0, this.length) };
  }

  /**
   * Replaces the whole index with `entries` (as `entries()` gave them, from a snapshot): a projection
   * restored from a snapshot never folds the events before it, so their times come from it too.
   * @throws Error when the lists differ in length, a time decreases or a position does not increase
   *   (the snapshot reader turns that into a rejected snapshot)
   */
  restore(entries: { readonly times: Float64Array; readonly positions: Float64Array }): void {
    const { times, positions } = entries;
    if (times.length !== positions.length) throw new Error('time index: times and positions differ in length');
    if (times.length > 0 && Number.isNaN(times[0])) throw new Error('time index: a time is not a number');
    for (let i = 1; i < times.length; i++) {
      if (!((times[i] as number) > (times[i - 1] as number)) || !((positions[i] as number) > (positions[i - 1] as number))) {
        throw new Error('time index: times must increase and positions increase');
      }
    }
    const capacity = Math.max(1024, times.length * 2);
    this.times = new Float64Array(capacity);
    this.positions = new Float64Array(capacity);
    this.times.set(times);
    this.positions.set(positions);
    this.length = times.length;
    this.latest = times.length > 0 ? (times[times.length - 1] as number) : -Infinity;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const positions = new Float64Array(this.positions.length * 2);
    times.set(this.times);
    positions.set(this.positions);
    this.times = times;
    this.positions = positions;
  }
}
