import { CommandExecutor } from '../../src/application/command-executor';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp } from '../support/sandbox-app';

const ASSIGN = 'POST /graph/v1.0/users/{id}/assignLicense';
const OTHER = 'f0000000-0000-4000-8000-00000000000a';

interface Subscription {
  readonly userId: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: string;
}

/**
 * Two instances asked at once: this one finds the license held, but before it records its request
 * the other instance records its own and Graph's answer (on a busy machine this instance can be
 * held up for longer than the whole Graph call). The license is gone when this one decides; the
 * answer is the other request's outcome, not 404. The other instance's writes are made, through
 * the real executor, at the one moment the race needs: when this instance is about to record.
 */
describe('a reclaim whose license another instance reclaimed meanwhile', () => {
  it('answers that reclamation (reclaimed, its id) and calls Graph no more', async () => {
    const s = await startSandboxApp({ sandbox: { users: 60, seed: 73 } });
    try {
      const profileId = await publishedProfile(s);
      await runJob(s, profileId, 'download-subscriptions');
      const all: Subscription[] = (
        await s.t.as('auditor').get(`/api/v1/profiles/${profileId}/subscriptions?limit=1000`)
      ).body.items;
      const target = all.find((r) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365'))!;
      const assignCalls = () => s.sandbox.requestCounts()[ASSIGN] ?? 0;

      const executor = s.t.app.get(CommandExecutor);
      const execute = executor.execute.bind(executor);
      let meanwhile = 0;
      jest.spyOn(executor, 'execute').mockImplementation(async (streamId, decider, command, context, options) => {
        if (command.type === 'ReclaimSubscription' && meanwhile++ === 0) {
          const data = (command as unknown as { data: Record<string, unknown> }).data;
          const other = { instanceId: 'other-instance', leaseId: 'f0000000-0000-4000-8000-00000000000b' };
          await execute(
            streamId,
            decider,
            { ...command, data: { ...data, reclamationId: OTHER, requester: other } } as typeof command,
            context,
          );
          const outcome = { reclamationId: OTHER, at: new Date().toISOString(), outcome: 'reclaimed' };
          await execute(streamId, decider, { type: 'RecordReclaimOutcome', data: outcome } as never, context);
        }
        return execute(streamId, decider, command, context, options);
      });
      const calls = assignCalls();

      const answer = await s.t
        .as('admin')
        .post(`/api/v1/profiles/${profileId}/reclamations`)
        .send({ userId: target.userId, skuId: target.skuId, dryRun: false });

      expect(meanwhile).toBeGreaterThan(0);
      expect([answer.status, answer.body.id, answer.body.status]).toEqual([200, OTHER, 'reclaimed']);
      expect(assignCalls()).toBe(calls);
      const recorded = (await s.t.as('auditor').get('/api/v1/events?type=ReclamationRequested&limit=1000')).body.items;
      expect(recorded.filter((e: { data: { userId: string } }) => e.data.userId === target.userId)).toHaveLength(1);
    } finally {
      jest.restoreAllMocks();
      await s.close();
    }
  }, 60_000);
});
