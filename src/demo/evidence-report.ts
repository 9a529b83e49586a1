import type { GapReason } from '../domain/environment/environment.events';

/**
 * The report's sections on what the evidence allows: low usage that cannot be proven (and
 * why), each environment's coverage gaps, downgrade advice and the integrations whose rows
 * are never counted as people's work. A license tool that calls a working person idle is
 * worse than none; these sections say where the ledger holds back and why.
 */

export interface EvidenceData {
  /** The same questions asked with every rule at `whatIf.inactivityDays`: nothing is changed. */
  readonly whatIf: {
    readonly inactivityDays: number;
    readonly proven: number;
    readonly unproven: readonly { readonly unprovenReason: GapReason | null }[];
  };
  readonly unproven: {
    readonly userPrincipalName: string;
    readonly skuPartNumber: string;
    readonly daysInactive: number;
    readonly unprovenReason: GapReason | null;
  }[];
  readonly coverage: {
    readonly environmentUrl: string;
    readonly coveredFrom: string;
    readonly gaps: readonly { readonly from: string; readonly to: string; readonly reason: GapReason }[];
    readonly unauditedTables: readonly string[];
  }[];
  readonly downgrade: {
    readonly userPrincipalName: string;
    readonly skuPartNumber: string;
    readonly suggestedSkuPartNumber: string;
    readonly monthlySavings: number | null;
    readonly evidence: { readonly lastActivityAt: string; readonly lastBeyondTeamMembersAt: string | null };
  }[];
  readonly integrations: {
    readonly name: string | null;
    readonly systemUserId: string;
    readonly rows: number;
    readonly usersActedFor: number;
    readonly environments: readonly string[];
  }[];
}

/** What each gap reason means to the reader, and what to do about it. */
export const GAP_EXPLAINED: Readonly<Record<GapReason, string>> = {
  'audit-off': 'auditing was switched off (audit rows 110 then 107): nothing anyone did then was recorded',
  'user-access-audit-off': 'user-access auditing was off (113 then 112): sign-ins were not recorded',
  'log-deleted': 'audit logs were deleted (row 111) or aged out: the time before is unknown',
  'not-connected': 'no successful read covered this time (the environment failed, or was not read yet)',
};

const day = (iso: string) => iso.slice(0, 10);
const money = (n: number | null) =>
  n === null ? 'unknown' : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function evidenceLines(e: EvidenceData, head = 5): string[] {
  return [
    ...unprovenLines(e, head),
    '',
    ...whatIfLines(e),
    '',
    ...coverageLines(e),
    '',
    ...downgradeLines(e, head),
    '',
    ...integrationLines(e),
  ];
}

function byReasonLines(unproven: readonly { readonly unprovenReason: GapReason | null }[]): string[] {
  const byReason = new Map<GapReason | null, number>();
  for (const u of unproven) byReason.set(u.unprovenReason, (byReason.get(u.unprovenReason) ?? 0) + 1);
  return [...byReason].map(([reason, n]) => `  ${n} because ${reason ? GAP_EXPLAINED[reason] : 'no reason given'}`);
}

function unprovenLines(e: EvidenceData, head: number): string[] {
  if (e.unproven.length === 0) return ['Unproven: none; every idle subscription above is proven idle.'];
  return [
    `Unproven: ${e.unproven.length} more subscriptions look idle, but the audit log does not cover their whole window, so they are not flagged and never reclaimed`,
    ...byReasonLines(e.unproven),
    ...e.unproven
      .slice(0, head)
      .map(
        (u) =>
          `  e.g. ${u.userPrincipalName}, ${u.skuPartNumber}, ${u.daysInactive} d without activity seen (${u.unprovenReason})`,
      ),
  ];
}

function whatIfLines(e: EvidenceData): string[] {
  const w = e.whatIf;
  return [
    `What if every rule were ${w.inactivityDays} days (?inactivityDays=${w.inactivityDays}; nothing is changed): ${w.proven} proven idle, ${w.unproven.length} unproven`,
    ...byReasonLines(w.unproven),
  ];
}

function coverageLines(e: EvidenceData): string[] {
  const lines = ['Audit coverage per environment (GET /activity-coverage)'];
  for (const c of e.coverage) {
    lines.push(
      `  ${c.environmentUrl}: covered from ${day(c.coveredFrom)}, ${c.gaps.length === 0 ? 'no gaps' : `${c.gaps.length} gap(s)`}`,
    );
    for (const g of c.gaps) lines.push(`    ${day(g.from)} to ${day(g.to)}  ${g.reason}`);
    if (c.unauditedTables.length > 0)
      lines.push(`    tables not audited (work there is invisible): ${c.unauditedTables.join(', ')}`);
  }
  return lines;
}

function downgradeLines(e: EvidenceData, head: number): string[] {
  const total = e.downgrade.reduce((sum, d) => sum + (d.monthlySavings ?? 0), 0);
  const lines = [
    `Downgrade advice: ${e.downgrade.length} full licenses were used, over a proven window, only as Team Members may use them; moving them saves ${money(Math.round(total * 100) / 100)} a month`,
  ];
  for (const d of e.downgrade.slice(0, head))
    lines.push(
      `  ${d.userPrincipalName}: ${d.skuPartNumber} -> ${d.suggestedSkuPartNumber}, last active ${day(d.evidence.lastActivityAt)}, ` +
        `beyond Team Members ${d.evidence.lastBeyondTeamMembersAt ? `last on ${day(d.evidence.lastBeyondTeamMembersAt)}` : 'never'}, saves ${money(d.monthlySavings)}`,
    );
  return lines;
}

function integrationLines(e: EvidenceData): string[] {
  if (e.integrations.length === 0) return ['Integrations: none wrote rows in people’s names.'];
  return [
    'Integrations that wrote audit rows in people’s names (counted as theirs, never as the people’s activity)',
    ...e.integrations.map(
      (i) =>
        `  ${i.name ?? i.systemUserId}: ${i.rows} rows, for up to ${i.usersActedFor} users, in ${i.environments.length} environment(s)`,
    ),
  ];
}
