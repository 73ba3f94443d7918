/**
 * Stands in for the SDK's NATS transport in the browser bundle (vite.config.ts aliases it here): the
 * console talks HTTP to the server that serves it, and the NATS client is Node-only. Only
 * StrongroomClient.connect('nats://...') would reach this, and the console never calls it.
 */
export class NatsTransport {
  constructor() {
    throw new Error('the NATS transport is not available in the web console');
  }
}
