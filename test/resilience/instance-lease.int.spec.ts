import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { openSqliteDatabase } from '../../src/storage/sqlite-database';
import { events } from './support/ledger-checks';
import { killAllServices, startService, waitFor, type ServiceProcess } from './support/service-process';

/**
 * Two service processes under one SAM_INSTANCE_ID on one store: the second must refuse to
 * start (it would settle the first one's running job claims as interrupted), and must be
 * able to start once the first has stopped, cleanly or by a crash.
 */
describe('one live process per instance id', () => {
  let dir: string;
  let sqlitePath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'll-lease-'));
    sqlitePath = join(dir, 'sam.sqlite');
  });
  afterEach(async () => {
    await killAllServices();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (instanceId: string, env: Record<string, string> = {}, waitForReady = true) =>
    startService({ sqlitePath, instanceId, env, waitFor: waitForReady ? 'ready' : 'nothing' });
  const exited = (service: ServiceProcess) => waitFor(`${service.instanceId} to exit`, async () => service.exit());
  const leaseEvents = async (service: ServiceProcess, instanceId: string) =>
    (await events(service, { types: ['InstanceLeaseTaken', 'InstanceLeaseRenewed', 'InstanceLeaseReleased'] })).filter(
      (e) => e.streamId === `instance-${instanceId}`,
    );

  it('a second process under a held id exits 1 with one line naming the holder; the first keeps serving', async () => {
    const first = await start('twin');
    const before = await leaseEvents(first, 'twin');
    const second = await start('twin', {}, false);
    expect(await exited(second)).toEqual({ code: 1, signal: null });
    const lines = second.output().trim().split('\n');
    expect(lines.at(-1)).toBe(
      `license-ledger: failed to start: SAM_INSTANCE_ID "twin" is in use by another running instance (host ${hostname()}, pid ${first.child.pid}, alive until at least ${before[0]!.data.expiresAt}): give each instance its own SAM_INSTANCE_ID, or stop the other one`,
    );
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    expect(await leaseEvents(first, 'twin')).toEqual(before);
  });

  it('after a clean stop the id is free at once', async () => {
    const first = await start('handover');
    await first.stop();
    const second = await start('handover');
    expect((await leaseEvents(second, 'handover')).map((e) => e.type)).toEqual([
      'InstanceLeaseTaken',
      'InstanceLeaseReleased',
      'InstanceLeaseTaken',
    ]);
  });

  it('after a crash (kill -9) on this host, a restart takes the id over at once: the holder is gone', async () => {
    const first = await start('phoenix');
    const firstPid = first.child.pid;
    await first.kill9();
    const second = await start('phoenix');
    const lease = await leaseEvents(second, 'phoenix');
    expect(lease.map((e) => [e.type, e.data.pid])).toEqual([
      ['InstanceLeaseTaken', firstPid],
      ['InstanceLeaseTaken', second.child.pid],
    ]);
  });

  it('renews its lease every third of SAM_INSTANCE_LEASE_SECONDS', async () => {
    const service = await start('heartbeat', { SAM_INSTANCE_LEASE_SECONDS: '15' });
    const renewed = await waitFor(
      'a renewal',
      async () => (await leaseEvents(service, 'heartbeat')).find((e) => e.type === 'InstanceLeaseRenewed'),
      20_000,
    );
    expect(renewed.data).toMatchObject({ instanceId: 'heartbeat', pid: service.child.pid });
    expect(Date.parse(renewed.data.expiresAt) - Date.parse(renewed.data.renewedAt)).toBe(15_000);
  });

  it('a lease held from another host waits for its expiry', async () => {
    const holdFromElsewhere = async (expiresAt: string) => {
      const store = new SqliteEventStore(openSqliteDatabase(sqlitePath));
      const existing = await store.readStream('instance-remote');
      await store.append(
        'instance-remote',
        [
          {
            id: crypto.randomUUID(),
            type: 'InstanceLeaseTaken',
            data: {
              instanceId: 'remote',
              leaseId: crypto.randomUUID(),
              hostname: 'another-host',
              pid: 1,
              bootId: null,
              takenAt: new Date().toISOString(),
              expiresAt,
            },
            metadata: {
              actor: { kind: 'system', id: 'test' },
              correlationId: 'test',
              causationId: null,
              schemaVersion: 1,
            },
          },
        ],
        existing.length === 0 ? 'no-stream' : existing.length - 1,
      );
      await store.close();
    };
    await holdFromElsewhere(new Date(Date.now() + 3_600_000).toISOString());
    const refused = await start('remote', {}, false);
    expect(await exited(refused)).toEqual({ code: 1, signal: null });
    expect(refused.output()).toContain('(host another-host, pid 1,');

    await holdFromElsewhere(new Date(Date.now() - 1_000).toISOString());
    const started = await start('remote');
    expect((await leaseEvents(started, 'remote')).at(-1)).toMatchObject({
      type: 'InstanceLeaseTaken',
      data: { hostname: hostname(), pid: started.child.pid },
    });
  });
});
