/**
 * NATS subjects, derived from the catalogue and the event types (docs/EVENTS.md, docs/BUS.md):
 *   `<prefix>.<env>.cmd.<UseCaseName>`   request-reply, one per use case the HTTP API offers
 *   `<prefix>.<env>.events.<EventType>`  every committed event, metadata only
 * `<prefix>` is `strongroom` unless STRONGROOM_NATS_PREFIX says otherwise (one NATS account shared by
 * several Strongroom deployments, or tests running side by side). `<env>` is the Strongroom environment.
 * Neither NATS nor Strongroom allows `.`, `*`, `>` or whitespace in a subject token or an env name.
 */
export const DEFAULT_SUBJECT_PREFIX = 'strongroom';

/** The subscription of one use case: every environment's subject (`*` is one token in NATS). */
export const commandSubscription = (prefix: string, useCase: string): string => `${prefix}.*.cmd.${useCase}`;

/** Every command subject of the prefix (the catch-all that answers unknown names). */
export const anyCommandSubscription = (prefix: string): string => `${prefix}.*.cmd.*`;

export const commandSubject = (prefix: string, env: string, useCase: string): string => `${prefix}.${env}.cmd.${useCase}`;

export const eventSubject = (prefix: string, env: string, type: string): string => `${prefix}.${env}.events.${type}`;

/** The JetStream stream that holds the events of a prefix, and the one that queues its commands. */
export const eventStreamName = (prefix: string): string => `${safeName(prefix)}_EVENTS`;
export const commandQueueStreamName = (prefix: string): string => `${safeName(prefix)}_COMMANDS`;

/** Subjects of the durable command queue: `<prefix>.queue.<env>.cmd.<UseCaseName>`. */
export const queuedCommandSubject = (prefix: string, env: string, useCase: string): string => `${prefix}.queue.${env}.cmd.${useCase}`;

/**
 * The `<env>` of a command subject that names no environment (not a valid environment name: those start
 * with a letter or digit). For a use case whose environment is optional and absent means "every one"
 * (GetAccessReport, GetKeyRotations), the payload's `env`, if any, applies; otherwise the request names
 * one in its subject, as always. The same token as the events' environment-less subjects (docs/EVENTS.md).
 */
export const NO_ENV_SUBJECT = '_global';

/** Environment of a command subject (`<prefix>[.queue].<env>.cmd.<Name>`), or undefined when it is not one. */
export const envOfSubject = (subject: string): string | undefined => {
  const tokens = subject.split('.');
  const cmd = tokens.lastIndexOf('cmd');
  return cmd >= 1 ? tokens[cmd - 1] : undefined;
};

/** JetStream stream names allow letters, digits, `-` and `_` only. */
const safeName = (prefix: string): string => prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase();
