import { classifyAuditRow } from '../catalog/audit-tables';
import { isoTime } from '../../shared/time';
import type { ActivityApp, LicenseeEvent } from './licensee.events';
import type { LicenseeState } from './licensee.state';

/** One kind of activity of one user in a pull, as the audit log showed it: the latest such row. */
export interface ObservedActivity {
  readonly app: ActivityApp;
  /** ISO time of the latest row of this kind. */
  readonly at: string;
  readonly beyondTeamMembers: boolean;
  readonly environmentUrl: string | null;
}

export interface RecordUserActivity {
  readonly type: 'RecordUserActivity';
  readonly data: {
    readonly profileId: string;
    readonly userId: string;
    readonly activity: readonly ObservedActivity[];
    readonly source: string;
  };
}

/**
 * RecordUserActivity: a fact only where the pull moves the user's last activity of a kind
 * forward, or their last activity beyond Team Members rights.
 */
export function decideUserActivity(command: RecordUserActivity, state: LicenseeState): LicenseeEvent[] {
  const { profileId, userId, activity, source } = command.data;
  const last: Record<string, string | null> = { ...state.lastActivity };
  const events: LicenseeEvent[] = [];
  for (const { app, at, beyondTeamMembers, environmentUrl } of activity) {
    const moves = last[app] === null || at > last[app]!;
    const movesBeyond = beyondTeamMembers && (last.beyondTeamMembers === null || at > last.beyondTeamMembers);
    if (!moves && !movesBeyond) continue;
    if (moves) last[app] = at;
    if (movesBeyond) last.beyondTeamMembers = at;
    events.push({
      type: 'UserActivityRecorded',
      data: { profileId, userId, app, lastActivityAt: at, source, environmentUrl, beyondTeamMembers },
    });
  }
  return events;
}

export interface AuditRow {
  readonly createdon: string;
  readonly _userid_value: string | null;
  /** Set when the row was written through impersonation: the identity that called. */
  readonly _callinguserid_value?: string | null;
  readonly objecttypecode?: string | null;
  readonly action?: number | null;
  readonly operation?: number | null;
}

export interface SystemUserRow {
  readonly systemuserid: string;
  readonly azureactivedirectoryobjectid: string | null;
  readonly accessmode?: number | null;
  readonly applicationid?: string | null;
  readonly fullname?: string | null;
  readonly domainname?: string | null;
}

export interface IgnoredRows {
  applicationUsers: number;
  unknownUsers: number;
  notActivity: number;
  beforeWindow: number;
  impersonated: number;
}

/** What one integration did in a pull: rows it wrote in people's names. */
export interface IntegrationActivity {
  readonly systemUserId: string;
  readonly name: string | null;
  readonly applicationId: string | null;
  readonly rows: number;
  readonly usersActedFor: number;
  readonly lastActivityAt: string;
}

/**
 * Reduces one environment's audit log, fed page by page (a large tenant's does not fit in one
 * array), to each user's latest row of each kind. Rows are attributed by the table they touched
 * (catalog data). A row whose calling user is set and is not the user itself was written by an
 * integration impersonating the user: it is the integration's activity, never the user's.
 * Application users (access mode 4 "non-interactive", or an application id) and users Graph
 * does not know are ignored, as is anything before `analyzeActivityFrom`.
 */
export class AuditActivity {
  /** Epoch ms per user and kind (`app|beyond`): comparing numbers is the same order, and formatting waits for the winners. */
  private readonly latest = new Map<string, Map<string, number>>();
  private readonly byIntegration = new Map<string, { rows: number; users: Set<string>; latest: number }>();
  private readonly windowStartMs: number;
  private readonly systemUsers = new Map<string, SystemUserRow>();
  private rows = 0;
  private readonly ignoredRows: IgnoredRows = {
    applicationUsers: 0,
    unknownUsers: 0,
    notActivity: 0,
    beforeWindow: 0,
    impersonated: 0,
  };

