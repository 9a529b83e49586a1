import { createHmac } from 'node:crypto';
import { KeepLinks } from '../../src/reclamation/keep-links';
import { ReclamationWorkflow } from '../../src/reclamation/reclamation-workflow';
import type { ResolvedAddress } from '../../src/webhooks/webhook-targets';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { startWebhookReceiver } from '../support/webhook-receiver';

/** A Standard Webhooks secret as their libraries make them: whsec_ and base64 of the key. */
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const ROTATED = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;
/** The receiver's name: only SAM_ALLOWED_WEBHOOK_HOSTS lets it be on loopback and use http. */
const RECEIVER = 'hooks.local.test';
const DAY = 86_400_000;

describe('reclamation notices: where they may go, how they are signed, what the keep link is worth', () => {
  let s: SandboxApp;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let id: string;
  let offset = 0;
  /** DNS as the service sees it in this test. */
  const dns: Record<string, string[]> = { [RECEIVER]: ['127.0.0.1'], 'inside.contoso.test': ['10.1.2.3'] };
  const resolver = async (host: string): Promise<ResolvedAddress[]> => {
    const found = dns[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: 4 as const }));
  };
  const hookUrl = () => `http://${RECEIVER}:${new URL(hook.url).port}/hooks/ledger?sig=S3CRET-IN-URL&tenant=contoso`;
  const patch = (notifications: unknown) => s.t.as('admin').patch(`/api/v1/profiles/${id}`).send({ notifications });

  beforeAll(async () => {
    hook = await startWebhookReceiver(SECRET);
    s = await startSandboxApp({
      sandbox: { users: 200, seed: 5 },
      app: {
        clock: { now: () => new Date(Date.now() + offset) },
        webhookResolver: resolver,
        // The sandbox's 127.0.0.1 is an allowed *endpoint* host; that must not open webhooks to it.
        env: { SAM_ALLOWED_WEBHOOK_HOSTS: RECEIVER, SAM_KEEP_KEY_ROTATION_DAYS: '1' },
      },
    });
    id = await publishedProfile(s, {});
    await runJob(s, id, 'download-subscriptions');
    await runJob(s, id, 'refresh-activity');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });

  it('refuses inside addresses in any notation, and hosts that resolve inside, on save; accepts a public address', async () => {
    const head = await s.t.store.headPosition();
    for (const url of [
      hook.url, // http://127.0.0.1:port: SAM_ALLOWED_ENDPOINT_HOSTS=127.0.0.1 does not apply to webhooks
      'https://127.0.0.1/hook',
      'https://2130706433/hook',
      'https://0x7f.1/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://10.0.0.1/hook',
      'https://inside.contoso.test/hook',
      'https://localhost/hook',
      'http://93.184.215.14/hook',
    ]) {
      const res = await patch({ webhookUrl: url, webhookSecret: SECRET });
      expect([url, res.status, res.body.errors?.[0]?.field]).toEqual([url, 400, 'notifications.webhookUrl']);
    }
    const badSecret = await patch({ webhookUrl: 'https://93.184.215.14/hook', webhookSecret: 'whsec_not base64!!' });
    expect([badSecret.status, badSecret.body.errors?.[0]?.field]).toEqual([400, 'notifications.webhookSecret']);
    expect(await s.t.store.headPosition()).toBe(head);
    expect((await patch({ webhookUrl: 'https://93.184.215.14/hook', webhookSecret: SECRET })).status).toBe(200);
  });

  it('keeps a secret in the webhook URL out of events and answers, and delivers to the whole URL', async () => {
    const saved = await patch({ webhookUrl: hookUrl(), webhookSecret: SECRET });
    expect(saved.status).toBe(200);
    expect(saved.body.notifications.webhookUrl).toBe(
      `http://${RECEIVER}:${new URL(hook.url).port}/hooks/ledger?sig=[redacted]&tenant=contoso`,
    );
    const log = JSON.stringify((await s.t.as('auditor').get('/api/v1/events?limit=1000')).body);
    expect(log).toContain('sig=[redacted]');
    expect(log).not.toContain('S3CRET-IN-URL');
    expect(s.t.logs.join('\n')).not.toContain('S3CRET-IN-URL');

    const rules = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`)).body.items;
    const sales = rules.find((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    await s.t
      .as('admin')
      .patch(`/api/v1/profiles/${id}/reclamation-rules/${sales.id}`)
      .send({ notify: true, graceDays: 2 });
    await s.t.app.get(ReclamationWorkflow).tick();
    expect(hook.notices.length).toBeGreaterThanOrEqual(3);
    for (const notice of hook.notices) {
      expect(notice.standardSignatureValid).toBe(true); // verified by the standardwebhooks library
      expect(notice.legacySignatureValid).toBe(true);
      expect(notice.headers['webhook-id']).toBe(notice.body.reclamationId);
      expect(notice.headers.host).toBe(`${RECEIVER}:${new URL(hook.url).port}`);
    }
    expect(hook.requests.every((r) => r.url === '/hooks/ledger?sig=S3CRET-IN-URL&tenant=contoso')).toBe(true);
  });

  const keep = (url: string) => {
    const u = new URL(url);
    return s.t.anonymous().post(`${u.pathname}${u.search}`).send({ reason: 'I still use it' });
  };
  const keepWithToken = (rid: string, token: string) =>
    s.t.anonymous().post(`/api/v1/profiles/${id}/reclamations/${rid}/keep?token=${token}`).send({});

  it('keep links: signed with the service key, not the webhook secret, and still valid after that secret rotates', async () => {
    const [a, b] = hook.notices.map((n) => n.body);
    expect(new URL(a!.keepUrl).searchParams.get('token')).toMatch(/^k1\./);

    // What the receiver could mint with the webhook secret (the old scheme) is refused.
    const minted = createHmac('sha256', SECRET).update(`keep:${b!.reclamationId}`).digest('base64url');
    expect((await keepWithToken(b!.reclamationId, minted)).status).toBe(401);
    // A link for one reclamation does not open another.
    const token = new URL(a!.keepUrl).searchParams.get('token')!;
    expect((await keepWithToken(b!.reclamationId, token)).status).toBe(401);

    expect((await patch({ webhookUrl: hookUrl(), webhookSecret: ROTATED })).status).toBe(200);
    const kept = await keep(a!.keepUrl);
    expect([kept.status, kept.body.status]).toEqual([200, 'awaiting-approval']);
  });

  it('keep links outlive a key rotation, and expire after the grace period and its margin', async () => {
    const [, b, c] = hook.notices.map((n) => n.body);
    const links = s.t.app.get(KeepLinks);
    const kidOf = (url: string) => new URL(url).searchParams.get('token')!.split('.')[1];
    offset = 1.5 * DAY; // past SAM_KEEP_KEY_ROTATION_DAYS=1, inside the 2-day grace period
    const fresh = await links.tokenFor(id, c!.reclamationId, new Date(Date.now() + offset + DAY).toISOString());
    expect(fresh.split('.')[1]).not.toBe(kidOf(b!.keepUrl));
    expect((await keep(b!.keepUrl)).status).toBe(200);

    offset = (2 + 7) * DAY + 60_000; // grace (2 days) + SAM_KEEP_LINK_MARGIN_DAYS (7)
    const expired = await keep(c!.keepUrl);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
  });
});
