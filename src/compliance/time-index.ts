/**
 * Time to log position, built by the projection as it applies events (never a scan of the log when a
 * time is asked for). Every event carries `metadata.occurredAt` from the injected clock; clocks of
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

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const positions = new Float64Array(this.positions.length * 2);
    times.set(this.times);
    positions.set(this.positions);
    this.times = times;
    this.positions = positions;
  }
}