  constructor(
    readonly environmentUrl: string | null,
    analyzeActivityFrom: string,
    systemUsers: Iterable<SystemUserRow>,
    private readonly knownUser: (userId: string) => boolean,
  ) {
    for (const su of systemUsers) this.systemUsers.set(su.systemuserid.toLowerCase(), su);
    this.windowStartMs = Date.parse(`${analyzeActivityFrom}T00:00:00.000Z`);
  }

  add(rows: readonly AuditRow[]): void {
    for (const row of rows) {
      this.rows += 1;
      // Date.parse's answer, several times faster for the audit log's UTC form: a pull reads 400,000 rows.
      const time = isoTime(row.createdon);
      if (Number.isNaN(time)) {
        this.ignoredRows.notActivity += 1;
        continue;
      }
      if (time < this.windowStartMs) {
        this.ignoredRows.beforeWindow += 1;
        continue;
      }
      const kind = classifyAuditRow(row);
      if (kind === null) {
        this.ignoredRows.notActivity += 1;
        continue;
      }
      const subject = row._userid_value?.toLowerCase() ?? null;
      const caller = row._callinguserid_value?.toLowerCase() ?? null;
      if (caller && caller !== subject) {
        this.ignoredRows.impersonated += 1;
        this.integration(caller, subject, time);
        continue;
      }
      const su = subject ? this.systemUsers.get(subject) : undefined;
      if (su && ((su.accessmode ?? 0) === 4 || !!su.applicationid)) {
        this.ignoredRows.applicationUsers += 1;
        continue;
      }
      const userId = su?.azureactivedirectoryobjectid?.toLowerCase();
      if (!userId || !this.knownUser(userId)) {
        this.ignoredRows.unknownUsers += 1;
        continue;
      }
      let kinds = this.latest.get(userId);
      if (!kinds) this.latest.set(userId, (kinds = new Map()));
      const key = kind.beyondTeamMembers ? `${kind.app}|1` : kind.app;
      const previous = kinds.get(key);
      if (previous === undefined || time > previous) kinds.set(key, time);
    }
  }

  get rowsRead(): number {
    return this.rows;
  }

  get ignored(): IgnoredRows {
    return { ...this.ignoredRows };
  }

  /** Each user's latest activity of each kind, ready to be recorded. */
  *perUser(): Iterable<{ userId: string; activity: ObservedActivity[] }> {
    for (const [userId, kinds] of this.latest) {
      const activity: ObservedActivity[] = [];
      for (const [key, ms] of kinds) {
        const beyondTeamMembers = key.endsWith('|1');
        const app = (beyondTeamMembers ? key.slice(0, -2) : key) as ActivityApp;
        // A row beyond Team Members rights at the same moment says all the other one does.
        if (!beyondTeamMembers && kinds.get(`${app}|1`) === ms) continue;
        activity.push({ app, at: new Date(ms).toISOString(), beyondTeamMembers, environmentUrl: this.environmentUrl });
      }
      // Ties broken by app, then rights: the order (so the revisions and ids) never depends on the order rows were read in.
      activity.sort((a, b) =>
        a.at !== b.at
          ? a.at < b.at
            ? -1
            : 1
          : a.app !== b.app
            ? a.app < b.app
              ? -1
              : 1
            : Number(a.beyondTeamMembers) - Number(b.beyondTeamMembers),
      );
      yield { userId, activity };
    }
  }

  /** What each impersonating identity did, for the integrations view. */
  integrations(): IntegrationActivity[] {
    return [...this.byIntegration].map(([systemUserId, seen]) => {
      const su = this.systemUsers.get(systemUserId);
      return {
        systemUserId,
        name: su?.fullname ?? su?.domainname ?? null,
        applicationId: su?.applicationid ?? null,
        rows: seen.rows,
        usersActedFor: seen.users.size,
        lastActivityAt: new Date(seen.latest).toISOString(),
      };
    });
  }

  private integration(caller: string, subject: string | null, time: number): void {
    let seen = this.byIntegration.get(caller);
    if (!seen) this.byIntegration.set(caller, (seen = { rows: 0, users: new Set(), latest: time }));
    seen.rows += 1;
    if (subject) seen.users.add(subject);
    if (time > seen.latest) seen.latest = time;
  }
}
