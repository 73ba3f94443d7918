/**
 * `chunks` with its first chunk already produced, for a streamed response: a failure before anything
 * would be written (a hole in the log, LOG_GAP, found in a report's first page) is then thrown to the
 * error filter and answered with its status and code, instead of a response broken off after its
 * headers. A failure after the first chunk still breaks the stream off (the client sees it end early).
 */
export const startedStream = async <T>(chunks: AsyncIterable<T>): Promise<AsyncIterable<T>> => {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  return (async function* () {
    try {
      for (let next = first; next.done !== true; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  })();
};
