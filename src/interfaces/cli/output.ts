/**
 * Where a verb's answer goes: JSON on stdout with --json, otherwise text for people. Either way stdout
 * carries only the answer (so `$(strongroom get-secret db)` is the value) and notes go to stderr.
 */
export class Output {
  constructor(
    /** Set before the verb runs, from the parsed options (see program.ts). */
    public json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /**
   * The status the process should exit with when the verb itself succeeded but wants another one
   * (`strongroom run` passes its child's status through); unset means 0.
   */
  exitStatus: number | undefined;

  /**
   * The verb's result: `data` as one JSON line with --json, else the text `human()` renders plus one
   * newline (always exactly one, so a value that itself ends in a newline prints faithfully).
   */
  result(data: unknown, human: () => string): void {
    this.stdout.write(this.json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
  }

  /** Advice for people (never with --json, never on stdout): where a key lives, what to back up. */
  note(text: string): void {
    if (!this.json) this.stderr.write(ensureNewline(text));
  }

  /** Warnings for people, on stderr even with --json (stdout stays the answer alone). */
  warn(text: string): void {
    this.stderr.write(ensureNewline(text));
  }

  /**
   * A value, byte for byte, on stdout: nothing added, so `strongroom get-secret K > file` is exactly the
   * value. On a terminal a value without a final newline is followed by one on stderr, to keep the
   * prompt on its own line without touching what stdout carries.
   */
  writeOutBytes(bytes: Buffer): void {
    this.stdout.write(bytes);
    if ((this.stdout as NodeJS.WriteStream).isTTY && bytes.at(-1) !== 0x0a) this.stderr.write('\n');
  }

  /** Raw writes for errors and prompts. */
  writeOut(text: string): void {
    this.stdout.write(text);
  }

  writeErr(text: string): void {
    this.stderr.write(text);
  }
}

const ensureNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
