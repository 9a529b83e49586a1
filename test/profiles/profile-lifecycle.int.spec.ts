import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxApp, until, type SandboxApp } from '../support/sandbox-app';
import { followOnce } from '../support/redirect';

describe('profile lifecycle against the sandbox tenant', () => {
  let s: SandboxApp;
  beforeAll(async () => {
    s = await startSandboxApp();
  });
  afterAll(() => s.close());

  const admin = () => s.t.as('admin');

  it('create, validate with a wrong then the right secret, publish, list jobs, patch back to draft, jobs removed', async () => {
    const wrong = s.sandbox.profileBody({ subscriptionConnection: { clientSecret: 'not-the-secret' } });
    const created = await admin().post('/api/v1/profiles').send(wrong);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      validated: false,
      subscriptionConnection: { hasClientSecret: true },
      activityConnection: { hasClientSecret: true },
    });
    const id = created.body.id;

    const bad = await admin().post(`/api/v1/profiles/${id}/validate`);
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    const environmentUrl = `${s.sandbox.url}/dynamics`;
    expect(bad.body.checks).toEqual([
      { name: 'downloadSubscriptions', ok: false, error: expect.stringContaining('AADSTS7000215') },
      { name: 'calculateActivity', environmentUrl, ok: true },
      { name: 'auditSettings', environmentUrl, ok: true },
    ]);
    expect((await admin().post(`/api/v1/profiles/${id}/publish`)).status).toBe(409);

    const rotated = await admin()
      .patch(`/api/v1/profiles/${id}`)
      .send({ subscriptionConnection: { clientSecret: s.sandbox.clientSecret } });
    expect(rotated.status).toBe(200);
    const good = await admin().post(`/api/v1/profiles/${id}/validate`);
    expect(good.body).toEqual({
      valid: true,
      checks: [
        { name: 'downloadSubscriptions', ok: true },
        { name: 'calculateActivity', environmentUrl, ok: true },
        { name: 'auditSettings', environmentUrl, ok: true },
      ],
    });

    const published = await admin().post(`/api/v1/profiles/${id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', validated: true });
    const jobs = await s.t.as('auditor').get(`/api/v1/profiles/${id}/jobs`);
    expect(jobs.body.items.map((j: { job: string }) => j.job)).toEqual(['download-subscriptions', 'refresh-activity']);
    expect(jobs.body.items[0]).toMatchObject({ schedule: 'daily at 02:00 UTC', enabled: false, nextRunAt: null });

    const off = await admin().patch(`/api/v1/profiles/${id}`).send({ downloadActivity: false });
    expect(off.body).toMatchObject({ status: 'draft', validated: false, downloadActivity: false });
    const after = await s.t.as('auditor').get(`/api/v1/profiles/${id}/jobs`);
    expect(after.body.items.map((j: { job: string }) => j.job)).toEqual(['download-subscriptions']);
    const events = await s.t.as('auditor').get(`/api/v1/events?type=ProfileReturnedToDraft`);
    expect(events.body.items.at(-1).data).toMatchObject({ profileId: id, removedJobs: ['refresh-activity'] });
    expect((await admin().post(`/api/v1/profiles/${id}/jobs/download-subscriptions/runs`)).status).toBe(409);
  });

  it('retries through throttling and a 503 during validation', async () => {
    const id = (await admin().post('/api/v1/profiles').send(s.sandbox.profileBody())).body.id;
    s.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'throttle', retryAfterSeconds: 1, times: 2 });
    s.sandbox.faults.add({ family: 'dataverse', kind: 'unavailable', times: 1 });
    const res = await admin().post(`/api/v1/profiles/${id}/validate`);
    expect(res.body.valid).toBe(true);
    expect(s.sandbox.faults.list().map((f) => f.applied)).toEqual([2, 1]);
    s.sandbox.faults.clear();
  });

  it('two profiles coexist, each with its own connections (child aliases)', async () => {
    const a = (
      await admin()
        .post('/api/v1/profiles')
        .send(s.sandbox.profileBody({ displayName: 'Alias A' }))
    ).body;
    const { activityConnection: _none, ...withoutActivity } = s.sandbox.profileBody({
      displayName: 'Alias B',
      downloadActivity: false,
    });
    const b = (await admin().post('/api/v1/profiles').send(withoutActivity)).body;
    const list = await s.t.as('auditor').get('/api/v1/profiles?limit=1000');
    const names = list.body.items.map((p: { displayName: string }) => p.displayName);
    expect(names).toEqual(expect.arrayContaining(['Alias A', 'Alias B']));
    expect(a.activityConnection).not.toBeNull();
    expect(b).toMatchObject({ downloadActivity: false, activityConnection: null });
  });

  it('the delegated authorization round trip stores a refresh token and later tokens refresh silently', async () => {
    const id = (await admin().post('/api/v1/profiles').send(s.sandbox.profileBody())).body.id;
    await admin()
      .patch(`/api/v1/profiles/${id}`)
      .send({ subscriptionConnection: { permissionType: 'delegated' } });
    const before = await admin().post(`/api/v1/profiles/${id}/validate`);
    expect(before.body.checks[0]).toMatchObject({ ok: false });

    const authorize = await admin().get(`/api/v1/profiles/${id}/connections/subscription/authorize`);
    expect(authorize.status).toBe(302);
    const toSandbox = new URL(authorize.headers.location);
    expect(toSandbox.origin).toBe(s.sandbox.url);
    expect(toSandbox.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await followOnce(toSandbox.href, s.sandbox.caPem);
    expect(callback.startsWith(`${s.t.url}/api/v1/oauth/callback?`)).toBe(true);
    const done = await s.t.anonymous().get(callback.slice(s.t.url.length));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ connected: true, profileId: id, connection: 'subscription' });
    expect((await s.t.anonymous().get(callback.slice(s.t.url.length))).status).toBe(400);

    const profile = await s.t.as('auditor').get(`/api/v1/profiles/${id}`);
    expect(profile.body.subscriptionConnection).toMatchObject({ permissionType: 'delegated', signedIn: true });
    const after = await admin().post(`/api/v1/profiles/${id}/validate`);
    expect(after.body.valid).toBe(true);
    const consent = await s.t.as('auditor').get('/api/v1/events?type=DelegatedConsentGranted');
    expect(consent.body.items.at(-1).data).toMatchObject({
      profileId: id,
      connection: 'subscription',
      consentRef: expect.stringMatching(/^cred-/),
    });
  });

  it('a sign-in started from the console answers JSON and brings the browser back to the console', async () => {
    const id = (await admin().post('/api/v1/profiles').send(s.sandbox.profileBody())).body.id;
    await admin()
      .patch(`/api/v1/profiles/${id}`)
      .send({ subscriptionConnection: { permissionType: 'delegated' } });
    const path = `/api/v1/profiles/${id}/connections/subscription/authorize`;
    const bad = await admin().get(`${path}?returnTo=https://evil.example`).set('Accept', 'application/json');
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:license-ledger:problem:invalid-return-to');

    const started = await admin().get(`${path}?returnTo=console`).set('Accept', 'application/json');
    expect(started.status).toBe(200);
    const toSandbox = new URL(started.body.location);
    expect(toSandbox.origin).toBe(s.sandbox.url);
    const callback = await followOnce(toSandbox.href, s.sandbox.caPem);
    const done = await s.t.anonymous().get(callback.slice(s.t.url.length));
    expect(done.status).toBe(303);
    const back = new URL(done.headers.location);
    expect(`${back.origin}${back.pathname}`).toBe(`${s.t.url}/`);
    expect(Object.fromEntries(new URLSearchParams(back.hash.split('?')[1]))).toEqual({
      profile: id,
      signedIn: 'subscription',
    });
    const profile = await s.t.as('auditor').get(`/api/v1/profiles/${id}`);
    expect(profile.body.subscriptionConnection).toMatchObject({ signedIn: true });

    // Microsoft refuses: the console is told why, and nothing is recorded.
    const again = await admin().get(`${path}?returnTo=console`).set('Accept', 'application/json');
    const state = new URL(again.body.location).searchParams.get('state')!;
    const consents = (await s.t.as('auditor').get('/api/v1/events?type=DelegatedConsentGranted&limit=1000')).body.items
      .length;
    const refused = await s.t
      .anonymous()
      .get(`/api/v1/oauth/callback?state=${state}&error=access_denied&error_description=The+user+declined`);
    expect(refused.status).toBe(303);
    const reason = new URLSearchParams(new URL(refused.headers.location).hash.split('?')[1]).get('signInError');
    expect(reason).toBe('Entra refused the sign-in: access_denied: The user declined');
    const after = (await s.t.as('auditor').get('/api/v1/events?type=DelegatedConsentGranted&limit=1000')).body.items;
    expect(after.length).toBe(consents);
  });

  it('no secret appears in the database file, the logs or any response', async () => {
    const secret = s.sandbox.clientSecret;
    const responses: string[] = [];
    const created = await admin()
      .post('/api/v1/profiles')
      .send(s.sandbox.profileBody({ displayName: 'Secrets' }));
    responses.push(JSON.stringify(created.body));
    const id = created.body.id;
    responses.push(JSON.stringify((await admin().post(`/api/v1/profiles/${id}/validate`)).body));
    responses.push(
      JSON.stringify(
        (
          await admin()
            .patch(`/api/v1/profiles/${id}`)
            .send({ activityConnection: { clientSecret: `${secret}` } })
        ).body,
      ),
    );
    responses.push(JSON.stringify((await s.t.as('auditor').get('/api/v1/events?limit=1000')).body));
    responses.push(JSON.stringify((await s.t.as('auditor').get(`/api/v1/profiles?limit=1000`)).body));
    await until(() => s.t.logs.length > 0);
    s.t.runner.persist();
    const db =
      readFileSync(join(s.t.dir, 'sam.sqlite')).toString('latin1') +
      readFileSync(join(s.t.dir, 'sam.sqlite-wal')).toString('latin1');
    for (const haystack of [db, s.t.logs.join('\n'), responses.join('\n')]) {
      expect(haystack).not.toContain(secret);
      expect(haystack).not.toContain('not-the-secret');
      expect(haystack).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    }
  });
});
