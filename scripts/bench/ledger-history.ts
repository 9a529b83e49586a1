import { randomUUID } from 'node:crypto';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { findCatalogEntry } from '../../src/domain/catalog/catalog';
import type { NewEvent, StreamAppend } from '../../src/eventstore/event-store.port';
import { SANDBOX_SKUS } from '../../src/sandbox/sku-catalog';
import { mulberry32, uuid } from '../../src/sandbox/random';

const DAY_MS = 86_400_000;
/** The version each type is written at today (the registry refuses any other on append). */
const SCHEMA_VERSIONS = new Map(ALL_EVENT_DEFINITIONS.map((d) => [d.type, d.schemaVersion]));
const APPS = ['sales', 'customerService', 'general'] as const;

/**
 * A tenant's history as the jobs write it, without Graph: a first download (every licensed
 * user's LicenseAssigned), then alternating activity pulls (UserActivityRecorded) and daily
 * re-syncs with churn (assignments, removals, changes of how a license is held, renamed
 * users), each job's changes one appendMany with expected revisions, ended by the catalog
 * summary. Seeded, so every run writes the same events.
 */
export class LedgerHistory {
  readonly profileId = '0b6c1e9e-6f3a-4c55-9d2b-3c3f8e2b7a10';
  private readonly rng: () => number;
  private readonly skus = SANDBOX_SKUS.filter((s) => s.family === 'dynamics' || s.family === 'power').map((s) => ({
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    recognized: findCatalogEntry({ skuId: s.skuId }) !== undefined,
  }));
  private readonly userIds: string[];
  private readonly revisions: Int32Array;
  private readonly held: number[][];
  private catalogRevision = -1;
  private round = 0;
  private clock = Date.parse('2026-01-05T02:00:00.000Z');

  constructor(
    readonly users: number,
    seed: number,
  ) {
    this.rng = mulberry32(seed);
    this.userIds = Array.from({ length: users }, () => uuid(this.rng));
    this.revisions = new Int32Array(users).fill(-1);
    this.held = Array.from({ length: users }, () => []);
  }

  /** The next job's appends: the first download, then activity pulls and re-syncs in turn. */
  next(): StreamAppend[] {
    const round = this.round++;
    this.clock += round === 0 ? 0 : DAY_MS / 2;
    return round === 0 ? this.firstDownload() : round % 2 === 1 ? this.activityPull(round === 1) : this.resync();
  }

  private firstDownload(): StreamAppend[] {
    const runId = randomUUID();
    const appends: StreamAppend[] = [];
    for (let u = 0; u < this.users; u++) {
      // 1–4 SKUs, 2.5 on average, as the sandbox tenant assigns.
      const count = 1 + Math.floor(this.rng() * 4);
      const events: NewEvent[] = [];
      for (let k = 0; k < count; k++) {
        const sku = this.pickSkuNotHeld(u);
        if (sku >= 0) events.push(this.assigned(u, sku, runId));
      }
      appends.push(this.stream(u, events));
    }
    appends.push(this.summary(runId, 'SubscriptionSnapshotRecorded'));
    return appends;
  }

  private activityPull(first: boolean): StreamAppend[] {
    const runId = randomUUID();
    const appends: StreamAppend[] = [];
    const share = first ? 0.7 : 0.45;
    for (let u = 0; u < this.users; u++) {
      if (this.rng() >= share) continue;
      const apps = this.rng() < 0.3 ? 2 : 1;
      const events: NewEvent[] = [];
      for (let k = 0; k < apps; k++) {
        const app = APPS[(u + k) % APPS.length];
        const at = new Date(this.clock - Math.floor(this.rng() * 3 * DAY_MS)).toISOString();
        events.push(
          this.event(
            'UserActivityRecorded',
            {
              profileId: this.profileId,
              userId: this.userIds[u],
              app,
              lastActivityAt: at,
              source: 'dataverse-audit',
              environmentUrl: 'https://bench.crm.dynamics.com',
              beyondTeamMembers: app !== 'general',
            },
            runId,
          ),
        );
      }
      appends.push(this.stream(u, events));
    }
    appends.push(this.summary(runId, 'ActivityPullRecorded'));
    return appends;
  }

