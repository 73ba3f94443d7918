/**
 * A URL (or a comma-separated list of them, as NATS takes) safe to print: any userinfo (`user:password@`)
 * is replaced by `***@`, so a password or a token put in a URL never reaches an error message or a log
 * line. Done on the text, not through `new URL`, so that a URL the parser rejects is redacted too.
 * @example redactUrl('postgres://app:s3cret@db:5432/x') === 'postgres://***@db:5432/x'
 */
export const redactUrl = (url: string): string =>
  url
    .split(',')
    .map((one) => one.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@'))
    .join(',');

/** Whether the URL carries userinfo (`user[:password]@`), which redactUrl would hide. */
export const hasUserinfo = (url: string): boolean => redactUrl(url) !== url;
