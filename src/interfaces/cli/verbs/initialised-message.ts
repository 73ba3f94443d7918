import type { Initialised } from '../../../bootstrap/strongroom.js';
import type { StrongroomOptions } from '../../../config/options.js';

/**
 * What `init` (and a `serve` that initialised an empty home) reports: machine-readable form.
 * `showToken` false (a server whose stdout is not a terminal, see root-token-display.ts) leaves the
 * token out: `apiTokenCreated` then says that the file holds a new one.
 */
export const initialisedReport = (options: StrongroomOptions, initialised: Initialised, showToken = true) => ({
  home: options.home,
  masterKeyFile: options.masterKeyFile,
  masterKeyCreated: initialised.masterKeyCreated,
  apiTokenFile: options.apiTokenFile,
  /** Whether this run created the token file (and the root token in it). */
  apiTokenCreated: initialised.apiToken !== null,
  /** The root token; null when the token file already existed (it is printed only by the run that created it) or when not shown. */
  apiToken: showToken ? initialised.apiToken : null,
});

/** The same for people: where the master key is, that it must be backed up, and the root token, once (or where it is). */
export const initialisedText = (options: StrongroomOptions, initialised: Initialised, showToken = true): string =>
  [
    `Initialised a Strongroom store in ${options.home}.`,
    `Master key: ${options.masterKeyFile} (${initialised.masterKeyCreated ? 'created now' : 'existing file used'}, mode 0600).`,
    '  Back it up somewhere safe and separate from the store: without it nothing in this store can be',
    '  decrypted, and Strongroom never generates a new one for a store that holds data.',
    initialised.apiToken === null
      ? `Root API token: ${options.apiTokenFile} already existed and was kept.`
      : !showToken
        ? `Root API token (every capability): created in ${options.apiTokenFile} (mode 0600), not printed because standard output is not a terminal.\n` +
          `  Read it with \`cat ${options.apiTokenFile}\`; create tokens with narrower policies for services and people (\`strongroom token create\`).`
        : `Root API token (every capability; printed only this once, also kept in ${options.apiTokenFile}, mode 0600).\n` +
        '  Create tokens with narrower policies for services and people (`strongroom token create`):\n' +
        initialised.apiToken,
  ].join('\n');
