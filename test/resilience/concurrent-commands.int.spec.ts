import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileDecider, type ProfileState } from '../../src/domain/profile/profile.decider';
import { profileView, type ExistingProfile } from '../../src/profiles/profile.view';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { events, type Envelope } from './support/ledger-checks';
import { killAllServices, startService, waitFor, type ServiceProcess } from './support/service-process';

/**
 * Racing commands on one profile, sent to two service processes sharing one SQLite file
 * (so the races cross both the in-process path and SQLite's writer lock): every command
 * either succeeds or is refused with 409, never a 5xx, and the profile each instance
 * serves is exactly the fold of the profile's events in the log.
 */
describe('concurrent commands on one profile', () => {
  let sandbox: Sandbox;
  let dir: string;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let profileId: string;
  let sqlitePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-races-'));
    const caFile = join(dir, 'sandbox-ca.pem');
    sandbox = await startSandbox({ users: 30, seed: 31, caFile });
    sqlitePath = join(dir, 'sam.sqlite');
    [a, b] = await Promise.all([
      startService({ sqlitePath, caFile, instanceId: 'race-a' }),
      startService({ sqlitePath, caFile, instanceId: 'race-b' }),
    ]);
    const created = await a.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
    expect(created.status).toBe(201);
    profileId = created.body.id;
  }, 90_000);
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedCredentialRefs = () => {
    const db = new Database(sqlitePath, { readonly: true });
    try {
      return (
        db.prepare("SELECT name FROM vault WHERE name LIKE 'cred-%' ORDER BY name").all() as { name: string }[]
      ).map((r) => r.name);
    } finally {
      db.close();
    }
  };
  const either = (i: number) => (i % 2 === 0 ? a : b);
  const statuses = (responses: { status: number }[]) => [...new Set(responses.map((r) => r.status))].sort();

  /**
   * The profile (and its exclusion rules) as the log says it is, once both instances have
   * applied the log: the other instance sees a write within its 250 ms poll.
   */
  async function expectBothServeTheLog(): Promise<ExistingProfile> {
    const log = (await events(a)).filter((e) => e.streamId === `profile-${profileId}`);
    const folded = fold(log);
    const expected = {
      profile: profileView(folded),
      rules: [...folded.exclusionRules].sort((x, y) => (x.id < y.id ? -1 : 1)),
    };
    const served = async (svc: ServiceProcess) => ({
      profile: (await svc.as('auditor').get(`/api/v1/profiles/${profileId}`)).body,
      rules: (await svc.as('auditor').get(`/api/v1/profiles/${profileId}/exclusion-rules`)).body.items,
    });
    for (const svc of [a, b]) {
      const agrees = await waitFor(
        `${svc.instanceId} to serve the profile as the log has it`,
        async () => JSON.stringify(await served(svc)) === JSON.stringify(expected),
        10_000,
      ).catch(() => false);
      if (!agrees) expect(await served(svc)).toEqual(expected);
    }
    return folded;
  }

  it('parallel PATCHes: each is 200 or 409, every 200 is exactly one ProfileUpdated, and the profile is the fold of its log', async () => {
    const before = (await events(a)).length;
    const patches = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        either(i)
          .as('admin')
          .patch(`/api/v1/profiles/${profileId}`)
          // Some rotate the client secret (a new credential each time), some toggle activity.
          .send({
            displayName: `race ${i}`,
            ...(i % 3 === 0 ? { subscriptionConnection: { ...sandbox.profileBody().subscriptionConnection } } : {}),
            ...(i % 5 === 0 ? { downloadActivity: i % 10 === 0 } : {}),
          }),
      ),
    );
    expect(statuses(patches).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    for (const refused of patches.filter((r) => r.status === 409))
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const won = patches.filter((r) => r.status === 200);
    expect(won.length).toBeGreaterThan(0);
    const appended = (await events(a)).slice(before).filter((e) => e.streamId === `profile-${profileId}`);
    const updated = appended.filter((e) => e.type === 'ProfileUpdated');
    expect(updated.map((e) => e.data.changes.displayName).sort()).toEqual(won.map((r) => r.body.displayName).sort());
    await expectBothServeTheLog();
    // The credential the log points at survived the races (validation can read it), and
    // no secret of a refused or superseded PATCH lingers in the credential store.
    const validated = await a.as('admin').post(`/api/v1/profiles/${profileId}/validate`);
    expect(validated.body).toMatchObject({ valid: true });
    expect(storedCredentialRefs()).toEqual(referencedCredentialRefs(await expectBothServeTheLog()));
  });

  it('validate racing PATCHes that clear validation: 200 or 409 each, and "validated" is what the log says', async () => {
    for (let round = 0; round < 6; round++) {
      const [validation, ...patches] = await Promise.all([
        either(round).as('admin').post(`/api/v1/profiles/${profileId}/validate`),
        ...Array.from({ length: 3 }, (_, i) =>
          either(round + i + 1)
            .as('admin')
            .patch(`/api/v1/profiles/${profileId}`)
            .send({ subscriptionConnection: { ...sandbox.profileBody().subscriptionConnection } }),
        ),
      ]);
      expect(statuses([validation, ...patches]).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      if (validation.status === 409)
        expect(validation.body).toMatchObject({ type: 'urn:license-ledger:problem:profile-changed-during-validation' });
      const state = await expectBothServeTheLog();
      const log = (await events(a)).filter((e) => e.streamId === `profile-${profileId}`);
      expect(state.validated).toBe(lastValidationStands(log));
    }
  });

  it('publish racing publishes and a PATCH: 200 or 409 each, published at most once per validation, and the status is what the log says', async () => {
    for (let round = 0; round < 4; round++) {
      const validated = await a.as('admin').post(`/api/v1/profiles/${profileId}/validate`);
      expect(validated.status).toBe(200);
      const before = (await events(a)).length;
      const responses = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => either(i).as('admin').post(`/api/v1/profiles/${profileId}/publish`)),
        either(round)
          .as('admin')
          .patch(`/api/v1/profiles/${profileId}`)
          .send({ downloadActivity: round % 2 === 0 }),
      ]);
      expect(statuses(responses).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const appended = (await events(a)).slice(before).filter((e) => e.streamId === `profile-${profileId}`);
      expect(appended.filter((e) => e.type === 'ProfilePublished').length).toBeLessThanOrEqual(1);
      const state = await expectBothServeTheLog();
      expect(['draft', 'published']).toContain(state.status);
    }
  });

  it('the same exclusion rule added 12 times at once: one 201, the rest 409, one rule in the log and the list', async () => {
    const added = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        either(i)
          .as('admin')
          .post(`/api/v1/profiles/${profileId}/exclusion-rules`)
          .send({ type: 'user', value: 'svc-backup@contoso.test', reason: `race ${i}` }),
      ),
    );
    expect(statuses(added)).toEqual(added.length > 1 ? [201, 409] : [201]);
    expect(added.filter((r) => r.status === 201)).toHaveLength(1);
    const rules = (await events(a)).filter((e) => e.type === 'ExclusionRuleAdded' && e.data.profileId === profileId);
    expect(rules).toHaveLength(1);
    const state = await expectBothServeTheLog();
    expect(state.exclusionRules.map((r) => r.value)).toEqual(['svc-backup@contoso.test']);
  });

  afterEach(() => {
    // The instances must have survived every race.
    expect([a.exit(), b.exit()]).toEqual([null, null]);
  });
});

function fold(log: readonly Envelope[]): ExistingProfile {
  const state = log.reduce<ProfileState>((s, e) => profileDecider.evolve(s, e as never), profileDecider.initialState());
  if (state.status === 'none') throw new Error('the profile has no events');
  return state;
}

/** True when the last validation outcome in the log is a success not followed by a change that clears it. */
function lastValidationStands(log: readonly Envelope[]): boolean {
  let validated = false;
  for (const e of log) {
    if (e.type === 'ProfileValidated') validated = true;
    if (
      e.type === 'ProfileValidationFailed' ||
      e.type === 'ProfileReturnedToDraft' ||
      (e.type === 'ProfileUpdated' && e.data.validationCleared)
    )
      validated = false;
  }
  return validated;
}

function referencedCredentialRefs(profile: ExistingProfile): string[] {
  return [profile.subscriptionConnection.credentialRef, profile.activityConnection?.credentialRef]
    .filter((r): r is string => typeof r === 'string')
    .sort();
}
