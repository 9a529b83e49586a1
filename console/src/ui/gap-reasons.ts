/** What each coverage gap reason (API.md, activity-coverage) means, in words. */
export const GAP_REASONS: Record<string, string> = {
  'audit-off': 'auditing was off',
  'user-access-audit-off': 'user-access auditing was off (sign-ins not recorded)',
  'log-deleted': 'audit log deleted',
  'not-connected': 'environment not connected',
};

export const gapReason = (reason: string | null | undefined): string =>
  reason ? (GAP_REASONS[reason] ?? reason) : 'a gap in the audit log';
