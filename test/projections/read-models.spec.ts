import { deserialize, serialize } from 'node:v8';
import { applyEvent, type ProjectedEvent, type Projection } from '../../projections/projection';
import { jobRunsProjection } from '../../projections/job-runs/job-runs.projection';
import { modelHistoryProjection } from '../../projections/model-history/model-history.projection';
import { profilesProjection } from '../../projections/profiles/profiles.projection';
import { reclamationsProjection } from '../../projections/reclamations/reclamations.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const userId = 'aaaaaaaa-0000-4000-8000-000000000001';
const skuId = '1e1a282c-9c54-43a2-9310-98ef728faace';
const runId = 'a0000000-0000-4000-8000-000000000001';
const rid = 'c0000000-0000-4000-8000-000000000001';
const at = '2026-11-26T03:00:00.000Z';

/** given(events) folded by one projection, with positions, revisions per stream and an actor. */
function given<S>(
  projection: Projection<S, any>,
  events: { stream: string; type: string; data: Record<string, unknown>; actor?: { kind: string; id: string } }[],
): S {
  const revisions = new Map<string, number>();
  return events.reduce((state, e, i) => {
    const revision = (revisions.get(e.stream) ?? -1) + 1;
    revisions.set(e.stream, revision);
    const projected: ProjectedEvent = {
      type: e.type,
      data: e.data,
      streamId: e.stream,
      revision,
      position: BigInt(i + 1),
      recordedAt: at,
      metadata: { actor: e.actor ?? { kind: 'system', id: 't' } },
    };
    return applyEvent(projection, state, projected);
  }, projection.initialState());
}

const subject = { profileId, userId, reclamationId: rid, skuId, skuPartNumber: 'DYN365_ENTERPRISE_SALES' };
const licensee = `licensee-${profileId}.${userId}`;
/** A direct assignment of the Sales SKU to the user. */
const salesAssigned = {
  userPrincipalName: 'a@x',
  skuId,
  skuPartNumber: 'DYN365_ENTERPRISE_SALES',
  assignedVia: 'direct',
  groupIds: [],
  assignedAt: at,
};

