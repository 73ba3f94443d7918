import type { Initialised } from '../../../bootstrap/strongroom.js';
import type { StrongroomOptions } from '../../../config/options.js';

/** What `init` (and a `serve` that initialised an empty home) reports: machine-readable form. */
export const initialisedReport = (options: StrongroomOptions, initialised: Initialised) => ({
  home: options.home,
  masterKeyFile: options.masterKeyFile,
  masterKeyCreated: initialised.masterKeyCreated,
  apiTokenFile: options.apiTokenFile,
  /** The root token; null when the token file already existed: it is printed only by the run that created it. */
  apiToken: initialised.apiToken,
});

/** The same for people: where the master key is, that it must be backed up, and the root token, once. */
export const initialisedText = (options: StrongroomOptions, initialised: Initialised): string =>
  [
    `Initialised a Strongroom store in ${options.home}.`,
    `Master key: ${options.masterKeyFile} (${initialised.masterKeyCreated ? 'created now' : 'existing file used'}, mode 0600).`,
    '  Back it up somewhere safe and separate from the store: without it nothing in this store can be',
    '  decrypted, and Strongroom never generates a new one for a store that holds data.',
    initialised.apiToken === null
      ? `Root API token: ${options.apiTokenFile} already existed and was kept.`
      : `Root API token (every capability; printed only this once, also kept in ${options.apiTokenFile}, mode 0600).\n` +
        '  Create tokens with narrower policies for services and people (`strongroom token create`):\n' +
        initialised.apiToken,
  ].join('\n');
