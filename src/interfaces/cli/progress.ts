import cliProgress from 'cli-progress';
import type { Output } from './output.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A bar on stderr for people watching a terminal; nothing at all for scripts, pipes and --json. */
export const progressBar = (output: Output, label: string): Progress => {
  if (output.json || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} {bar} {value}/{total}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, done);
      else {
        bar.setTotal(total);
        bar.update(done);
      }
      started = true;
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};
