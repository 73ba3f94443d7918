/**
 * Reconnection policy of the live feed: wait longer after each failure (1 s doubling to 30 s), and
 * resume after the last event received, which the server takes from `Last-Event-ID`. Pure (unit-tested).
 */
export const reconnectDelayMs = (failures: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, failures));

