/**
 * The one URL redaction, for server and CLI code alike. It lives with the SDK (src/client/redact-url.ts)
 * because the SDK package may ship only src/client and src/contracts; server code imports it from here.
 */
export { hasUserinfo, redactUrl } from '../client/redact-url.js';
