import { evidenceLines, type EvidenceData } from './evidence-report';

/** The demo's license report as plain text tables: what a newcomer reads first. */

export interface ReportData {
  readonly profile: { id: string; displayName: string };
  readonly totals: {
    users: number;
    licensedUsers: number;
    subscriptions: number;
    softwareModels: number;
    unrecognized: { skuPartNumber: string; assignedCount: number }[];
    lowUsage: number;
    lowUsageMonthlyCost: number;
    monthlyCost: number;
  };
  readonly lowUsage: {
    userPrincipalName: string;
    skuPartNumber: string;
    lastActivityAt: string | null;
    daysInactive: number;
    thresholdDays: number;
    monthlyCost: number | null;
  }[];
  readonly consolidation: {
    users: number;
    monthlySavings: number;
    head: {
      userPrincipalName: string;
      suggestedBase: string;
      suggestedAttach: string[];
      /** Bases with no attach SKU that qualifies on the kept base (another family, Business Central). */
      notConvertible: string[];
      monthlySavings: number;
    }[];
  };
  readonly position: {
    skuPartNumber: string;
    purchased: number;
    /** Units in the renewal grace period (Graph prepaidUnits.warning): usable until renewal, lost unless renewed. */
    inGracePeriod: number;
    suspended: number;
    lockedOut: number;
    assigned: number;
    active: number | null;
    lowUsage: number;
    excluded: number;
    compliance: string;
    monthlyCost: number | null;
  }[];
  readonly evidence: EvidenceData;
  readonly asOf: string;
  readonly eventPosition: string | null;
}

const money = (n: number | null) =>
  n === null ? '—' : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Text columns align left, numbers and amounts right. */
function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const numeric = headers.map(
    (_, i) =>
      rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^(\$[\d,.]+|—|\d+ d)$/.test(String(r[i]))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** One line per model with units that lapse: what an admin must renew (or has already lost). */
export function lapsingUnitLines(position: ReportData['position']): string[] {
  const lines: string[] = [];
  for (const p of position) {
    if (p.inGracePeriod > 0)
      lines.push(`  ${units(p.inGracePeriod)} of ${p.skuPartNumber} in their renewal grace period: renew or lose them`);
    if (p.suspended > 0)
      lines.push(
        `  ${units(p.suspended)} of ${p.skuPartNumber} suspended: reactivate them before Microsoft deletes them`,
      );
    if (p.lockedOut > 0)
      lines.push(`  ${units(p.lockedOut)} of ${p.skuPartNumber} locked out: cancelled, they cannot be reactivated`);
  }
  return lines;
}

function lapsingOrNone(position: ReportData['position']): string[] {
  const lines = lapsingUnitLines(position);
  return lines.length === 0 ? [] : ['', 'Units that lapse', ...lines];
}

const units = (n: number) => (n === 1 ? '1 unit' : `${n} units`);

export function formatReport(r: ReportData, lowUsageHead = 10): string {
  const t = r.totals;
  return [
    `License report for "${r.profile.displayName}" (as of ${r.asOf}, event position ${r.eventPosition ?? '—'})`,
    '',
    'Totals',
    `  users read from Graph      ${t.users} (only those holding a Dynamics 365 or Power Platform license)`,
    `  users holding a license    ${t.licensedUsers}`,
    `  software subscriptions     ${t.subscriptions}`,
    `  software models            ${t.softwareModels}`,
    `  unrecognised identifiers   ${t.unrecognized.map((u) => `${u.skuPartNumber} (${u.assignedCount} users)`).join(', ') || 'none'}`,
    `  monthly cost               ${money(t.monthlyCost)}`,
    `  low-usage subscriptions    ${t.lowUsage} proven idle (${money(t.lowUsageMonthlyCost)} a month); ${r.evidence.unproven.length} more unproven`,
    '',
    `Low usage, proven: the ${Math.min(lowUsageHead, r.lowUsage.length)} most overdue of ${t.lowUsage} (every environment's audit log covered the whole window)`,
    table(
      ['user', 'license', 'last activity', 'days idle', 'rule', 'monthly'],
      r.lowUsage
        .slice(0, lowUsageHead)
        .map((i) => [
          i.userPrincipalName,
          i.skuPartNumber,
          i.lastActivityAt?.slice(0, 10) ?? 'never',
          i.daysInactive,
          `${i.thresholdDays} d`,
          money(i.monthlyCost),
        ]),
    ),
    '',
    `Consolidation: ${r.consolidation.users} users hold two or more base licenses; keeping the highest-priced as base and attaching what the Licensing Guide allows on it saves ${money(r.consolidation.monthlySavings)} a month`,
    table(
      ['user', 'keep as base', 'attach', 'not convertible', 'saves monthly'],
      r.consolidation.head.map((c) => [
        c.userPrincipalName,
        c.suggestedBase,
        c.suggestedAttach.join(', ') || '—',
        c.notConvertible.join(', ') || '—',
        money(c.monthlySavings),
      ]),
    ),
    '',
    'License position (purchased = prepaid units enabled; units in grace are not owned; assigned includes excluded subscriptions)',
    table(
      [
        'software model',
        'purchased',
        'in grace',
        'assigned',
        'active',
        'low usage',
        'excluded',
        'compliance',
        'monthly cost',
      ],
      r.position.map((p) => [
        p.skuPartNumber,
        p.purchased,
        p.inGracePeriod,
        p.assigned,
        p.active ?? '—',
        p.lowUsage,
        p.excluded,
        p.compliance,
        money(p.monthlyCost),
      ]),
    ),
    ...lapsingOrNone(r.position),
    '',
    ...evidenceLines(r.evidence),
  ].join('\n');
}
