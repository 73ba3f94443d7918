import type { Clock } from '../../src/shared/clock.js';

/** A clock a test moves by hand (never a sleep): `advance('8d')`-style days, or to a time. */
export class TestClock implements Clock {
  private t: number;

  constructor(start = '2026-11-24T00:00:00.000Z') {
    this.t = Date.parse(start);
  }

  now(): Date {
    return new Date(this.t);
  }

  advanceDays(days: number): void {
    this.t += days * 86_400_000;
  }

  /** An ISO time `days` from now. */
  inDays(days: number): string {
    return new Date(this.t + days * 86_400_000).toISOString();
  }
}
