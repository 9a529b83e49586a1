import { assertNever } from '../decider';
import type { AuditSettingChange, EnvironmentEvent, GapReason } from './environment.events';

/** The organization's audit settings as one refresh saw them. */
export interface AuditSettings {
  readonly auditEnabled: boolean;
  readonly userAccessAuditEnabled: boolean;
  readonly userAccessAuditingIntervalHours: number;
  /** Days the audit log keeps rows; -1 (or 0) keeps them forever. */
  readonly auditRetentionDays: number;
  readonly unauditedTables: readonly string[];
  readonly observedAt: string;
}

export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

export interface Gap extends TimeRange {
  readonly reason: GapReason;
}

/** One environment's audit history, folded from its stream. */
export interface EnvironmentState {
  readonly profileId: string;
  readonly environmentUrl: string;
  /** The latest settings observed, or null before the first refresh read them. */
  readonly settings: AuditSettings | null;
  /** Every observation, oldest first: the flags at the moment each refresh looked. */
  readonly observations: readonly AuditSettings[];
  /** Audit-setting rows, oldest first, each once. */
  readonly changes: readonly { readonly auditId: string; readonly change: AuditSettingChange; readonly at: string }[];
  /** The time the audit log was read for, merged, oldest first; `pulledAt` is when each read began covering. */
  readonly reads: readonly (TimeRange & { readonly pulledAt: string })[];
  /** Where the next read continues. */
  readonly through: string | null;
  readonly lastFailure: { readonly cause: string; readonly message: string; readonly at: string } | null;
}

export const initialEnvironment = (): EnvironmentState => ({
  profileId: '',
  environmentUrl: '',
  settings: null,
  observations: [],
  changes: [],
  reads: [],
  through: null,
  lastFailure: null,
});

/** Adds a read to the merged list: reads overlap (each re-reads the access-audit interval) or follow each other. */
function withRead(reads: EnvironmentState['reads'], read: TimeRange & { pulledAt: string }): EnvironmentState['reads'] {
  const all = [...reads, read].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: (TimeRange & { pulledAt: string })[] = [];
  for (const r of all) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to) {
      merged[merged.length - 1] = {
        from: last.from,
        to: r.to > last.to ? r.to : last.to,
        pulledAt: last.pulledAt < r.pulledAt ? last.pulledAt : r.pulledAt,
      };
    } else merged.push({ ...r });
  }
  return merged;
}

export function evolveEnvironment(state: EnvironmentState, event: EnvironmentEvent): EnvironmentState {
  const s =
    state.environmentUrl === event.data.environmentUrl
      ? state
      : { ...state, profileId: event.data.profileId, environmentUrl: event.data.environmentUrl };
  switch (event.type) {
    case 'AuditSettingsObserved': {
      const { profileId: _p, environmentUrl: _e, ...settings } = event.data;
      return { ...s, settings, observations: [...s.observations, settings] };
    }
    case 'AuditSettingChanged': {
      if (s.changes.some((c) => c.auditId === event.data.auditId)) return s;
      const { auditId, change, at } = event.data;
      const changes = [...s.changes, { auditId, change, at }].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      return { ...s, changes };
    }
    case 'ActivityPulled': {
      const { from, through, pulledAt } = event.data;
      const next = s.through === null || through > s.through ? through : s.through;
      return { ...s, reads: withRead(s.reads, { from, to: through, pulledAt }), through: next, lastFailure: null };
    }
    case 'ActivityPullFailed':
      return { ...s, lastFailure: { cause: event.data.cause, message: event.data.message, at: event.data.failedAt } };
    case 'ActivityCoverageRecorded':
      return s;
    default:
      return assertNever(event);
  }
}
