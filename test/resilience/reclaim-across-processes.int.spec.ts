import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { allItems, events, finishedRun, publishProfile, startRun } from './support/ledger-checks';
import { killAllServices, startService, waitFor, type ServiceProcess } from './support/service-process';

const ASSIGN = 'POST /graph/v1.0/users/{id}/assignLicense';

interface Subscription {
  readonly userId: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: string;
}

/**
 * Reclaims across processes: a kill -9 while Graph is answering, and two instances on one
 * store asked to reclaim the same subscription at once. The sandbox counts assignLicense
 * calls as they arrive and applies a slowed one after its delay, whether or not the caller
 * is still there, as Graph would.
 */
describe('reclaims across processes', () => {
  let sandbox: Sandbox;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-reclaim-'));
    caFile = join(dir, 'sandbox-ca.pem');
    sandbox = await startSandbox({ users: 150, seed: 73, caFile });
  });
  afterEach(() => killAllServices());
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const assignCalls = () => sandbox.requestCounts()[ASSIGN] ?? 0;
  const held = (sub: Subscription) =>
    sandbox.tenant.directory.findUser(sub.userId)!.licenses.some((l) => l.skuId === sub.skuId);
  const slowAssign = (sub: Subscription, kind: 'slow' | 'timeout', delayMs?: number) =>
    sandbox.faults.add({ family: 'graph', pathContains: `${sub.userId}/assignLicense`, kind, delayMs });

  /** A published, downloaded profile; two direct Dynamics subscriptions of different users. */
  async function prepared(service: ServiceProcess): Promise<{ profileId: string; targets: Subscription[] }> {
    const profileId = await publishProfile(service, sandbox);
    expect(await finishedRun(service, await startRun(service, profileId, 'download-subscriptions'))).toMatchObject({
      status: 'succeeded',
    });
    const subs = (await allItems(service, `/api/v1/profiles/${profileId}/subscriptions`)) as Subscription[];
    const direct = subs.filter((r) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365'));
    const second = direct.find((r) => r.userId !== direct[0]!.userId)!;
    return { profileId, targets: [direct[0]!, second] };
  }

  it('kill -9 while Graph answers: the restarted service settles each reclaim by reading Graph, once', async () => {
    const sqlitePath = join(dir, 'crash.sqlite');
    const service = () => startService({ sqlitePath, caFile, instanceId: 'crash-reclaim' });
    const first = await service();
    const { profileId, targets } = await prepared(first);
    const [neverAnswered, answeredAfterCrash] = targets as [Subscription, Subscription];
    const ids = ['7e57c1a1-0000-4000-8000-00000000c001', '7e57c1a1-0000-4000-8000-00000000c002'];
    // One call Graph never answers (the license stays); one it applies 1.5 s later, when the caller is gone.
    slowAssign(neverAnswered, 'timeout');
    slowAssign(answeredAfterCrash, 'slow', 1_500);
    const calls = assignCalls();
    for (const [i, target] of [neverAnswered, answeredAfterCrash].entries()) {
      void first
        .as('admin')
        .post(`/api/v1/profiles/${profileId}/reclamations`)
        .send({ userId: target.userId, skuId: target.skuId, dryRun: false, reclamationId: ids[i] })
        .catch(() => undefined);
    }
    await waitFor('both assignLicense calls to reach Graph', async () => assignCalls() === calls + 2);
    await first.kill9();
    await waitFor('Graph to apply the slowed call', async () => !held(answeredAfterCrash));
    sandbox.faults.clear();

    const second = await service();
    const settled = async (id: string) =>
      waitFor(
        `reclamation ${id} to be settled`,
        async () => {
          const r = (await second.as('auditor').get(`/api/v1/profiles/${profileId}/reclamations/${id}`)).body;
          return r.status === 'reclaimed' || r.status === 'failed' ? r : null;
        },
        30_000,
        100,
      );
    expect(await settled(ids[0]!)).toMatchObject({ status: 'failed', detail: expect.stringContaining('cut short') });
    expect(await settled(ids[1]!)).toMatchObject({ status: 'reclaimed' });
    expect(held(neverAnswered)).toBe(true);
    expect(assignCalls()).toBe(calls + 2);
    const outcomes = (await events(second, { types: ['SubscriptionReclaimed', 'ReclamationFailed'] }))
      .filter((e) => ids.includes(e.data.reclamationId))
      .map((e) => [e.data.reclamationId, e.type])
      .sort();
    expect(outcomes).toEqual([
      [ids[0], 'ReclamationFailed'],
      [ids[1], 'SubscriptionReclaimed'],
    ]);
  }, 120_000);

  it('two instances asked at once to reclaim one subscription: one Graph call, both answer its outcome', async () => {
    const sqlitePath = join(dir, 'two.sqlite');
    const a = await startService({ sqlitePath, caFile, instanceId: 'reclaim-a' });
    const { profileId, targets } = await prepared(a);
    const target = targets[0]!;
    const b = await startService({ sqlitePath, caFile, instanceId: 'reclaim-b' });
    await waitFor('instance b to read the download', async () => {
      const res = await b.as('auditor').get(`/api/v1/profiles/${profileId}/subscriptions?userId=${target.userId}`);
      return res.status === 200 && res.body.items.some((r: Subscription) => r.skuId === target.skuId);
    });
    // Graph holds its answer long enough that every other request arrives while it is in flight,
    // however busy the machine: one that arrived after the license was gone would rightly get 404.
    slowAssign(target, 'slow', 5_000);
    const calls = assignCalls();
    const ask = (service: ServiceProcess) =>
      service
        .as('admin')
        .post(`/api/v1/profiles/${profileId}/reclamations`)
        .send({ userId: target.userId, skuId: target.skuId, dryRun: false });
    const first = ask(a).then((res) => res);
    const second = ask(b).then((res) => res);
    await waitFor('Graph to receive the reclaim', async () => assignCalls() === calls + 1);
    const answers = await Promise.all([first, second, ask(a), ask(b), ask(b), ask(a)]);
    sandbox.faults.clear();

    expect(answers.map((r) => [r.status, r.body.status])).toEqual(Array(6).fill([200, 'reclaimed']));
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(assignCalls()).toBe(calls + 1);
    const log = await events(a, { types: ['ReclamationRequested', 'SubscriptionReclaimed', 'ReclamationFailed'] });
    const mine = log.filter((e) => e.data.userId === target.userId && e.data.skuId === target.skuId);
    expect(mine.map((e) => e.type)).toEqual(['ReclamationRequested', 'SubscriptionReclaimed']);
    expect([a.exit(), b.exit()]).toEqual([null, null]);
  }, 120_000);
});
