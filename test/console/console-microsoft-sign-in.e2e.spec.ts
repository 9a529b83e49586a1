import { APP_ROLES } from '../../src/console/entra-sign-in';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

/** People sign in through Entra ID (here the sandbox's): the app role decides what the console offers. */
describeInBrowser('the web console’s "Sign in with Microsoft"', () => {
  let f: ConsoleFixture;
  beforeAll(async () => {
    f = await startConsoleFixture({ entraSignIn: true });
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));
  const admin = () => f.s.sandbox.tenant.identity.adminUserId;

  it('goes to Entra and back, and opens the console as the admin the app role names, no code left in the URL', async () => {
    const page = await f.browser.newPage();
    const visited: string[] = [];
    page.on('request', (r) => visited.push(r.url()));
    await page.goto(`${f.url}/`);
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(page.getByRole('banner').innerText()).resolves.toContain('Signed in as admin');
    expect(visited.some((url) => url.startsWith(`${f.s.sandbox.url}/`) && url.includes('/oauth2/v2.0/authorize'))).toBe(
      true,
    );
    expect(page.url()).toBe(`${f.url}/`);
    const token = await page.evaluate(() => Object.values(sessionStorage).find((v) => v.startsWith('llsession_')));
    const me = await f.s.t.anonymous().get('/api/v1/whoami').set('Authorization', `Bearer ${token}`);
    expect(me.body).toEqual({ role: 'admin', keyId: admin() });
    await page.close();
  });

  it('an account whose app role is auditor gets the read-only console', async () => {
    f.s.sandbox.tenant.app.appRoleAssignments.set(admin(), [APP_ROLES.auditor]);
    try {
      const page = await f.browser.newPage();
      await page.goto(`${f.url}/`);
      await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
      await page.getByRole('navigation', { name: 'Views' }).waitFor();
      await expect(page.getByRole('banner').innerText()).resolves.toContain('auditor (read only)');
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Low usage', exact: true })
        .click();
      await page.locator('tr[data-upn]').first().waitFor();
      expect(await page.getByRole('main').getByRole('button', { name: 'Reclaim' }).count()).toBe(0);
      await page.close();
    } finally {
      f.s.sandbox.tenant.app.appRoleAssignments.set(admin(), [APP_ROLES.admin]);
    }
  });

  it('an account with no role is told why, and sees no tenant data', async () => {
    f.s.sandbox.tenant.app.appRoleAssignments.delete(admin());
    try {
      const page = await f.browser.newPage();
      await page.goto(`${f.url}/`);
      await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
      await page.getByText('Microsoft sign-in did not complete').waitFor();
      await expect(page.locator('main').innerText()).resolves.toContain(APP_ROLES.admin);
      expect(await page.getByRole('navigation', { name: 'Views' }).count()).toBe(0);
      expect(await page.locator('table').count()).toBe(0);
      await page.close();
    } finally {
      f.s.sandbox.tenant.app.appRoleAssignments.set(admin(), [APP_ROLES.admin]);
    }
  });
  it('an admin signs a delegated connection in to Microsoft from the profile page and comes back to it', async () => {
    const body = f.s.sandbox.profileBody({ displayName: 'Delegated, from the console' });
    const created = (
      await f.s.t
        .as('admin')
        .post('/api/v1/profiles')
        .send({ ...body, subscriptionConnection: { ...body.subscriptionConnection, permissionType: 'delegated' } })
    ).body;
    const page = await f.browser.newPage();
    await signIn(page, f.url, KEYS.admin);
    await page.getByRole('main').getByRole('button', { name: 'Delegated, from the console' }).click();
    await openView(page, 'Profiles');
    const line = page.locator('[data-connection="subscription"]');
    await expect(line.getAttribute('data-signed-in')).resolves.toBe('false');
    await page.getByRole('button', { name: 'Validate' }).click();
    const row = page.locator('tr[data-check="downloadSubscriptions"]');
    await expect(row.locator('[data-field="advice"]').innerText()).resolves.toContain('Sign in to Microsoft');

    await page.getByRole('button', { name: 'Sign in to Microsoft for the subscriptions connection' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Signed in to Microsoft for the subscriptions connection' })
      .waitFor();
    expect(page.url()).toBe(`${f.url}/#/profiles`);
    await expect(page.getByRole('heading', { name: 'Delegated, from the console' }).count()).resolves.toBe(1);
    expect(await f.api(`/profiles/${created.id}`)).toMatchObject({ subscriptionConnection: { signedIn: true } });
    await expect(line.getAttribute('data-signed-in')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('status').filter({ hasText: 'Every check passed' }).waitFor();
    await page.close();
  });
});
