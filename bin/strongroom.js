#!/usr/bin/env node
// The `strongroom` command. The CLI is TypeScript compiled into dist/ (`npm install` builds it through
// the `prepare` script); this launcher only finds it and says what to do when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/interfaces/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`strongroom: ${fileURLToPath(entry)} is missing; run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(1);
}
const { run } = await import(entry.href);
await run();
