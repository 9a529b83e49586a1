import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../src/demo/api-client';
import { runDemo, type Demo } from '../../src/demo/run-demo';
import { freePort } from '../support/sandbox-app';

const ROOT = join(__dirname, '..', '..');

describe('the demo', () => {
  let demo: Demo;
  let dir: string;
  const output: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-demo-'));
    demo = await runDemo({ users: 200, port: await freePort(), dataDir: dir, write: (t) => output.push(t) });
  });
  afterAll(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints progress, the report sections, the keys and the URLs', () => {
    const text = output.join('');
    for (const part of [
      'download-subscriptions: succeeded',
      'refresh-activity: succeeded',
      'Totals',
      'Low usage:',
      'Consolidation:',
      'License position',
      'Unproven:',
      'What if every rule were 120 days',
      'Audit coverage per environment',
      'Downgrade advice:',
      'Integrations that wrote audit rows',
      demo.keys.admin,
      demo.keys.consumer,
      `${demo.url}/docs`,
      `Web console:  ${demo.url}/`,
      `${demo.url}/#sign-in=`,
    ]) {
      expect(text).toContain(part);
    }
  });

  it('its report agrees with the endpoints', async () => {
    const api = new ApiClient(demo.url, demo.keys.auditor);
    const base = `/profiles/${demo.profileId}`;
    const asOf = `asOf=${encodeURIComponent(demo.report.asOf)}`;
    expect(demo.report.lowUsage).toEqual(await api.all(`${base}/low-usage?${asOf}`));
    expect(demo.report.position).toEqual((await api.get(`${base}/license-position?limit=1000&${asOf}`)).items);
    const consolidation = await api.get(`${base}/consolidation?limit=5&${asOf}`);
    expect(demo.report.consolidation).toEqual({
      users: consolidation.totals.users,
      monthlySavings: consolidation.totals.monthlySavings,
      head: consolidation.items,
    });
    expect(demo.report.totals.subscriptions).toBe((await api.all(`${base}/subscriptions?${asOf}`)).length);
    expect(demo.report.totals.lowUsage).toBeGreaterThan(0);
  });

  it('explains what the evidence allows, as the endpoints answer: unproven, coverage gaps, downgrade, integrations', async () => {
    const api = new ApiClient(demo.url, demo.keys.auditor);
    const base = `/profiles/${demo.profileId}`;
    const e = demo.report.evidence;
    const withUnproven = await api.all(`${base}/low-usage?include=unproven`);
    expect(e.unproven).toEqual(withUnproven.filter((i: { proven: boolean }) => !i.proven));
    expect(e.unproven.length).toBeGreaterThan(0);
    expect(e.coverage).toEqual(await api.all(`${base}/activity-coverage`));
    // Three environments, found through discovery, each with the gap the sandbox made.
    expect(e.coverage.map((c) => c.gaps.map((g) => g.reason))).toEqual([
      ['audit-off'],
      ['log-deleted'],
      ['user-access-audit-off'],
    ]);
    expect(e.downgrade).toEqual(await api.all(`${base}/downgrade-advice`));
    expect(e.downgrade.length).toBeGreaterThan(0);
    expect(e.integrations).toEqual(await api.all(`${base}/integrations`));
    const text = output.join('');
    for (const c of e.coverage)
      expect(text).toContain(`${c.environmentUrl}: covered from ${c.coveredFrom.slice(0, 10)}`);
    for (const d of e.downgrade.slice(0, 5))
      expect(text).toContain(`${d.userPrincipalName}: ${d.skuPartNumber} -> DYN365_TEAM_MEMBERS`);
  });

  it('names the units in their renewal grace period, as the endpoint counts them', () => {
    const text = output.join('');
    const inGrace = demo.report.position.filter((p) => p.inGracePeriod > 0);
    // The sandbox's default tenant has part of a subscription expired (tenant.generator.ts, 'warning').
    expect(inGrace.length).toBeGreaterThan(0);
    for (const p of inGrace)
      expect(text).toContain(
        `${p.inGracePeriod === 1 ? '1 unit' : `${p.inGracePeriod} units`} of ${p.skuPartNumber} in their renewal grace period: renew or lose them`,
      );
    expect(demo.report.totals.unrecognized[0]).toMatchObject({ skuPartNumber: 'DYN365_SALES_AGENT_2027' });
  });

  it('`demo --once` exits 0 after the report', async () => {
    const processDir = mkdtempSync(join(tmpdir(), 'll-demo-cli-'));
    try {
      const result = spawnSync(
        process.execPath,
        ['-r', './test/support/register-ts.js', 'scripts/demo.ts', '--once', '--users', '60', '--data-dir', processDir],
        {
          cwd: ROOT,
          env: { ...process.env, PORT: String(await freePort()) },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('License position');
    } finally {
      rmSync(processDir, { recursive: true, force: true });
    }
  });
});
