import { ApiError } from '../api.js';
import { errorText } from '../logic/error-text.js';

/** A failure in words (the API's code as a sentence, the server's message as detail), announced to screen readers. */
export const ErrorNote = ({ error }: { error: unknown }) => {
  if (error === null || error === undefined) return null;
  const text = error instanceof ApiError ? errorText(error.code, error.message) : error instanceof Error ? error.message : String(error);
  const denied = error instanceof ApiError && error.code === 'ACCESS_DENIED';
  return (
    <p role="alert" class={denied ? 'note denied' : 'note error'}>
      {denied ? <strong>Access denied (403). </strong> : <strong>Error. </strong>}
      {text}
    </p>
  );
};

/** True when `error` is the server refusing the action (403). */
export const isDenied = (error: unknown): boolean => error instanceof ApiError && error.code === 'ACCESS_DENIED';
