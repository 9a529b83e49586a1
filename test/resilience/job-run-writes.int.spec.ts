import { CommandExecutor } from '../../src/application/command-executor';
import { APP_OPTIONS, CONFIG, EVENT_REGISTRY, LOGGER } from '../../src/core/tokens';
import type { EventStore, NewEvent } from '../../src/eventstore/event-store.port';
import { JobRunner } from '../../src/jobs/job-runner';
import type { JobImplementation } from '../../src/jobs/job-implementation';
import { systemClock } from '../../src/shared/clock';
import { publishedProfile, waitForRun } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

/**
 * The app's own store with one fault: the first progress write of a run is held at the
 * store's door. It is let in the moment anything else reads that run's stream (and the read
 * is answered only once it has landed, so the reader is sure to hold a stale revision), or,
 * if nothing reads the stream first, once the event loop has turned.
 */
function storeHoldingFirstProgress(store: EventStore) {
  const seen = { held: 0 };
  let arrived!: () => void;
  /** Resolves once the first progress write is being held. */
  const holding = new Promise<void>((resolve) => (arrived = resolve));
  let release: (() => void) | null = null;
  let landed: Promise<unknown> = Promise.resolve();
  const letIn = () => {
    const open = release;
    release = null;
    open?.();
  };
  const gated = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append')
        return async (streamId: string, events: readonly NewEvent[], expected: Parameters<EventStore['append']>[2]) => {
          if (!streamId.startsWith('jobrun-') || events[0]?.type !== 'JobRunProgressed' || seen.held > 0)
            return target.append(streamId, events, expected);
          seen.held += 1;
          await new Promise<void>((resolve) => {
            release = resolve;
            arrived();
            setImmediate(letIn);
          });
          const appended = target.append(streamId, events, expected);
          landed = appended.catch(() => undefined);
          return appended;
        };
      if (property === 'readStream')
        return async (streamId: string, options?: Parameters<EventStore['readStream']>[1]) => {
          const events = await target.readStream(streamId, options);
          if (release && streamId.startsWith('jobrun-')) {
            letIn();
            await new Promise((resolve) => setImmediate(resolve));
            await landed;
          }
          return events;
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: gated, seen, holding };
}

/**
 * Progress writes are fire-and-forget; the end of a run is not. When the two met on the run's
 * stream, the final write could lose the race for the revision and a run that succeeded was
 * recorded as failed ("conflict"). Forced here: the job reports a new phase and returns while
 * that progress write is held; it lands just after the final write has read the stream.
 */
describe('a progress write still in flight when the run ends', () => {
  let s: SandboxApp;
  let profileId: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 20, seed: 91 } });
    profileId = await publishedProfile(s);
  }, 60_000);
  afterAll(() => s?.close());

  it('is recorded before the run completes, and the run succeeds', async () => {
    const { store, seen, holding } = storeHoldingFirstProgress(s.t.store);
    const commands = new CommandExecutor(store, s.t.app.get(EVENT_REGISTRY), s.t.runner);
    const job: JobImplementation = {
      job: 'download-subscriptions',
      async run(ctx) {
        ctx.progress('last-phase', 1, 1);
        await holding; // the run ends while its progress write is in flight
        return { users: 0 };
      },
    };
    const runner = new JobRunner(
      commands,
      [job],
      s.t.app.get(CONFIG),
      systemClock,
      s.t.app.get(LOGGER),
      s.t.app.get(APP_OPTIONS),
    );
    const { runId } = await runner.request(profileId, 'download-subscriptions', 'manual', {
      actor: { kind: 'system', id: 'test' },
      correlationId: 'c',
      causationId: null,
    });
    const run = await waitForRun(s, runId);

    expect(seen.held).toBe(1);
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    const types = (await s.t.store.readStream(`jobrun-${runId}`)).map((e) => e.type);
    expect(types).toEqual(['JobRunStarted', 'JobRunProgressed', 'JobRunSucceeded']);
  });
});
