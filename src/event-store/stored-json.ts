/**
 * How every adapter reads back the JSON text it stored. Unparseable text (a damaged or hand-edited
 * event) becomes `null` instead of an exception: the projection then quarantines that one secret and
 * `audit verify` names the event, rather than one bad event stopping every read of the log.
 */
export const parseStoredJson = (text: string): never => {
  try {
    return JSON.parse(text) as never;
  } catch {
    return null as never;
  }
};
