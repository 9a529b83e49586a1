import type { Sandbox } from '../../../src/sandbox';
import { SANDBOX_SKUS } from '../../../src/sandbox/sku-catalog';
import type { ServiceProcess } from './service-process';
import { waitFor } from './service-process';

const OFFICE = new Set(SANDBOX_SKUS.filter((s) => s.family === 'office').map((s) => s.skuId));
const PART = new Map(SANDBOX_SKUS.map((s) => [s.skuId, s.skuPartNumber]));

export interface Envelope {
  readonly position: string;
  readonly streamId: string;
  readonly type: string;
  readonly data: Record<string, any>;
  readonly metadata: Record<string, any>;
}

/** What the tenant holds, straight from the sandbox's directory (as test/e2e/ledger.e2e.spec.ts): `userId|skuPartNumber`. */
export function tenantSubscriptions(sandbox: Sandbox): string[] {
  const out: string[] = [];
  for (const user of sandbox.tenant.directory.users) {
    for (const l of user.licenses) if (!OFFICE.has(l.skuId)) out.push(`${user.id}|${PART.get(l.skuId) ?? l.skuId}`);
  }
  return [...new Set(out)].sort();
}

/** Every page of a list endpoint. */
export async function allItems(service: ServiceProcess, path: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await service
      .as('auditor')
      .get(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** The global log (optionally only some types) after a position, every page. */
export async function events(
  service: ServiceProcess,
  options: { types?: string[]; after?: string | null } = {},
): Promise<Envelope[]> {
  const out: Envelope[] = [];
  let from = options.after ?? '0';
  for (;;) {
    const res = await service
      .as('consumer')
      .get(`/api/v1/events?from=${from}&limit=1000${options.types ? `&type=${options.types.join(',')}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /events answered ${res.status}: ${JSON.stringify(res.body)}`);
    out.push(...res.body.items);
    if (!res.body.nextCursor) return out;
    from = res.body.nextCursor;
  }
}

export async function headPosition(service: ServiceProcess): Promise<string | null> {
  const res = await service.as('auditor').get('/health/ready');
  return res.body?.store?.head ?? null;
}

/** Keys that occur more than once, with their counts. */
export function duplicates(keys: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/**
 * Each LicenseAssigned must be followed by a LicenseRemoved before the same user+sku is
 * assigned again: an assignment recorded twice is a duplicate.
 */
export function assignmentsRecordedTwice(log: readonly Envelope[]): string[] {
  const held = new Set<string>();
  const twice: string[] = [];
  for (const e of log) {
    const key = `${e.data.profileId}|${e.data.userId}|${String(e.data.skuId).toLowerCase()}`;
    if (e.type === 'LicenseAssigned') {
      if (held.has(key)) twice.push(key);
      held.add(key);
    } else if (e.type === 'LicenseRemoved' || e.type === 'SubscriptionReclaimed') {
      held.delete(key);
    }
  }
  return twice;
}

/** Creates, validates and publishes a profile for the sandbox on a service process. */
export async function publishProfile(
  service: ServiceProcess,
  sandbox: Sandbox,
  overrides: Parameters<Sandbox['profileBody']>[0] = {},
): Promise<string> {
  const created = await service.as('admin').post('/api/v1/profiles').send(sandbox.profileBody(overrides));
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const validated = await service.as('admin').post(`/api/v1/profiles/${id}/validate`);
  if (validated.body?.valid !== true) throw new Error(`validation failed: ${JSON.stringify(validated.body)}`);
  const published = await service.as('admin').post(`/api/v1/profiles/${id}/publish`);
  if (published.status !== 200)
    throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return id;
}

export async function startRun(service: ServiceProcess, profileId: string, job: string): Promise<string> {
  const started = await service.as('admin').post(`/api/v1/profiles/${profileId}/jobs/${job}/runs`);
  if (started.status !== 202)
    throw new Error(`${job} did not start: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.runId as string;
}

export async function finishedRun(
  service: ServiceProcess,
  runId: string,
  timeoutMs = 120_000,
): Promise<Record<string, any>> {
  return waitFor(
    `job run ${runId} to finish`,
    async () => {
      const run = await service.as('auditor').get(`/api/v1/job-runs/${runId}`);
      return run.body?.status === 'succeeded' || run.body?.status === 'failed'
        ? (run.body as Record<string, any>)
        : null;
    },
    timeoutMs,
    100,
  );
}
