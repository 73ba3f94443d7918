import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh Strongroom home in the system temp dir, removed by `cleanup`. */
export const tempHome = (label = 'home'): { home: string; cleanup: () => void } => {
  const home = mkdtempSync(join(tmpdir(), `strongroom-${label}-`));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
};
