/**
 * Given/when/then over a pure decider: fold the given events, decide on the command, compare events
 * (or the error code thrown).
 */
export const deciderSpec = <State, Event, Command>(d: {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}) => ({
  given: (events: Event[]) => ({
    when: (command: Command) => {
      const run = () => d.decide(command, events.reduce(d.evolve, d.initialState()));
      return {
        then: (expected: Event[]) => expect(run()).toEqual(expected),
        thenThrows: (code: string) => {
          let thrown: unknown;
          try {
            run();
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toMatchObject({ code });
        },
      };
    },
  }),
});
