import { array, bool, dateTime, defineEvent, int, object, oneOf, str, uuid, type EventsOf } from '../event-definition';

export const AUDIT_SETTING_CHANGES = [
  'audit-enabled',
  'audit-disabled',
  'log-deleted',
  'user-access-audit-started',
  'user-access-audit-stopped',
] as const;
export type AuditSettingChange = (typeof AUDIT_SETTING_CHANGES)[number];

export const GAP_REASONS = ['audit-off', 'user-access-audit-off', 'log-deleted', 'not-connected'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

const environmentUrl = str({ minLength: 1 });
const gap = object({ from: dateTime, to: dateTime, reason: oneOf(...GAP_REASONS) });
const CATEGORY = 'environment';

/**
 * What the ledger knows about one Dynamics 365 environment's audit log, on
 * `environment-{profileId}.{environmentKey}`: whether auditing was on, when it was switched
 * off or on or its logs deleted, which time each refresh read. Inactivity is proven only over
 * time this covers (DESIGN.md, "Coverage").
 */
export const ENVIRONMENT_EVENTS = [
  defineEvent({
    type: 'AuditSettingsObserved',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      "A refresh read the environment's audit settings: the organization row's flags, how often user access is logged (hours), how long logs are kept (days, -1 forever), and the catalog's activity tables whose own auditing is off.",
    data: object({
      profileId: uuid,
      environmentUrl,
      auditEnabled: bool,
      userAccessAuditEnabled: bool,
      userAccessAuditingIntervalHours: int({ minimum: 0 }),
      auditRetentionDays: int(),
      unauditedTables: array(str()),
      observedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'AuditSettingChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'An audit row that switches auditing on or off, or deletes logs (actions 107, 110, 111, 112, 113), read from the environment.',
    data: object({
      profileId: uuid,
      environmentUrl,
      auditId: str({ minLength: 1 }),
      action: int(),
      change: oneOf(...AUDIT_SETTING_CHANGES),
      at: dateTime,
    }),
  }),
  defineEvent({
    type: 'ActivityPulled',
    category: CATEGORY,
    schemaVersion: 1,
    description: "A refresh read the environment's audit log from `from` to `through`; the next one continues there.",
    data: object({
      profileId: uuid,
      environmentUrl,
      runId: uuid,
      from: dateTime,
      through: dateTime,
      rowsRead: int({ minimum: 0 }),
      pulledAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ActivityPullFailed',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      "A refresh could not read this environment (the others' work is kept); its coverage shows the time as not connected.",
    data: object({
      profileId: uuid,
      environmentUrl,
      runId: uuid,
      cause: str(),
      message: str(),
      failedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ActivityCoverageRecorded',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'The covered time that follows from the settings, the audit-setting rows and the reads, as of a refresh: from coveredFrom to through, except the gaps.',
    data: object({
      profileId: uuid,
      environmentUrl,
      runId: uuid,
      coveredFrom: dateTime,
      through: dateTime,
      gaps: array(gap),
    }),
  }),
] as const;

export type EnvironmentEvent = EventsOf<typeof ENVIRONMENT_EVENTS>;
