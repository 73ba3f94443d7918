/** The error code a piece of async work fails with, or 'no error': lets a test compare codes directly. */
export const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};
