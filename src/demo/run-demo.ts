import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from '../app';
import { ConsoleSessions } from '../console/console-sessions';
import { loadConfig, type Config } from '../config/config';
import { startSandbox, type Sandbox } from '../sandbox';
import { ApiClient } from './api-client';
import type { EvidenceData } from './evidence-report';
import { formatReport, type ReportData } from './report';

export interface DemoOptions {
  readonly users?: number;
  readonly port?: number;
  readonly host?: string;
  /** Where the demo keeps its database and the sandbox certificate; emptied at start. */
  readonly dataDir?: string;
  readonly write?: (text: string) => void;
}

export interface Demo {
  readonly url: string;
  readonly keys: { admin: string; auditor: string; consumer: string };
  readonly profileId: string;
  readonly report: ReportData;
  readonly text: string;
  readonly sandbox: Sandbox;
  readonly app: INestApplication;
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * The newcomer's tour: the sandbox tenant, the service on the embedded store, a profile
 * created, validated and published through the API, both jobs run with progress, and
 * the license report read back from the endpoints.
 */
export async function runDemo(options: DemoOptions = {}): Promise<Demo> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const dataDir = resolve(options.dataDir ?? './data/demo');
  rmSync(dataDir, { recursive: true, force: true });
  const users = options.users ?? 500;

  write(
    `Starting the sandbox tenant (${users} users, generated from Microsoft's SKU list, with what real tenants do:\n` +
      '  auditing switched off for a week, a deleted audit log, three Dynamics environments, an integration\n' +
      '  impersonating users, licenses in grace and suspended)...\n',
  );
  const sandbox = await startSandbox({ users, seed: 2026, realistic: true, caFile: join(dataDir, 'sandbox-ca.pem') });
  const keys = { admin: key(), auditor: key(), consumer: key() };
  const config = loadConfig({
    ...process.env,
    PORT: String(options.port ?? process.env.PORT ?? 3000),
    HOST: options.host ?? process.env.HOST ?? '127.0.0.1',
    SAM_API_KEYS: `admin:${keys.admin},auditor:${keys.auditor},consumer:${keys.consumer}`,
    SAM_SQLITE_PATH: join(dataDir, 'sam.sqlite'),
    SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
    // The demo runs its jobs itself; a scheduler would race it for them.
    SAM_SCHEDULER: 'off',
    SAM_LOG_LEVEL: process.env.SAM_LOG_LEVEL ?? 'warn',
  });
  const app = await createApp({ config, trustedCaPems: [sandbox.caPem] });
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    await sandbox.stop();
    throw new Error(
      `cannot listen on ${config.host}:${config.port} (${(error as Error).message}); set PORT to a free port`,
      { cause: error },
    );
  }
  const url = `http://${config.host}:${config.port}`;
  write(`License Ledger is listening on ${url} (embedded SQLite store: ${config.sqlitePath})\n`);

  const admin = new ApiClient(url, keys.admin);
  const profile = await admin.post(
    '/profiles',
    sandbox.profileBody({
      displayName: 'Contoso (sandbox tenant)',
      // Every Dataverse environment the app can read, from the Power Platform admin list.
      endpoints: { discoveryBaseUrl: sandbox.discoveryBaseUrl },
      activityConnection: { discoverEnvironments: true },
    }),
  );
  write(`Created profile ${profile.id} (draft). Validating its connections...\n`);
  const validation = await admin.post(`/profiles/${profile.id}/validate`);
  for (const check of validation.checks) write(checkLines(check));
  if (!validation.valid) throw new Error('validation failed');
  await admin.post(`/profiles/${profile.id}/publish`);
  write('Published. Running its jobs:\n');
  for (const job of ['download-subscriptions', 'refresh-activity']) await runJob(admin, profile.id, job, write);

  const report = await readReport(new ApiClient(url, keys.auditor), profile);
  const text = formatReport(report);
  // The sandbox's built-in admin, as an Entra ID sign-in would name them (by object id).
  const signInLink = app.get(ConsoleSessions).issueSignInLink({
    role: 'admin',
    actor: { kind: 'user', id: sandbox.tenant.identity.adminUserId },
  });
  write(`\n${text}\n\n`);
  write(
    [
      `Web console:  ${url}/  (sign in with the admin key below; the auditor key shows it read-only)`,
      `  or open, once within 10 minutes, as the sandbox's sample admin: ${url}/#sign-in=${signInLink}`,
      'API keys generated for this run (set SAM_API_KEYS yourself outside the demo):',
      `  admin     ${keys.admin}`,
      `  auditor   ${keys.auditor}`,
      `  consumer  ${keys.consumer}`,
      `OpenAPI UI:   ${url}/docs`,
      `Event stream: curl -N -H "Authorization: Bearer ${keys.consumer}" ${url}/api/v1/events/stream`,
      `Low usage:    curl -H "Authorization: Bearer ${keys.auditor}" ${url}/api/v1/profiles/${profile.id}/low-usage`,
      '',
    ].join('\n'),
  );
  return {
    url,
    keys,
    profileId: profile.id,
    report,
    text,
    sandbox,
    app,
    config,
    async close() {
      await app.close();
      await sandbox.stop();
    },
  };
}

