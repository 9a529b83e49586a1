import { coverageOf } from '../conclusions/coverage';
import { assertNever, type Decider } from '../decider';
import type { AuditSettingChange, EnvironmentEvent } from './environment.events';
import { evolveEnvironment, initialEnvironment, type AuditSettings, type EnvironmentState } from './environment.state';

/** Audit `action` codes of the rows that change auditing itself (the audit entity's action choices). */
export const AUDIT_SETTING_ACTIONS: Readonly<Record<number, AuditSettingChange>> = {
  107: 'audit-enabled',
  110: 'audit-disabled',
  111: 'log-deleted',
  112: 'user-access-audit-started',
  113: 'user-access-audit-stopped',
};

interface Subject {
  readonly profileId: string;
  readonly environmentUrl: string;
}

export type EnvironmentCommand =
  | { type: 'RecordAuditSettings'; data: Subject & { settings: Omit<AuditSettings, 'observedAt'>; at: string } }
  | {
      type: 'RecordAuditSettingRows';
      data: Subject & { rows: readonly { auditId: string; action: number; at: string }[] };
    }
  | {
      type: 'RecordActivityPull';
      data: Subject & { runId: string; from: string; through: string; rowsRead: number; at: string };
    }
  | { type: 'RecordActivityPullFailure'; data: Subject & { runId: string; cause: string; message: string; at: string } }
  | { type: 'RecordCoverage'; data: Subject & { runId: string; analyzeActivityFrom: string; at: string } };

/**
 * One environment's audit history (`environment-{profileId}.{key}`): each refresh records the
 * settings it saw, the audit-setting rows it had not seen, the time it read (or that it could
 * not), and the covered time that follows.
 */
export const environmentDecider: Decider<EnvironmentCommand, EnvironmentEvent, EnvironmentState> = {
  initialState: initialEnvironment,
  evolve: evolveEnvironment,
  decide(command, state) {
    const { profileId, environmentUrl } = command.data;
    switch (command.type) {
      case 'RecordAuditSettings':
        return [
          {
            type: 'AuditSettingsObserved',
            data: {
              profileId,
              environmentUrl,
              ...command.data.settings,
              unauditedTables: [...command.data.settings.unauditedTables],
              observedAt: command.data.at,
            },
          },
        ];
      case 'RecordAuditSettingRows': {
        const known = new Set(state.changes.map((c) => c.auditId));
        const events: EnvironmentEvent[] = [];
        for (const row of command.data.rows) {
          const change = AUDIT_SETTING_ACTIONS[row.action];
          if (!change || known.has(row.auditId)) continue;
          known.add(row.auditId);
          events.push({
            type: 'AuditSettingChanged',
            data: { profileId, environmentUrl, auditId: row.auditId, action: row.action, change, at: row.at },
          });
        }
        return events;
      }
      case 'RecordActivityPull': {
        const { runId, from, through, rowsRead, at } = command.data;
        return [
          { type: 'ActivityPulled', data: { profileId, environmentUrl, runId, from, through, rowsRead, pulledAt: at } },
        ];
      }
      case 'RecordActivityPullFailure': {
        const { runId, cause, message, at } = command.data;
        return [
          { type: 'ActivityPullFailed', data: { profileId, environmentUrl, runId, cause, message, failedAt: at } },
        ];
      }
      case 'RecordCoverage': {
        const { runId, analyzeActivityFrom, at } = command.data;
        const coverage = coverageOf(state, analyzeActivityFrom, at);
        return [
          {
            type: 'ActivityCoverageRecorded',
            data: {
              profileId,
              environmentUrl,
              runId,
              coveredFrom: coverage.coveredFrom,
              through: at,
              gaps: coverage.gaps.map((g) => ({ ...g })),
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
