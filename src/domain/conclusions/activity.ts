import { activityCountsFor } from '../catalog/license-activity';
import type { ActivityBasis, ActivityNeeded } from '../catalog/catalog.types';
import { ACTIVITY_APPS, type ActivityApp } from '../licensee/licensee.events';
import type { LicenseeState as Licensee } from '../licensee/licensee.state';
import { isoTime } from '../../shared/time';

export const ALL_APPS: readonly ActivityApp[] = Object.freeze([...ACTIVITY_APPS]);

const NONE = Number.NEGATIVE_INFINITY;
const TRACKED: readonly (ActivityApp | 'beyondTeamMembers')[] = [...ACTIVITY_APPS, 'beyondTeamMembers'];

/** The kinds of activity that prove a license is used under a basis; null for a license without activity tracking. */
export function appsCountingFor(needed: ActivityNeeded, basis?: ActivityBasis): readonly ActivityApp[] | null {
  if (needed === null) return null;
  return Object.freeze(ALL_APPS.filter((app) => activityCountsFor(needed, app, basis)));
}

/** Whether sign-in rows count for this license under this basis: only then does user-access auditing matter. */
export const accessCounts = (needed: ActivityNeeded, basis?: ActivityBasis): boolean =>
  needed !== null && activityCountsFor(needed, 'access', basis);

/**
 * One user's last activity per app as of a moment T, parsed once per user and reused from user to user (a
 * tenant has 100,000 of them). The read model keeps only the latest time per app, so activity after T hides
 * any earlier activity: a true point-in-time answer folds the events up to T first, and then none is after T.
 */
export class ActivityAsOf {
  private user: Licensee | undefined;
  private readonly times: Record<ActivityApp | 'beyondTeamMembers', number> = {
    sales: NONE,
    customerService: NONE,
    general: NONE,
    common: NONE,
    access: NONE,
    other: NONE,
    beyondTeamMembers: NONE,
  };

  constructor(readonly asOfMs: number) {}

  /** Point in time: activity recorded after T did not exist at T. */
  load(user: Licensee): this {
    if (user === this.user) return this;
    this.user = user;
    for (const app of TRACKED) {
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

  timeOf(app: ActivityApp | 'beyondTeamMembers'): number {
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
  basis?: ActivityBasis,
): string | null {
  let latest: string | null = null;
  for (const app of appsCountingFor(needed, basis) ?? []) {
    const at = lastActivity[app];
    if (at !== null && at > after && (latest === null || at > latest)) latest = at;
  }
  return latest;
}
