import type { Decider, DomainEvent } from '../../src/domain/decider';

/** given(events).when(command).then(events) | .thenThrows(code): specifications for deciders. */
export function deciderSpec<C extends { type: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(history: readonly E[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            thenMatch(expected: readonly unknown[]) {
              expect(run()).toMatchObject(expected);
            },
            thenThrows(code: string) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toMatchObject({ code });
            },
            events: run,
          };
        },
        state,
      };
    },
  };
}