function checkLines(check: {
  name: string;
  environmentUrl?: string;
  ok: boolean;
  error?: string;
  warnings?: string[];
}) {
  const where = check.environmentUrl ? ` (${check.environmentUrl})` : '';
  const head = `  ${check.name}${where}: ${check.ok ? 'ok' : `failed: ${check.error}`}\n`;
  return head + (check.warnings ?? []).map((w) => `    warning: ${w}\n`).join('');
}

async function runJob(api: ApiClient, profileId: string, job: string, write: (text: string) => void): Promise<void> {
  const { runId } = await api.post(`/profiles/${profileId}/jobs/${job}/runs`);
  let last = '';
  for (;;) {
    const run = await api.get(`/job-runs/${runId}`);
    const line = run.progress
      ? `${run.progress.phase}: ${run.progress.done}${run.progress.total ? ` of ${run.progress.total}` : ''}`
      : run.status;
    if (line !== last) write(`  ${job}: ${line}\n`);
    last = line;
    if (run.status === 'succeeded') {
      write(`  ${job}: succeeded ${JSON.stringify(run.summary)}\n`);
      return;
    }
    if (run.status === 'failed') throw new Error(`${job} failed: ${run.error.cause}: ${run.error.message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readReport(api: ApiClient, profile: { id: string; displayName: string }): Promise<ReportData> {
  const base = `/profiles/${profile.id}`;
  const [lowUsage, consolidation, position, models, unrecognized, subscriptions, runs, evidence] = await Promise.all([
    api.all(`${base}/low-usage`),
    api.get(`${base}/consolidation?limit=5`),
    api.get(`${base}/license-position?limit=1000`),
    api.all(`${base}/software-models`),
    api.all(`${base}/unrecognized-identifiers`),
    api.all(`${base}/subscriptions`),
    api.get(`${base}/job-runs?limit=10`),
    readEvidence(api, base),
  ]);
  const snapshot = runs.items.find(
    (r: { job: string; status: string }) => r.job === 'download-subscriptions' && r.status === 'succeeded',
  );
  return {
    profile,
    totals: {
      users: snapshot?.summary.users ?? 0,
      licensedUsers: new Set(subscriptions.map((s: { userId: string }) => s.userId)).size,
      subscriptions: subscriptions.length,
      softwareModels: models.length,
      unrecognized: unrecognized.map((u: { skuPartNumber: string; assignedCount: number }) => ({
        skuPartNumber: u.skuPartNumber,
        assignedCount: u.assignedCount,
      })),
      lowUsage: lowUsage.length,
      lowUsageMonthlyCost: round(
        lowUsage.reduce((sum: number, i: { monthlyCost: number | null }) => sum + (i.monthlyCost ?? 0), 0),
      ),
      monthlyCost: position.totals.monthlyCost,
    },
    lowUsage,
    consolidation: {
      users: consolidation.totals.users,
      monthlySavings: consolidation.totals.monthlySavings,
      head: consolidation.items,
    },
    position: position.items,
    evidence,
    asOf: position.asOf,
    eventPosition: position.position,
  };
}

/** A longer window than the default rules': it reaches back over the sandbox's audit-off week. */
const WHAT_IF_DAYS = 120;

async function readEvidence(api: ApiClient, base: string): Promise<EvidenceData> {
  const [withUnproven, whatIf, coverage, downgrade, integrations] = await Promise.all([
    api.all(`${base}/low-usage?include=unproven`),
    api.all(`${base}/low-usage?include=unproven&inactivityDays=${WHAT_IF_DAYS}`),
    api.all(`${base}/activity-coverage`),
    api.all(`${base}/downgrade-advice`),
    api.all(`${base}/integrations`),
  ]);
  return {
    unproven: withUnproven.filter((i: { proven: boolean }) => !i.proven),
    whatIf: {
      inactivityDays: WHAT_IF_DAYS,
      proven: whatIf.filter((i: { proven: boolean }) => i.proven).length,
      unproven: whatIf.filter((i: { proven: boolean }) => !i.proven),
    },
    coverage,
    downgrade,
    integrations,
  };
}

const key = () => randomBytes(18).toString('base64url');
const round = (n: number) => Math.round(n * 100) / 100;
