import type { Decider } from '../decider';
import type { IntegrationEvent, RecordIntegrationActivity } from './integration.events';

/** The total so far of one integration, folded from its stream. */
export interface IntegrationState {
  readonly rows: number;
  readonly lastActivityAt: string | null;
}

/** RecordIntegrationActivity: each refresh's tally is a fact of its own (the rows were never the user's). */
export const integrationDecider: Decider<RecordIntegrationActivity, IntegrationEvent, IntegrationState> = {
  initialState: () => ({ rows: 0, lastActivityAt: null }),
  evolve: (state, event) => ({
    rows: state.rows + event.data.rows,
    lastActivityAt:
      state.lastActivityAt === null || event.data.lastActivityAt > state.lastActivityAt
        ? event.data.lastActivityAt
        : state.lastActivityAt,
  }),
  decide: (command) => [{ type: 'IntegrationActivityRecorded', data: command.data }],
};
