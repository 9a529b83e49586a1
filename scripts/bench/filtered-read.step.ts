import { join } from 'node:path';
import { MicrosoftConnectors } from '../../src/connectors';
import type { Logger } from '../../src/logging/logger';
import { formatLatency, type LatencySpec } from '../../src/sandbox';
import { DOWNLOAD_USER_FIELDS } from './bare-client';
import { seconds, type ExtraSection } from './extra-report';
import { startLoadSandbox, type LoadSandbox } from './load-sandbox';

export interface FilteredReadOptions {
  readonly users: number;
  readonly seed: number;
  /** Share of users holding a Dynamics or Power Platform license (the issue: 10 %). */
  readonly licensedShare: number;
  readonly latency: LatencySpec;
  readonly dir: string;
}

interface Read {
  readonly ms: number;
  readonly pages: number;
  readonly users: number;
}

interface Variant {
  readonly latency: string;
  readonly full: Read;
  readonly filtered: Read;
  readonly queries: number;
}

const ROUNDS = 2;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Issue 14 item 4: the download's user read through the product's Graph client, on a tenant where
 * `licensedShare` of the users hold a tracked (Dynamics or Power Platform) SKU: every users page
 * (`usersPages`) against only the licensed ones (`licensedUsersPages`: Graph's advanced query on
 * `assignedLicenses`, as the download job reads). Same `$select` and `$top` as the job; the
 * faster of two rounds each, alternating. Once without latency (the CPU cost of the pages), once
 * at the latency of item 3 (where the pages saved count).
 */
export async function benchFilteredRead(
  options: FilteredReadOptions,
  log: (line: string) => void,
): Promise<ExtraSection> {
  const variants: Variant[] = [];
  let tenant = { users: 0, licensed: 0, skus: 0 };
  for (const latency of [undefined, options.latency]) {
    const caFile = join(options.dir, 'filtered-ca.pem');
    const sandbox = await startLoadSandbox({
      users: options.users,
      seed: options.seed,
      caFile,
      dynamicsLicensedShare: options.licensedShare,
      ...(latency ? { latency } : {}),
    });
    const s = sandbox.info;
    tenant = { users: s.users, licensed: s.licensedUsers, skus: s.trackedSkuIds.length };
    const connectors = new MicrosoftConnectors({ trustedCaPems: [sandbox.caPem], logger: quiet });
    try {
      const { graph } = connectors.clients({
        authorityHost: s.url,
        graphBaseUrl: s.graphBaseUrl,
        tenantId: s.tenantId,
        subscription: { clientId: s.clientId, permissionType: 'application', clientSecret: () => s.clientSecret },
      });
      await graph.firstUsersPage(DOWNLOAD_USER_FIELDS); // the token, so neither side pays for it
      const label = latency ? formatLatency(latency) : 'none';
      log(`  latency ${label}: ${s.users} users, ${s.licensedUsers} licensed, ${s.trackedSkuIds.length} tracked SKUs`);
      let full: Read | null = null;
      let filtered: Read | null = null;
      for (let round = 0; round < ROUNDS; round++) {
        full = faster(full, await read(sandbox, graph.usersPages(DOWNLOAD_USER_FIELDS)));
        filtered = faster(
          filtered,
          await read(sandbox, graph.licensedUsersPages(s.trackedSkuIds, DOWNLOAD_USER_FIELDS)),
        );
      }
      const queries = graph.licensedUsersUrls(s.trackedSkuIds, DOWNLOAD_USER_FIELDS, 999).length;
      log(
        `    whole directory ${seconds(full!.ms)} (${full!.pages} pages); licensed only ${seconds(filtered!.ms)} (${filtered!.pages} pages, ${queries} queries)`,
      );
      variants.push({ latency: label, full: full!, filtered: filtered!, queries });
    } finally {
      connectors.close();
      await sandbox.stop();
    }
  }
  const rows = variants.flatMap((v) => [
    `| ${v.latency} | whole directory (\`usersPages\`) | ${seconds(v.full.ms)} | ${v.full.pages} | ${v.full.users.toLocaleString('en-US')} | |`,
    `| ${v.latency} | licensed only (\`licensedUsersPages\`, ${v.queries} ${v.queries === 1 ? 'query' : 'queries'}) | ${seconds(v.filtered.ms)} | ${v.filtered.pages} | ${v.filtered.users.toLocaleString('en-US')} | ${(v.full.ms / v.filtered.ms).toFixed(1)}× faster, ${v.full.pages - v.filtered.pages} pages fewer |`,
  ]);
  return {
    id: 'filtered-read',
    title: `Filtered user read on a tenant where ${Math.round(options.licensedShare * 100)} % hold Dynamics licenses`,
    markdown: [
      `${tenant.users.toLocaleString('en-US')} users, ${tenant.licensed.toLocaleString('en-US')} (${((100 * tenant.licensed) / tenant.users).toFixed(1)} %) holding one of the ${tenant.skus} tracked SKUs (\`--dynamics-share ${options.licensedShare}\`); the product's GraphClient, the download job's \`$select\`, \`$top=999\`; faster of ${ROUNDS} rounds.`,
      '',
      '| latency | read | time | pages | users returned | |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
    data: { ...tenant, licensedShare: options.licensedShare, variants },
  };
}

/** Pages are the requests the sandbox answered (a page holding only users seen in an earlier query is not yielded). */
async function read(sandbox: LoadSandbox, pages: AsyncIterable<unknown[]>): Promise<Read> {
  const before = (await sandbox.stats()).requests;
  const started = performance.now();
  let users = 0;
  for await (const page of pages) users += page.length;
  const ms = performance.now() - started;
  return { ms, pages: (await sandbox.stats()).requests - before, users };
}

const faster = (a: Read | null, b: Read): Read => (a === null || b.ms < a.ms ? b : a);
