import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { isAdmitted, type GatedMessage, type Ticket } from './ticket.js';

/**
 * Base of every command and query handler. `@nestjs/cqrs` calls handlers directly, with no
 * interceptor, so the check lives here: a message the pipeline did not admit is refused before any
 * work, whoever put it on the bus. Subclasses implement `handle` and append only through the ticket.
 */
export abstract class GatedHandler<Message extends GatedMessage, Result> {
  execute(message: Message): Promise<Result> {
    if (!isAdmitted(message)) {
      return Promise.reject(
        new StrongroomError(ErrorCode.Ungated, `${this.constructor.name} was reached around the gate; every command and query goes through the pipeline`),
      );
    }
    return this.handle(message.input as Message['input'], message.ticket);
  }

  protected abstract handle(input: Message['input'], ticket: Ticket): Promise<Result>;
}
