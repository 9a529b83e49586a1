/** The API's answers as the console reads them (see API.md); optional fields may be absent on older servers. */

export interface Profile {
  id: string;
  displayName: string;
  status: 'draft' | 'published';
  validated: boolean;
  cloud: string;
  endpoints?: { authorityHost?: string; graphBaseUrl?: string; discoveryBaseUrl?: string } | null;
  analyzeActivityFrom: string;
  downloadActivity: boolean;
  subscriptionConnection: {
    tenantId: string;
    clientId: string;
    permissionType?: string;
    hasClientSecret: boolean;
    /** Delegated connections only: whether someone has signed in to Microsoft for it. */
    signedIn?: boolean;
  };
  activityConnection: {
    environmentUrl: string;
    environmentUrls?: string[];
    discoverEnvironments?: boolean;
    permissionType: string;
    clientId: string;
    hasClientSecret: boolean;
    signedIn?: boolean;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ValidationCheck {
  name: string;
  environmentUrl?: string;
  ok: boolean;
  error?: string;
  warnings?: string[];
}

export interface PositionRow {
  skuId: string;
  skuPartNumber: string;
  name: string;
  licenseType?: string;
  purchased: number;
  assigned: number;
  active: number | null;
  lowUsage: number;
  excluded: number;
  compliance: 'compliant' | 'over-licensed' | 'under-licensed';
  monthlyCost: number | null;
  currency?: string | null;
  listPriceMonthly?: number | null;
  /** Units expired and in the renewal grace period: usable, lost unless renewed; not in `purchased`. */
  inGracePeriod?: number;
  /** Units lapsed past grace or cancelled: not assignable, reactivatable until deleted. */
  suspended?: number;
  /** Units cancelled by the customer: gone for good. */
  lockedOut?: number;
}

export interface PositionTotals {
  monthlyCost: number;
  purchasedMonthlyCost?: number;
  currency: string | null;
  purchased?: number;
  assigned?: number;
  inGracePeriod?: number;
  suspended?: number;
  lockedOut?: number;
  otherCurrencies?: Record<string, { monthlyCost: number }>;
}

export interface PositionAnswer {
  items: PositionRow[];
  asOf: string;
  position?: string | null;
  totals?: PositionTotals;
}

/** Monthly amounts in the main currency; others listed apart (they are never added). */
export interface Amounts {
  monthlySavings: number;
  currency: string | null;
  otherCurrencies: Record<string, number>;
}

export interface SavingsAnswer {
  asOf: string;
  found: Amounts & {
    lowUsage: Amounts & { subscriptions: number };
    consolidation: Amounts & { users: number };
    downgrade: Amounts & { subscriptions: number };
    overlap: Amounts & { users: number };
  };
  realised: Amounts & {
    since: string | null;
    until: string;
    reclaimed: number;
    reassigned: number;
    unpriced: number;
    bySku: { skuPartNumber: string; reclaimed: number; listPriceMonthly: number | null; monthlySavings: number }[];
  };
}

export interface Integration {
  systemUserId: string;
  name: string | null;
  applicationId: string | null;
  environments: string[];
  rows: number;
  usersActedFor: number;
  lastActivityAt: string;
}

export interface LowUsageItem {
  userId: string;
  userPrincipalName: string;
  skuId?: string;
  skuPartNumber: string;
  lastActivityAt: string | null;
  daysInactive: number | null;
  thresholdDays: number;
  monthlyCost: number | null;
  currency?: string | null;
  proven?: boolean;
  unprovenReason?: string;
}

export interface Subscription {
  userId: string;
  userPrincipalName: string;
  skuId: string;
  skuPartNumber: string;
  assignedVia: 'direct' | 'group' | 'both';
  groupIds: string[];
  lastActivityAt: string | null;
}

export interface ConsolidationItem {
  userId: string;
  userPrincipalName: string;
  baseLicenses: string[];
  suggestedBase: string;
  suggestedAttach: string[];
  notConvertible?: string[];
  unpriced?: string[];
  currency?: string | null;
  currentMonthlyCost: number;
  suggestedMonthlyCost: number;
  monthlySavings: number;
}

export interface DowngradeItem {
  userId: string;
  userPrincipalName: string;
  skuPartNumber: string;
  suggestedSkuPartNumber: string;
  reason: string;
  currentMonthlyCost: number | null;
  suggestedMonthlyCost: number | null;
  monthlySavings: number | null;
  currency?: string | null;
  evidence?: {
    windowFrom: string;
    windowTo: string;
    lastActivityAt: string;
    lastBeyondTeamMembersAt: string | null;
  };
}

export interface CoverageItem {
  environmentUrl: string;
  auditEnabled: boolean;
  userAccessAuditEnabled: boolean;
  coveredFrom: string;
  gaps: { from: string; to: string; reason: string }[];
  unauditedTables: string[];
}

export interface Reclamation {
  id: string;
  userId: string;
  userPrincipalName?: string | null;
  skuId: string;
  skuPartNumber: string;
  trigger?: string;
  status: string;
  detail: string;
  updatedAt?: string;
}

export interface ReclaimAnswer {
  id: string;
  status: 'dry-run' | 'reclaimed' | 'blocked' | 'failed';
  detail: string;
  wouldBe?: 'reclaimed' | 'blocked';
}

export interface SoftwareModel {
  skuId: string;
  skuPartNumber: string;
  name: string;
  listPriceMonthly: number | null;
  currency: string | null;
}

export interface JobRun {
  runId: string;
  profileId: string;
  job: string;
  trigger?: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  progress: { phase: string; done: number; total: number | null } | null;
  summary: Record<string, unknown> | null;
  error: { cause: string; message: string } | null;
}

export interface JobInfo {
  job: string;
  schedule: string;
  nextRunAt: string | null;
  runningRunId?: string | null;
}

export interface EventEnvelope {
  position: string;
  streamId?: string;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { actor?: { kind: string; id: string; role?: string } } & Record<string, unknown>;
}
