/** The error code a piece of async work fails with, or 'no error': lets a test compare codes directly. */
export const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

/** The error a piece of async work fails with (its code and message), for tests that read the message too. */
export const failure = async (work: Promise<unknown>): Promise<{ code?: string; message: string }> => {
  try {
    await work;
  } catch (e) {
    return { code: (e as { code?: string }).code, message: e instanceof Error ? e.message : String(e) };
  }
  throw new Error('expected the work to fail, and it succeeded');
};
