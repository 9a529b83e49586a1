import { jobClaimDecider } from '../../src/domain/jobs/job-claim.decider';
import { jobRunDecider } from '../../src/domain/jobs/job-run.decider';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const runId = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';
const at = '2026-11-26T03:00:00.000Z';
const job = 'download-subscriptions' as const;

const claimed = (id: string, slot: string | null = null) =>
  ({
    type: 'JobRunClaimed',
    data: { runId: id, profileId, job, trigger: slot ? 'schedule' : 'manual', slot, instanceId: 'a', claimedAt: at },
  }) as const;
const released = (id: string) =>
  ({ type: 'JobRunReleased', data: { runId: id, profileId, job, outcome: 'succeeded', releasedAt: at } }) as const;
const claim = (id: string, slot: string | null = null) =>
  ({
    type: 'ClaimJobRun',
    data: { runId: id, profileId, job, trigger: slot ? 'schedule' : 'manual', slot, instanceId: 'a', at },
  }) as const;

describe('job claims: one run per profile job, one claim per scheduled day', () => {
  const spec = deciderSpec(jobClaimDecider);

  it('claims a free job', () =>
    spec
      .given([])
      .when(claim(runId))
      .then([claimed(runId)]));
  it('refuses a second run while one holds the claim', () =>
    spec
      .given([claimed(runId)])
      .when(claim(other))
      .thenThrows('job-already-running'));
  it('claims again once released', () =>
    spec
      .given([claimed(runId), released(runId)])
      .when(claim(other))
      .then([claimed(other)]));
  it('a scheduled day runs once, even after its run ended', () =>
    spec
      .given([claimed(runId, '2026-11-26'), released(runId)])
      .when(claim(other, '2026-11-26'))
      .thenThrows('job-slot-taken'));
  it('the next day is free; a manual run does not take the day', () => {
    spec
      .given([claimed(runId, '2026-11-26'), released(runId)])
      .when(claim(other, '2026-11-27'))
      .then([claimed(other, '2026-11-27')]);
    spec
      .given([claimed(runId), released(runId)])
      .when(claim(other, '2026-11-26'))
      .then([claimed(other, '2026-11-26')]);
  });
  it('releasing a run that does not hold the claim changes nothing', () =>
    spec
      .given([claimed(runId)])
      .when({ type: 'ReleaseJobRun', data: { runId: other, profileId, job, outcome: 'failed', at } })
      .then([]));
});

describe('job runs: started, progress, then exactly one of succeeded or failed', () => {
  const spec = deciderSpec(jobRunDecider);
  const started = {
    type: 'JobRunStarted',
    data: { runId, profileId, job, trigger: 'manual', instanceId: 'a', startedAt: at },
  } as const;
  const fail = {
    type: 'FailJobRun',
    data: { runId, profileId, job, error: { cause: 'interrupted', message: 'm' }, interrupted: true, at },
  } as const;

  it('starts once', () => {
    spec
      .given([])
      .when({ type: 'StartJobRun', data: { runId, profileId, job, trigger: 'manual', instanceId: 'a', at } })
      .then([started]);
    spec
      .given([started])
      .when({ type: 'StartJobRun', data: { runId, profileId, job, trigger: 'manual', instanceId: 'a', at } })
      .thenThrows('job-run-exists');
  });
  it('records progress only while running', () => {
    spec
      .given([started])
      .when({ type: 'RecordJobProgress', data: { phase: 'reading users', done: 999, total: null, at } })
      .then([
        { type: 'JobRunProgressed', data: { runId, profileId, phase: 'reading users', done: 999, total: null, at } },
      ]);
    spec
      .given([])
      .when({ type: 'RecordJobProgress', data: { phase: 'x', done: 1, total: null, at } })
      .then([]);
  });
  it('completes a running run with its summary; a finished run cannot fail afterwards', () => {
    const done = spec
      .given([started])
      .when({ type: 'CompleteJobRun', data: { summary: { users: 3 }, at } })
      .events();
    expect(done).toEqual([
      { type: 'JobRunSucceeded', data: { runId, profileId, job, summary: { users: 3 }, finishedAt: at } },
    ]);
    spec
      .given([started, ...done])
      .when(fail)
      .then([]);
  });
  it('a run a crash left behind (never started, or started) can be failed as interrupted', () => {
    spec
      .given([])
      .when(fail)
      .thenMatch([{ type: 'JobRunFailed', data: { interrupted: true, error: { cause: 'interrupted' } } }]);
    spec
      .given([started])
      .when(fail)
      .thenMatch([{ type: 'JobRunFailed' }]);
  });
});