describe('read models', () => {
  it('profiles: the profile decider folds each profile; later events update it', () => {
    const state = given(profilesProjection, [
      {
        stream: `profile-${profileId}`,
        type: 'ProfileDrafted',
        data: {
          profileId,
          createdAt: at,
          displayName: 'P',
          cloud: 'public',
          endpoints: null,
          analyzeActivityFrom: '2026-01-01',
          downloadActivity: false,
          subscriptionConnection: {
            tenantId: profileId,
            clientId: profileId,
            permissionType: 'application',
            credentialRef: 'c',
            consentRef: null,
          },
          activityConnection: null,
        },
      },
      { stream: `profile-${profileId}`, type: 'ProfileValidated', data: { profileId, checks: [], validatedAt: at } },
      { stream: `profile-${profileId}`, type: 'ProfilePublished', data: { profileId, publishedAt: at } },
    ]);
    expect(state.get(profileId)).toMatchObject({ status: 'published', validated: true, displayName: 'P' });
  });

  it('job runs: queued, running, progress, succeeded; the claim is held until released', () => {
    const job = 'download-subscriptions';
    const claimStream = `job-${profileId}.${job}`;
    const runStream = `jobrun-${runId}`;
    const running = given(jobRunsProjection, [
      {
        stream: claimStream,
        type: 'JobRunClaimed',
        data: { runId, profileId, job, trigger: 'schedule', slot: '2026-11-26', instanceId: 'i', claimedAt: at },
      },
      {
        stream: runStream,
        type: 'JobRunStarted',
        data: { runId, profileId, job, trigger: 'schedule', instanceId: 'i', startedAt: at },
      },
      {
        stream: runStream,
        type: 'JobRunProgressed',
        data: { runId, profileId, phase: 'reading users', done: 999, total: null, at },
      },
    ]);
    expect(running.runs.get(runId)).toMatchObject({
      status: 'running',
      progress: { phase: 'reading users', done: 999 },
    });
    expect(running.claims.get(`${profileId}.${job}`)).toMatchObject({ runId });
    const done = given(jobRunsProjection, [
      {
        stream: claimStream,
        type: 'JobRunClaimed',
        data: { runId, profileId, job, trigger: 'schedule', slot: '2026-11-26', instanceId: 'i', claimedAt: at },
      },
      {
        stream: runStream,
        type: 'JobRunSucceeded',
        data: { runId, profileId, job, summary: { users: 1 }, finishedAt: at },
      },
      {
        stream: claimStream,
        type: 'JobRunReleased',
        data: { runId, profileId, job, outcome: 'succeeded', releasedAt: at },
      },
    ]);
    expect(done.runs.get(runId)).toMatchObject({ status: 'succeeded', summary: { users: 1 } });
    expect(done.claims.size).toBe(0);
    expect(done.claimStreams.get(`${profileId}.${job}`)).toEqual({ revision: 1, lastSlot: '2026-11-26' });
  });

  it('reclamations: each step lands in the history with its actor; states follow the workflow', () => {
    const state = given(reclamationsProjection, [
      {
        stream: licensee,
        type: 'ReclamationOpened',
        data: {
          ...subject,
          ruleId: null,
          trigger: 'low-usage',
          daysInactive: 90,
          lastActivityAt: null,
          graceDays: 7,
          openedAt: at,
        },
      },
      {
        stream: licensee,
        type: 'ReclamationUserNotified',
        data: { ...subject, deliveryId: rid, webhookStatus: 204, graceEndsAt: at, notifiedAt: at },
      },
      {
        stream: licensee,
        type: 'ReclamationKeepRequested',
        data: { ...subject, requestedBy: 'a@x', reason: 'r', requestedAt: at },
        actor: { kind: 'user', id: userId },
      },
    ]);
    const view = state.byId.get(rid)!;
    expect(view).toMatchObject({ status: 'awaiting-approval', trigger: 'low-usage', graceEndsAt: at });
    expect(view.history.map((h) => h.type)).toEqual([
      'ReclamationOpened',
      'ReclamationUserNotified',
      'ReclamationKeepRequested',
    ]);
    expect(view.history[2].actor).toEqual({ kind: 'user', id: userId });
    expect(state.byProfile.get(profileId)).toEqual([rid]);
  });

  it('subscriptions: reclamation steps move the stream revision; a reclaim removes the license', () => {
    const state = given(subscriptionsProjection, [
      {
        stream: licensee,
        type: 'LicenseAssigned',
        data: { profileId, userId, ...salesAssigned },
      },
      {
        stream: licensee,
        type: 'ReclamationRequested',
        data: { ...subject, trigger: 'manual', reason: '', requestedAt: at },
      },
      { stream: licensee, type: 'SubscriptionReclaimed', data: { ...subject, reason: '', reclaimedAt: at } },
    ]);
    const user = state.get(profileId)!.users.get(userId)!;
    expect(user.revision).toBe(2);
    expect(user.licenses.size).toBe(0);
  });

  it('subscriptions: users read back from a save share nothing a later event changes', () => {
    const bob = 'bbbbbbbb-0000-4000-8000-000000000002';
    const details = (user: string) => ({
      stream: `licensee-${profileId}.${user}`,
      type: 'LicenseeDetailsChanged',
      data: { profileId, userId: user, userPrincipalName: `${user}@x`, accountEnabled: true, userType: 'Member' },
    });
    // Both users still hold the initial (shared, empty) containers; v8 keeps that sharing through a save.
    const saved = given(subscriptionsProjection, [details(userId), details(bob)]);
    let state = deserialize(serialize(saved)) as typeof saved;
    const next = (type: string, data: Record<string, unknown>, user = userId, revision = 1) =>
      (state = applyEvent(subscriptionsProjection, state, {
        type,
        data: { profileId, userId: user, ...data },
        streamId: `licensee-${profileId}.${user}`,
        revision,
        position: 10n + BigInt(revision),
        recordedAt: at,
        metadata: { actor: { kind: 'system', id: 't' } },
      }));
    next('UserActivityRecorded', {
      app: 'sales',
      lastActivityAt: at,
      beyondTeamMembers: true,
      source: 'dataverse-audit',
    });
    next('ReclamationOpened', { ...subject, openedAt: at }, userId, 2);
    next(
      'LicenseAssigned',
      {
        ...salesAssigned,
        accountEnabled: true,
        userType: 'Member',
        recognized: true,
      },
      userId,
      3,
    );
    const users = state.get(profileId)!.users;
    expect(users.get(userId)).toMatchObject({ revision: 3, lastActivity: { sales: at } });
    expect(users.get(userId)!.licenses.size).toBe(1);
    expect(users.get(userId)!.reclamations.size).toBe(1);
    expect(users.get(bob)).toMatchObject({ revision: 0, lastActivity: { sales: null, beyondTeamMembers: null } });
    expect(users.get(bob)!.licenses.size).toBe(0);
    expect(users.get(bob)!.reclamations.size).toBe(0);
  });

  it('model history: the positions of every event about a model, oldest first', () => {
    const state = given(modelHistoryProjection, [
      {
        stream: `catalog-${profileId}`,
        type: 'SoftwareModelCreated',
        data: { profileId, skuId, skuPartNumber: 'DYN365_ENTERPRISE_SALES' },
      },
      { stream: licensee, type: 'UserActivityRecorded', data: { profileId, userId, app: 'sales', lastActivityAt: at } },
      {
        stream: licensee,
        type: 'LicenseAssigned',
        data: { profileId, userId, skuId, skuPartNumber: 'DYN365_ENTERPRISE_SALES' },
      },
    ]);
    expect(state.get(profileId)!.get('DYN365_ENTERPRISE_SALES')).toEqual([1n, 3n]);
  });
});
