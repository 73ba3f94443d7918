import type { RotateMasterKeyResult } from './rotate-master-key.command.js';

/** What a master-key rotation's outcome means and what the operator does next, for people. */
export const explainMasterKeyRotation = (r: RotateMasterKeyResult): string => {
  switch (r.status) {
    case 'completed':
      return r.previousKeyFile
        ? [
            `Master key rotated: ${r.previousMasterKeyId} -> ${r.masterKeyId} (${r.rewrapped} key(s) rewrapped, retired ones included).`,
            `The new master key is in ${r.masterKeyFile}: back it up now.`,
            `The previous master key was kept in ${r.previousKeyFile}: the store no longer needs it, but backups of the log taken before this rotation do.`,
          ].join('\n')
        : `Master-key rotation ${r.rotationId} completed: the store's master key is now ${r.masterKeyId} (in ${r.masterKeyFile}). Back it up.`;
    case 'prepared':
      return [
        `Master-key rotation ${r.rotationId} prepared: the new master key ${r.masterKeyId} is in ${r.newKeyFile} (${r.rewrapped} key(s) rewrapped).`,
        `The current master key ${r.previousMasterKeyId} keeps working until the new one is in place. Next:`,
        `  1. back up ${r.newKeyFile}, then install it where Strongroom reads its master key (${r.masterKeyFile}),`,
        '     e.g. replace the source file of the mounted secret;',
        '  2. restart Strongroom: it completes the rotation on start (or run `strongroom rotate-master-key --confirm`).',
        'To abandon it instead: `strongroom rotate-master-key --cancel`.',
      ].join('\n');
    case 'cancelled':
      return `Master-key rotation ${r.rotationId} cancelled: the store keeps master key ${r.previousMasterKeyId}; the new key ${r.masterKeyId} is unused and its file can be deleted.`;
    default: {
      const exhaustive: never = r.status;
      return exhaustive;
    }
  }
};
