import {
  applyLicenseeEvent,
  evolveLicensee,
  initialLicensee,
  newLicenseeDraft,
  type LicenseeState,
  type LicenseeStreamEvent,
} from '../../src/domain/licensee/licensee.state';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const userId = 'aaaaaaaa-0000-4000-8000-000000000001';
const SALES = '1e1a282c-9c54-43a2-9310-98ef728faace';
const SERVICE = '2e1a282c-9c54-43a2-9310-98ef728faace';
const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`;
const subject = (reclamationId: string, skuId = SALES) => ({
  profileId,
  userId,
  reclamationId,
  skuId,
  skuPartNumber: skuId === SALES ? 'DYN365_ENTERPRISE_SALES' : 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
});
const assigned = (skuId: string, day: number): LicenseeStreamEvent => ({
  type: 'LicenseAssigned',
  data: {
    profileId,
    userId,
    userPrincipalName: 'alice@x',
    skuId,
    skuPartNumber: subject('', skuId).skuPartNumber,
    assignedVia: 'direct',
    groupIds: [],
    assignedAt: at(day),
    accountEnabled: true,
    userType: 'Member',
    recognized: true,
  },
});
const activity = (app: 'sales' | 'general', day: number, beyondTeamMembers: boolean): LicenseeStreamEvent =>
  ({
    type: 'UserActivityRecorded',
    data: { profileId, userId, app, lastActivityAt: at(day), beyondTeamMembers, source: 'dataverse-audit' },
  }) as LicenseeStreamEvent;

/** Every kind of event on a licensee stream, including ones that change nothing (older activity, stray steps). */
const history: LicenseeStreamEvent[] = [
  assigned(SALES, 1),
  assigned(SERVICE, 1),
  activity('sales', 5, true),
  activity('general', 3, false),
  activity('sales', 4, true),
  {
    type: 'LicenseAssignmentChanged',
    data: { profileId, userId, skuId: SALES, assignedVia: 'group', groupIds: ['g1'] },
  } as LicenseeStreamEvent,
  {
    type: 'LicenseeDetailsChanged',
    data: { profileId, userId, userPrincipalName: 'alice@y', accountEnabled: false, userType: 'Member' },
  } as LicenseeStreamEvent,
  { type: 'ReclamationOpened', data: { ...subject('r1'), openedAt: at(6) } } as LicenseeStreamEvent,
  { type: 'ReclamationUserNotified', data: { ...subject('r1'), graceEndsAt: at(13) } } as LicenseeStreamEvent,
  { type: 'ReclamationNotificationFailed', data: { ...subject('r1'), attempt: 2 } } as LicenseeStreamEvent,
  { type: 'ReclamationKeepRequested', data: { ...subject('r1') } } as LicenseeStreamEvent,
  { type: 'ReclamationKeepRejected', data: { ...subject('r1') } } as LicenseeStreamEvent,
  { type: 'ReclamationKeepApproved', data: { ...subject('stray') } } as LicenseeStreamEvent,
  { type: 'ReclamationCancelled', data: { ...subject('r1'), detail: 'kept' } } as LicenseeStreamEvent,
  {
    type: 'ReclamationRequested',
    data: { ...subject('r2', SERVICE), trigger: 'manual', reason: 'idle', requestedAt: at(20) },
  } as LicenseeStreamEvent,
  { type: 'ReclamationFailed', data: { ...subject('r3'), message: 'Graph said no' } } as LicenseeStreamEvent,
  { type: 'ReclamationBlocked', data: { ...subject('r4'), detail: 'group assignment' } } as LicenseeStreamEvent,
  {
    type: 'SubscriptionReclaimed',
    data: { ...subject('r2', SERVICE), reason: 'idle', reclaimedAt: at(21) },
  } as LicenseeStreamEvent,
  {
    type: 'LicenseRemoved',
    data: { profileId, userId, skuId: SALES, skuPartNumber: 'DYN365_ENTERPRISE_SALES' },
  } as LicenseeStreamEvent,
  activity('general', 22, true),
];

describe('the licensee rules, as the decider evolves and as the read model folds in place', () => {
  it('given every kind of licensee event, when evolved and when applied in place, then both give the same state', () => {
    const evolved = history.reduce(evolveLicensee, initialLicensee());
    const draft = newLicenseeDraft();
    for (const event of history) applyLicenseeEvent(draft, event);

    expect(draft).toEqual(evolved);
    expect([...evolved.licenses.keys()]).toEqual([]);
    expect(evolved.userPrincipalName).toBe('alice@y');
    expect(evolved.lastActivity).toMatchObject({ sales: at(5), general: at(22), beyondTeamMembers: at(22) });
    expect(Object.fromEntries([...evolved.reclamations].map(([id, r]) => [id, r.status]))).toEqual({
      r1: 'cancelled',
      r2: 'reclaimed',
      r3: 'failed',
      r4: 'blocked',
    });
    expect(evolved.reclamations.get('r1')).toMatchObject({ keepRejected: true, notificationAttempts: 2 });
  });

  it('when evolved, then no state it was given changes (a read model may hand its own record to the decider)', () => {
    const states: LicenseeState[] = [initialLicensee()];
    const copies = [structuredClone(states[0])];
    for (const event of history) {
      states.push(evolveLicensee(states[states.length - 1], event));
      copies.push(structuredClone(states[states.length - 1]));
    }
    states.forEach((state, i) => expect(state).toEqual(copies[i]));

    // A record the read model owns, evolved by the write path: the record stays as it was.
    const record = newLicenseeDraft();
    for (const event of history.slice(0, 9)) applyLicenseeEvent(record, event);
    const before = structuredClone(record);
    history.slice(9).reduce(evolveLicensee, record as LicenseeState);
    expect(record).toEqual(before);
  });

  it('when two drafts start empty, then they share nothing they could change', () => {
    const a = newLicenseeDraft();
    const b = newLicenseeDraft();
    applyLicenseeEvent(a, history[0]);
    applyLicenseeEvent(a, history[2]);
    applyLicenseeEvent(a, history[7]);
    expect(b).toEqual(initialLicensee());
    expect(b.licenses.size).toBe(0);
    expect(b.reclamations.size).toBe(0);
    expect(b.lastActivity.sales).toBeNull();
  });
});
