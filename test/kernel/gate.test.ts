import { ModulesContainer } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { CATALOGUE } from '../../src/catalogue.js';
import { resolveOptions } from '../../src/config/options.js';
import { CAPABILITIES } from '../../src/kernel/authorisation.js';
import { localPrincipal } from '../../src/kernel/caller.js';
import { GatedHandler } from '../../src/kernel/gated-handler.js';
import { takeAdmitter, type Ticket } from '../../src/kernel/ticket.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { StoreSecretCommand } from '../../src/secrets/commands/store-secret/store-secret.command.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

// @nestjs/cqrs marks handler classes with these metadata keys (src/decorators/constants.ts).
const COMMAND_HANDLER = '__commandHandler__';
const QUERY_HANDLER = '__queryHandler__';

/**
 * The one pipeline (DESIGN.md section 2): every handler the application registers belongs to a
 * catalogue entry that names its capability, and none can be reached around the gate.
 */
describe('the gate', () => {
  const { home, cleanup } = tempHome('gate');
  let strongroom: Strongroom;

  beforeAll(async () => {
    strongroom = await Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: true, interface: 'library', logger: createLogger({ silent: true }) });
  });
  afterAll(async () => {
    await strongroom.close();
    cleanup();
  });

  const registeredHandlers = (): Function[] => {
    const found = new Set<Function>();
    for (const module of strongroom.app.get(ModulesContainer).values()) {
      for (const wrapper of module.providers.values()) {
        const type = wrapper.metatype as Function | null;
        if (type && (Reflect.getMetadata(COMMAND_HANDLER, type) || Reflect.getMetadata(QUERY_HANDLER, type))) found.add(type);
      }
    }
    return [...found];
  };

  it('every registered handler is a catalogue entry with a capability, and a gated handler', () => {
    const handlers = registeredHandlers();
    expect(handlers.length).toBe(CATALOGUE.length);
    for (const handler of handlers) {
      const entry = CATALOGUE.find((slice) => slice.useCase.handler === handler)?.useCase;
      expect({ handler: handler.name, inCatalogue: entry !== undefined }).toEqual({ handler: handler.name, inCatalogue: true });
      // Only a question about the caller's own rights needs no capability (see describe-caller.use-case.ts).
      if (entry?.name === 'DescribeCaller') expect(entry.capability).toBeNull();
      else expect(CAPABILITIES).toContain(entry?.capability);
      expect(handler.prototype).toBeInstanceOf(GatedHandler);
    }
    expect(new Set(CATALOGUE.map((s) => s.useCase.name)).size).toBe(CATALOGUE.length);
  });

  it('no handler can be reached around the gate, through either bus, with any message', async () => {
    const commandBus = strongroom.app.get(CommandBus);
    const queryBus = strongroom.app.get(QueryBus);
    // A forged ticket that would write as root if a handler trusted it.
    const forged = { useCase: 'x', caller: strongroom.caller(localPrincipal('intruder')), decision: { allowed: true, rule: 'root' } } as unknown as Ticket;
    for (const { useCase } of CATALOGUE) {
      const message = new useCase.message({} as never, forged);
      const sent = useCase.kind === 'command' ? commandBus.execute(message as never) : queryBus.execute(message as never);
      await expect(sent).rejects.toMatchObject({ code: 'UNGATED_CALL' });
    }
    const before = strongroom.runtime.projection.position;
    await expect(commandBus.execute(new StoreSecretCommand({ env: 'default', name: 'sneaky', value: 'x' }, forged))).rejects.toMatchObject({ code: 'UNGATED_CALL' });
    expect(strongroom.runtime.projection.position).toBe(before);
  });

  it('only the pipeline holds the stamp that admits a message', () => {
    expect(() => takeAdmitter()).toThrow(/already been taken/);
  });

  it('the same use case through the pipeline is admitted', async () => {
    await expect(strongroom.execute(StoreSecret, { name: 'through-the-gate', value: 'x' })).resolves.toMatchObject({ name: 'through-the-gate' });
  });
});
