/**
 * Where a server (`npm start`, `strongroom serve`) may show the root token it just created: only on a
 * terminal, where a person reads it once. Anything else that takes a server's standard output (a
 * container's log, a service manager's journal, a pipe into a log shipper) keeps it, and a token there
 * outlives the moment and reaches whoever can read logs. Those get the path of the 0600 file instead.
 * (Docker keeps what a container started with `-t` shows on its terminal: leave `-t` out.)
 *
 * @param stream the server's standard output (process.stdout).
 * @returns true when the stream is a terminal (`isTTY`).
 */
export const isTerminal = (stream: NodeJS.WritableStream): boolean => (stream as Partial<NodeJS.WriteStream>).isTTY === true;

/**
 * The line `npm start` prints after creating the root token: the token itself on a terminal, else
 * where it is (the file is written before the line is printed, mode 0600).
 *
 * @param token the new root token (`srt_<id>_<secret>`).
 * @param file the absolute path of the token file.
 * @param terminal {@link isTerminal} of the stream the line goes to.
 */
export const rootTokenLine = (token: string, file: string, terminal: boolean): string =>
  terminal
    ? `Root API token (shown once, also in ${file}): ${token}`
    : `Root API token created in ${file} (mode 0600; not printed because standard output is not a terminal): read it with \`cat ${file}\``;
