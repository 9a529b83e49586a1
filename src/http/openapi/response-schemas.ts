/**
 * The bodies the API answers with, as OpenAPI 3.0 schemas under `components.schemas`. They
 * name the fields clients rely on (required) and leave objects open: a field added later is an
 * extension, not a break. test/security/openapi.int.spec.ts checks real answers against them.
 */
type Schema = Record<string, unknown>;

const string: Schema = { type: 'string' };
const nullableString: Schema = { type: 'string', nullable: true };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: 'string', format: 'date-time', nullable: true };
const uuid: Schema = { type: 'string', format: 'uuid' };
const integer: Schema = { type: 'integer' };
const number: Schema = { type: 'number' };
const nullableNumber: Schema = { type: 'number', nullable: true };
const boolean: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: string };
const anyObject: Schema = { type: 'object', additionalProperties: true };
const position: Schema = { type: 'string', description: 'A global log position, as a decimal string' };

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** An object whose listed properties are all required unless named in `optional`. */
export function object(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return {
    type: 'object',
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const oneOfStrings = (...values: string[]): Schema => ({ type: 'string', enum: values });

/** A page of a list: `{ items, nextCursor }`, with whatever else the list says about itself. */
export function page(item: Schema, extra: Record<string, Schema> = {}): Schema {
  return object({ items: { type: 'array', items: item }, nextCursor: nullableString, ...extra });
}

/** What answers about a moment carry besides their items: the moment and the last event folded. */
export const ANSWERED = {
  asOf: dateTime,
  position: { ...position, nullable: true },
};

const money = { currency: nullableString };
const actor = object({ kind: string, id: string, role: string }, ['role']);

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  Profile: object(
    {
      id: uuid,
      displayName: string,
      status: oneOfStrings('draft', 'published'),
      validated: boolean,
      cloud: string,
      endpoints: anyObject,
      analyzeActivityFrom: { type: 'string', format: 'date' },
      downloadActivity: boolean,
      subscriptionConnection: object({ tenantId: string, clientId: string, permissionType: string }),
      activityConnection: { ...anyObject, nullable: true },
      notifications: { ...anyObject, nullable: true },
      createdAt: dateTime,
      updatedAt: dateTime,
    },
    ['activityConnection', 'notifications', 'endpoints'],
  ),
  ExclusionRule: object({ id: string, type: oneOfStrings('identifier', 'user'), value: string, reason: string }),
  ValidationResult: object({
    valid: boolean,
    checks: { type: 'array', items: object({ name: string, ok: boolean }) },
  }),
  JobRun: object(
    {
      runId: uuid,
      profileId: uuid,
      job: string,
      trigger: string,
      status: oneOfStrings('queued', 'running', 'succeeded', 'failed'),
      queuedAt: nullableDateTime,
      startedAt: nullableDateTime,
      finishedAt: nullableDateTime,
      progress: { ...anyObject, nullable: true },
      summary: { ...anyObject, nullable: true },
      error: { ...anyObject, nullable: true },
    },
    ['queuedAt', 'progress'],
  ),
  Job: object({
    job: string,
    schedule: string,
    enabled: boolean,
    nextRunAt: nullableDateTime,
    runningRunId: nullableString,
    lastRun: { type: 'object', allOf: [ref('JobRun')], nullable: true },
  }),
  RunQueued: object({ runId: uuid, status: oneOfStrings('queued') }),
  SoftwareModel: object(
    {
      id: string,
      skuId: string,
      skuPartNumber: string,
      name: string,
      licenseType: string,
      activityTracked: boolean,
      activityNeeded: nullableString,
      listPriceMonthly: nullableNumber,
      ...money,
      createdAt: dateTime,
    },
    ['listPriceMonthly', 'currency'],
  ),
  UnrecognizedIdentifier: object({
    skuId: string,
    skuPartNumber: string,
    assignedCount: integer,
    firstSeenAt: dateTime,
  }),
  Subscription: object({
    userId: string,
    userPrincipalName: string,
    skuId: string,
    skuPartNumber: string,
    assignedVia: oneOfStrings('direct', 'group', 'both'),
    groupIds: strings,
    assignedAt: dateTime,
    lastActivityAt: nullableDateTime,
    lowUsage: boolean,
    excluded: boolean,
  }),
  LowUsage: object(
    {
      userId: string,
      userPrincipalName: string,
      skuId: string,
      skuPartNumber: string,
      lastActivityAt: nullableDateTime,
      daysInactive: integer,
      thresholdDays: integer,
      monthlyCost: nullableNumber,
      ...money,
      assignedAt: dateTime,
      proven: boolean,
      unprovenReason: nullableString,
    },
    ['currency'],
  ),
  ActivityCoverage: object({
    environmentUrl: string,
    auditEnabled: { type: 'boolean', nullable: true },
    userAccessAuditEnabled: { type: 'boolean', nullable: true },
    coveredFrom: nullableDateTime,
    gaps: { type: 'array', items: anyObject },
    unauditedTables: strings,
  }),
  DowngradeAdvice: object({
    userId: string,
    userPrincipalName: string,
    skuId: string,
    skuPartNumber: string,
    suggestedSkuPartNumber: string,
    reason: string,
    currentMonthlyCost: nullableNumber,
    suggestedMonthlyCost: nullableNumber,
    monthlySavings: nullableNumber,
    ...money,
    evidence: anyObject,
  }),
  Integration: object(
    {
      systemUserId: string,
      name: nullableString,
      applicationId: nullableString,
      environments: strings,
      rows: integer,
      usersActedFor: integer,
      lastActivityAt: dateTime,
    },
    ['name', 'applicationId'],
  ),
  Consolidation: object({
    userId: string,
    userPrincipalName: string,
    baseLicenses: strings,
    suggestedBase: string,
    suggestedAttach: strings,
    notConvertible: strings,
    currentMonthlyCost: number,
    suggestedMonthlyCost: number,
    monthlySavings: number,
    ...money,
    unpriced: strings,
  }),
  LicensePosition: object(
    {
      skuId: string,
      skuPartNumber: string,
      name: string,
      licenseType: string,
      purchased: { type: 'integer', nullable: true },
      purchasedSource: nullableString,
      inGracePeriod: integer,
      suspended: integer,
      lockedOut: integer,
      assigned: integer,
      active: { type: 'integer', nullable: true },
      lowUsage: integer,
      excluded: integer,
      available: { type: 'integer', nullable: true },
      compliance: string,
      listPriceMonthly: nullableNumber,
      ...money,
      monthlyCost: nullableNumber,
      purchasedMonthlyCost: nullableNumber,
    },
    ['currency', 'listPriceMonthly', 'monthlyCost', 'purchasedMonthlyCost'],
  ),
  ReclamationRule: object({
    id: string,
    skuId: string,
    skuPartNumber: string,
    inactivityDays: integer,
    enabled: boolean,
    notify: boolean,
    graceDays: integer,
    activityBasis: oneOfStrings('app', 'app-and-common', 'any'),
  }),
  Price: object(
    {
      skuPartNumber: string,
      skuId: string,
      overridden: boolean,
      listPriceMonthly: nullableNumber,
      ...money,
      source: nullableString,
      asOf: nullableString,
    },
    ['skuId', 'asOf', 'currency'],
  ),
  Entitlement: object(
    {
      skuId: string,
      skuPartNumber: string,
      name: nullableString,
      prepaidUnits: { ...anyObject, nullable: true },
      capabilityStatus: nullableString,
      manual: { ...anyObject, nullable: true },
      purchased: { type: 'integer', nullable: true },
      purchasedSource: nullableString,
    },
    ['name', 'capabilityStatus'],
  ),
  ReclaimResult: object(
    {
      id: uuid,
      status: oneOfStrings('dry-run', 'reclaimed', 'blocked', 'failed'),
      detail: string,
      wouldBe: oneOfStrings('reclaimed', 'blocked'),
    },
    ['wouldBe'],
  ),
  Reclamation: object({
    id: uuid,
    userId: string,
    userPrincipalName: nullableString,
    skuId: string,
    skuPartNumber: string,
    trigger: oneOfStrings('manual', 'low-usage'),
    status: string,
    detail: string,
    openedAt: dateTime,
    graceEndsAt: nullableDateTime,
    updatedAt: dateTime,
    history: {
      type: 'array',
      items: object({ type: string, at: dateTime, position, actor, detail: string }),
    },
  }),
  Event: object(
    {
      id: string,
      position,
      streamId: string,
      type: string,
      recordedAt: dateTime,
      data: anyObject,
      metadata: object({ actor, correlationId: string, causationId: nullableString, schemaVersion: integer }),
    },
    ['id'],
  ),
  ReadModel: object({
    name: string,
    version: integer,
    position: { ...position, nullable: true },
    faulted: nullableString,
  }),
};
