import { activityCountsFor } from '../catalog/license-activity';
import type { ActivityNeeded } from '../catalog/catalog.types';
import type { ActivityApp } from '../licensee/licensee.events';
import type { LicenseeState as Licensee } from '../licensee/licensee.state';
import { isoTime } from '../../shared/time';

export const ALL_APPS: readonly ActivityApp[] = Object.freeze(['sales', 'customerService', 'general']);

const NONE = Number.NEGATIVE_INFINITY;

/** The apps whose activity proves a license is used; null for a license without activity tracking. */
export function appsCountingFor(needed: ActivityNeeded): readonly ActivityApp[] | null {
  if (needed === null) return null;
  return Object.freeze(ALL_APPS.filter((app) => activityCountsFor(needed, app)));
}

/**
 * One user's last activity per app as of a moment T, parsed once per user and reused from user to user (a
 * tenant has 100,000 of them). The read model keeps only the latest time per app, so activity after T hides
 * any earlier activity: a true point-in-time answer folds the events up to T first, and then none is after T.
 */
export class ActivityAsOf {
  private user: Licensee | undefined;
  private readonly times: Record<ActivityApp, number> = { sales: NONE, customerService: NONE, general: NONE };

  constructor(readonly asOfMs: number) {}

  /** Point in time: activity recorded after T did not exist at T. */
  load(user: Licensee): this {
    if (user === this.user) return this;
    this.user = user;
    for (const app of ALL_APPS) {
      const at = user.lastActivity[app];
      const ms = at === null ? NONE : isoTime(at);
      this.times[app] = ms <= this.asOfMs ? ms : NONE;
    }
    return this;
  }

  /** The app among `apps` with the latest activity at or before T, or null when none has any. */
  latestApp(apps: readonly ActivityApp[]): ActivityApp | null {
    let best: ActivityApp | null = null;
    let bestMs = NONE;
    for (const app of apps) {
      const ms = this.times[app];
      if (ms > bestMs) {
        bestMs = ms;
        best = app;
      }
    }
    return best;
  }

  timeOf(app: ActivityApp): number {
    return this.times[app];
  }

  /** The timestamp as recorded, for display. */
  stampOf(app: ActivityApp | null): string | null {
    return app === null || this.user === undefined ? null : this.user.lastActivity[app];
  }
}

/**
 * The latest activity that counts for a license needing `needed`, strictly after `after`, or
 * null: what cancels a reclamation candidate whose user came back during the grace period.
 */
export function qualifyingActivitySince(
  needed: ActivityNeeded,
  lastActivity: Licensee['lastActivity'],
  after: string,
): string | null {
  let latest: string | null = null;
  for (const app of appsCountingFor(needed) ?? []) {
    const at = lastActivity[app];
    if (at !== null && at > after && (latest === null || at > latest)) latest = at;
  }
  return latest;
}