  private resync(): StreamAppend[] {
    const runId = randomUUID();
    const appends: StreamAppend[] = [];
    const takenAt = this.now();
    for (let u = 0; u < this.users; u++) {
      const roll = this.rng();
      const events: NewEvent[] = [];
      const userId = this.userIds[u];
      if (roll < 0.03 && this.held[u].length > 0) {
        const sku = this.skus[this.held[u].pop()!];
        events.push(
          this.event(
            'LicenseRemoved',
            {
              profileId: this.profileId,
              userId,
              skuId: sku.skuId,
              skuPartNumber: sku.skuPartNumber,
              reason: 'unassigned',
              removedAt: takenAt,
            },
            runId,
          ),
        );
      } else if (roll < 0.06) {
        const sku = this.pickSkuNotHeld(u);
        if (sku >= 0) events.push(this.assigned(u, sku, runId));
      } else if (roll < 0.07 && this.held[u].length > 0) {
        const sku = this.skus[this.held[u][0]];
        const group = uuid(this.rng);
        events.push(
          this.event(
            'LicenseAssignmentChanged',
            {
              profileId: this.profileId,
              userId,
              skuId: sku.skuId,
              skuPartNumber: sku.skuPartNumber,
              assignedVia: 'both',
              groupIds: [group],
              previousAssignedVia: 'direct',
              previousGroupIds: [],
              changedAt: takenAt,
            },
            runId,
          ),
        );
      } else if (roll < 0.075) {
        events.push(
          this.event(
            'LicenseeDetailsChanged',
            {
              profileId: this.profileId,
              userId,
              userPrincipalName: upn(u, this.round),
              accountEnabled: this.rng() < 0.9,
              userType: 'Member',
              changedAt: takenAt,
            },
            runId,
          ),
        );
      }
      if (events.length > 0) appends.push(this.stream(u, events));
    }
    appends.push(this.summary(runId, 'SubscriptionSnapshotRecorded'));
    return appends;
  }

  private assigned(u: number, sku: number, runId: string): NewEvent {
    this.held[u].push(sku);
    const s = this.skus[sku];
    const direct = this.rng() < 0.8;
    return this.event(
      'LicenseAssigned',
      {
        profileId: this.profileId,
        userId: this.userIds[u],
        userPrincipalName: upn(u, 0),
        skuId: s.skuId,
        skuPartNumber: s.skuPartNumber,
        assignedVia: direct ? 'direct' : 'group',
        groupIds: direct ? [] : [uuid(this.rng)],
        assignedAt: new Date(this.clock - Math.floor(this.rng() * 400) * DAY_MS).toISOString(),
        accountEnabled: true,
        userType: 'Member',
        recognized: s.recognized,
      },
      runId,
    );
  }

  private summary(runId: string, type: 'SubscriptionSnapshotRecorded' | 'ActivityPullRecorded'): StreamAppend {
    const at = this.now();
    const data =
      type === 'SubscriptionSnapshotRecorded'
        ? {
            profileId: this.profileId,
            runId,
            takenAt: at,
            counts: {
              users: this.users,
              licensedUsers: this.users,
              subscriptions: 0,
              assigned: 0,
              changed: 0,
              removed: 0,
              modelsCreated: 0,
              unrecognized: 0,
              outOfScopeSkus: 0,
            },
          }
        : {
            profileId: this.profileId,
            runId,
            from: new Date(this.clock - DAY_MS).toISOString(),
            through: at,
            rowsRead: 0,
            activityRecorded: 0,
            ignored: { applicationUsers: 0, unknownUsers: 0, notActivity: 0, beforeWindow: 0 },
          };
    const expectedRevision = this.catalogRevision < 0 ? ('no-stream' as const) : this.catalogRevision;
    this.catalogRevision += 1;
    return { streamId: `catalog-${this.profileId}`, expectedRevision, events: [this.event(type, data, runId)] };
  }

  private stream(u: number, events: NewEvent[]): StreamAppend {
    const before = this.revisions[u];
    this.revisions[u] += events.length;
    return {
      streamId: `licensee-${this.profileId}.${this.userIds[u]}`,
      expectedRevision: before < 0 ? 'no-stream' : before,
      events,
    };
  }

  private event(type: string, data: Record<string, unknown>, runId: string): NewEvent {
    return {
      id: randomUUID(),
      type,
      data: data as NewEvent['data'],
      metadata: {
        actor: { kind: 'scheduler', id: 'bench-host:3000' },
        correlationId: runId,
        causationId: null,
        schemaVersion: SCHEMA_VERSIONS.get(type) ?? 1,
      },
    };
  }

  private pickSkuNotHeld(u: number): number {
    for (let tries = 0; tries < 8; tries++) {
      const sku = Math.floor(this.rng() * this.skus.length);
      if (!this.held[u].includes(sku)) return sku;
    }
    return -1;
  }

  private now(): string {
    return new Date(this.clock).toISOString();
  }
}

/** Counts the events of a job's appends. */
export const eventCount = (appends: readonly StreamAppend[]): number =>
  appends.reduce((n, a) => n + a.events.length, 0);

/** The first `n` events of the appends, cut at an event boundary (revisions stay consistent). */
export function firstEvents(appends: readonly StreamAppend[], n: number): StreamAppend[] {
  const out: StreamAppend[] = [];
  let left = n;
  for (const a of appends) {
    if (left <= 0) break;
    const events = a.events.length <= left ? a.events : a.events.slice(0, left);
    out.push(events === a.events ? a : { ...a, events });
    left -= events.length;
  }
  return out;
}

const upn = (u: number, round: number): string =>
  `user${u}${round ? `.r${round}` : ''}@licenseledgersandbox.onmicrosoft.com`;
