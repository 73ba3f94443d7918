import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/** Where the HTTP API was asked to listen (the resolved `options.http`). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const SETTINGS = 'STRONGROOM_PORT (or `strongroom serve --port N`)';

/**
 * Turns the operating system's refusal to listen (`listen EADDRINUSE`, ...) into an error that says which
 * address, why, and which setting changes it: ADDRESS_UNAVAILABLE (CLI exit 5, for `strongroom serve`
 * and `npm start` alike). Any other error is returned unchanged, for the caller to rethrow.
 */
export const explainListenError = (error: unknown, { host, port }: ListenAddress): unknown => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const at = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const unavailable = (why: string): StrongroomError =>
    new StrongroomError(ErrorCode.AddressUnavailable, `cannot listen on ${at}: ${why}`, { host, port, reason: code }, { cause: error });
  switch (code) {
    case 'EADDRINUSE':
      return unavailable(`the address is already in use (another Strongroom, or another program); stop that program, or choose another port with ${SETTINGS}`);
    case 'EACCES':
      return unavailable(`permission denied (ports below 1024 need privileges); choose a port from 1024 up with ${SETTINGS}`);
    case 'EADDRNOTAVAIL':
      return unavailable(`${host} is not an address of this machine; set STRONGROOM_HOST to one that is (127.0.0.1, or 0.0.0.0 for every interface)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unavailable(`the host name ${host} cannot be resolved; set STRONGROOM_HOST to an address of this machine`);
    default:
      return error;
  }
};
