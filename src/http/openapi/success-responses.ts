import { ANSWERED, object, page, ref } from './response-schemas';

type Schema = Record<string, unknown>;
export interface SuccessResponse {
  readonly status: number;
  readonly description: string;
  /** Media type → schema; none for a body-less answer (204, 302). */
  readonly content?: Record<string, { schema: Schema }>;
  readonly headers?: Record<string, { description: string; schema: Schema }>;
}

const json = (status: number, description: string, schema: Schema): SuccessResponse => ({
  status,
  description,
  content: { 'application/json': { schema } },
});
const ok = (description: string, schema: Schema) => json(200, description, schema);
const noContent = (description: string): SuccessResponse => ({ status: 204, description });
const list = (description: string, item: string, extra: Record<string, Schema> = {}) =>
  ok(description, page(ref(item), extra));
const answered = (description: string, item: string, extra: Record<string, Schema> = {}) =>
  list(`${description}, as of \`asOf\`, folded up to \`position\``, item, { ...ANSWERED, ...extra });
const totals = { totals: { type: 'object', additionalProperties: true } };

/**
 * Each operation's success answer, by operationId (`Controller_method`), for the controllers that
 * do not declare their own (whoami and the sessions do, with @ApiOkResponse/@ApiCreatedResponse).
 * test/security/openapi.int.spec.ts fails for an operation that has neither, so a new route
 * cannot go undocumented.
 */
export const SUCCESS_RESPONSES: Record<string, SuccessResponse | readonly SuccessResponse[]> = {
  ReadModelsController_list: list('Every read model with its version, position and fault', 'ReadModel'),
  ReadModelsController_rebuild: ok('The read model after its rebuild', ref('ReadModel')),
  EventsController_list: list('Events after `from`, oldest first', 'Event'),
  EventsController_stream: {
    status: 200,
    description:
      'Server-Sent Events: `id:` the global position, `event:` the type, `data:` the envelope (an Event); resumes after Last-Event-ID',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
  EventsController_schemas: ok('A JSON Schema (2020-12) per event type, by type', {
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
  }),
  ProfilesController_create: json(201, 'The profile, as a draft', ref('Profile')),
  ProfilesController_list: list('Profiles, oldest first', 'Profile'),
  ProfilesController_get: ok(
    'The profile (secrets never; `hasClientSecret` says whether one is stored)',
    ref('Profile'),
  ),
  ProfilesController_update: ok('The profile after the change', ref('Profile')),
  ProfilesController_publish: ok('The published profile', ref('Profile')),
  ProfilesController_exclusionRules: list('Exclusion rules', 'ExclusionRule'),
  ProfilesController_addExclusionRule: json(201, 'The rule added', ref('ExclusionRule')),
  ProfilesController_removeExclusionRule: noContent('The rule is removed'),
  ConnectionsController_validate: ok('Each connection check and whether all passed', ref('ValidationResult')),
  ConnectionsController_authorize: [
    {
      status: 302,
      description: "Redirect to Microsoft's sign-in for the delegated connection",
      headers: { Location: { description: "Microsoft's authorize URL", schema: { type: 'string', format: 'uri' } } },
    },
    ok(
      "With `Accept: application/json`: Microsoft's sign-in address, to open in the browser",
      object({ location: { type: 'string', format: 'uri' } }),
    ),
  ],
  JobsController_jobs: list("The profile's jobs, their schedule and last run", 'Job'),
  JobsController_run: json(202, 'The run is claimed and queued; follow it at /job-runs/{runId}', ref('RunQueued')),
  JobsController_jobRun: ok('The run, its progress and, once finished, its summary or error', ref('JobRun')),
  JobsController_jobRuns: list('Runs of the profile, newest first', 'JobRun'),
  LedgerController_softwareModels: list('Software models the tenant has', 'SoftwareModel'),
  LedgerController_unrecognized: list('SKUs the catalog does not know, tracked', 'UnrecognizedIdentifier'),
  LedgerController_subscriptions: answered('Software subscriptions', 'Subscription'),
  LedgerController_lowUsage: answered('Low-usage subscriptions, most overdue first', 'LowUsage'),
  LedgerController_coverage: answered('Audit coverage per environment', 'ActivityCoverage'),
  LedgerController_downgrade: answered('Licenses the proven activity fits in Team Members', 'DowngradeAdvice'),
  LedgerController_integrations: list('Integrations that wrote in people’s names', 'Integration'),
  LedgerController_consolidation: answered('Users with two or more base licenses', 'Consolidation', totals),
  LedgerController_licensePosition: answered('Purchased vs assigned vs active per model', 'LicensePosition', totals),
  RulesController_reclamationRules: list('Reclamation rules, one per tracked model', 'ReclamationRule'),
  RulesController_changeRule: ok('The rule after the change', ref('ReclamationRule')),
  RulesController_prices: list('Prices per model, catalog or overridden', 'Price'),
  RulesController_setPrice: ok('The price override', object({ skuPartNumber: { type: 'string' } })),
  RulesController_removePrice: noContent('The override is removed; the catalog price applies'),
  RulesController_entitlements: list(
    'Licenses owned per model (Graph prepaid units, or entered by hand)',
    'Entitlement',
  ),
  RulesController_enterEntitlement: noContent('The count entered by hand is recorded'),
  RulesController_removeEntitlement: noContent('The count entered by hand is removed; Graph’s applies'),
  ReclamationsController_reclaim: ok('What happened, or with dryRun what would', ref('ReclaimResult')),
  ReclamationsController_list: list('Reclamations, newest first, with their history', 'Reclamation'),
  ReclamationsController_get: ok('The reclamation and every step of it', ref('Reclamation')),
  ReclamationsController_keep: ok('The reclamation, awaiting an administrator', ref('Reclamation')),
  ReclamationsController_approve: ok('The reclamation, kept', ref('Reclamation')),
  ReclamationsController_reject: ok('The reclamation, to be reclaimed', ref('Reclamation')),
  HistoryController_userHistory: list("The user's events, oldest first", 'Event'),
  HistoryController_modelHistory: list("The model's events, oldest first", 'Event'),
  ExportsController_export: {
    status: 200,
    description: 'The dataset as a download (JSON or CSV); X-Ledger-As-Of and X-Ledger-Position say what it covers',
    content: {
      'application/json': {
        schema: object({
          dataset: { type: 'string' },
          profileId: { type: 'string' },
          ...ANSWERED,
          generatedAt: { type: 'string', format: 'date-time' },
          items: { type: 'array', items: { type: 'object', additionalProperties: true } },
        }),
      },
      'text/csv': { schema: { type: 'string' } },
    },
  },
  SessionsController_options: ok(
    'How people may sign in besides an API key',
    object({ microsoft: { type: 'boolean' } }),
  ),
  SessionsController_startMicrosoft: ok(
    'Where to send the browser',
    object({ authorizeUrl: { type: 'string', format: 'uri' } }),
  ),
  SessionsController_close: noContent('The session token stops working at once'),
};
