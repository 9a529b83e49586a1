import type { StartSandboxOptions } from './index';
import { parseLatency } from './latency';
import type { EnvironmentAuditSpec } from './scenario';

/** `npm run sandbox -- ...`: what each flag means; `--help` prints this. */
export const SANDBOX_USAGE = `usage: npm run sandbox -- [options]

Tenant
  --users N                    Graph users including the admin (default 5000)
  --seed N                     same seed, same tenant (default 1)
  --port N / --host ADDRESS    listener (default 8443 on 127.0.0.1)
  --dynamics-share R           share 0..1 of users holding a Dynamics or Power license (default: the personas' mix)

Realistic load (both off by default)
  --latency MS[±JITTER]        every Graph, Dataverse, discovery and token request waits MS ± JITTER ms
                               (uniform; e.g. 80±40 or 80+-40), drawn in arrival order from --seed
  --throttling                 Microsoft's service protection limits, answered with 429 and Retry-After:
                               Graph identity and access 3,500/5,000/8,000 resource units per 10 s per
                               app (tenant under 50 / 50-500 / above 500 users), 3,000 writes per 150 s;
                               Dataverse per user 6,000 requests and 1,200 s of execution time per
                               300 s, 52 concurrent requests

Real-tenant cases (all off by default; --realistic turns on one of each)
  --realistic                  an audit-off period, a log deletion, two more environments, impersonation,
                               common-table-only users, Team-Members-level users, non-Active assignments,
                               a Company SKU, grace units, unaudited tables
  --environments a,b           further Dynamics environments, served at /dynamics-<name>
  --platform-only-environments N   Power Platform environments without Dataverse
  --audit-off FROM:TO          primary environment: auditing off from FROM to TO days ago (110 then 107)
  --user-access-off FROM:TO    primary environment: user-access auditing off (113 then 112)
  --log-deleted DAYS           primary environment: audit logs deleted DAYS ago (111; older rows gone)
  --access-interval HOURS      primary environment: useraccessauditinginterval, enforced on access rows
  --retention DAYS             primary environment: auditretentionperiodv2 (-1 forever)
  --unaudited-tables a,b       primary environment: tables whose IsAuditEnabled is off
  --no-audit-read              the app's application user lacks prvReadAuditSummary (403 from audits)
  --impersonated-rows N        rows an integration writes impersonating users (_callinguserid_value)
  --common-only-users N        Sales/Customer Service users who only touch account, contact, activities
  --team-members-level-users N Sales/Customer Service users whose only work is what Team Members allows
  --license-states             assignments in Error, ActiveWithError and Disabled states
  --company-sku                a tenant-level SKU (appliesTo Company)
  --grace-units                units in warning (grace), suspended and lockedOut

App registration
  --withhold-graph-role ROLE   do not grant this Graph application permission (repeatable)
  --redirect-uri URI           register a redirect URI; any other is refused with AADSTS50011 (repeatable)
  --no-management-app          not a Power Platform management app (403 from the admin environment list)
  --help                       this text
`;

export interface CliOptions extends StartSandboxOptions {
  readonly users: number;
  readonly port: number;
  readonly seed: number;
  readonly host: string;
  readonly help: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses the flags above; throws with a one-line reason on anything it does not understand. */
export function parseSandboxArgs(argv: readonly string[]): CliOptions {
  const options: Mutable<CliOptions> = { users: 5000, port: 8443, seed: 1, host: '127.0.0.1', help: false };
  const audit: Mutable<EnvironmentAuditSpec> = {};
  const withheld: string[] = [];
  const redirectUris: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const whole = (min = 0): number => {
      const text = value();
      const number = Number(text);
      if (!Number.isInteger(number) || number < min)
        throw new Error(`${flag} must be a whole number >= ${min}, got '${text}'`);
      return number;
    };
    const range = (): [number, number] => {
      const text = value();
      const match = /^(\d+):(\d+)$/.exec(text);
      if (!match || Number(match[1]) <= Number(match[2]))
        throw new Error(`${flag} takes FROM:TO days ago with FROM > TO, got '${text}'`);
      return [Number(match[1]), Number(match[2])];
    };
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--users':
        options.users = whole(1);
        break;
      case '--port':
        options.port = whole();
        break;
      case '--seed':
        options.seed = whole();
        break;
      case '--host':
        options.host = value();
        break;
      case '--dynamics-share': {
        const share = Number(value());
        if (!(share >= 0 && share <= 1)) throw new Error('--dynamics-share must be between 0 and 1');
        options.dynamicsLicensedShare = share;
        break;
      }
      case '--latency':
        options.latency = parseLatency(value());
        break;
      case '--throttling':
        options.throttling = true;
        break;
      case '--realistic':
        options.realistic = true;
        break;
      case '--environments':
        options.environments = value()
          .split(',')
          .filter(Boolean)
          .map((name) => ({ name }));
        break;
      case '--platform-only-environments':
        options.platformOnlyEnvironments = whole();
        break;
      case '--audit-off':
        audit.auditOffDaysAgo = [...(audit.auditOffDaysAgo ?? []), range()];
        break;
      case '--user-access-off':
        audit.userAccessOffDaysAgo = [...(audit.userAccessOffDaysAgo ?? []), range()];
        break;
      case '--log-deleted':
        audit.logDeletedDaysAgo = whole();
        break;
      case '--access-interval':
        audit.accessIntervalHours = whole(1);
        break;
      case '--retention': {
        const days = Number(value());
        if (!Number.isInteger(days) || (days < 1 && days !== -1)) throw new Error('--retention takes days >= 1, or -1');
        audit.retentionDays = days;
        break;
      }
      case '--unaudited-tables':
        audit.unauditedTables = value().split(',').filter(Boolean);
        break;
      case '--no-audit-read':
        audit.appCanReadAudit = false;
        break;
      case '--impersonated-rows':
        options.impersonatedRows = whole();
        break;
      case '--common-only-users':
        options.commonTableOnlyUsers = whole();
        break;
      case '--team-members-level-users':
        options.teamMembersLevelUsers = whole();
        break;
      case '--license-states':
        options.licenseStates = true;
        break;
      case '--company-sku':
        options.companySku = true;
        break;
      case '--grace-units':
        options.graceUnits = true;
        break;
      case '--withhold-graph-role':
        withheld.push(value());
        break;
      case '--redirect-uri':
        redirectUris.push(value());
        break;
      case '--no-management-app':
        options.powerPlatformManagementApp = false;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (Object.keys(audit).length > 0) options.primaryAudit = audit;
  if (withheld.length > 0) options.withholdGraphRoles = withheld;
  if (redirectUris.length > 0) options.redirectUris = redirectUris;
  return options;
}
