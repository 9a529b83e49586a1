import { redactUrl } from '../logging/redact';
import type { ProfileState } from '../domain/profile/profile.decider';
import { environmentUrlsOf } from '../domain/profile/profile.events';

export type ExistingProfile = Exclude<ProfileState, { status: 'none' }>;

/** A profile as the API returns it: secrets replaced by `hasClientSecret`, references hidden. */
export function profileView(p: ExistingProfile) {
  const sub = p.subscriptionConnection;
  const act = p.activityConnection;
  return {
    id: p.profileId,
    displayName: p.displayName,
    status: p.status,
    validated: p.validated,
    cloud: p.cloud,
    endpoints: p.endpoints,
    analyzeActivityFrom: p.analyzeActivityFrom,
    downloadActivity: p.downloadActivity,
    subscriptionConnection: {
      tenantId: sub.tenantId,
      clientId: sub.clientId,
      permissionType: sub.permissionType,
      hasClientSecret: sub.credentialRef !== null,
      ...(sub.permissionType === 'delegated' ? { signedIn: sub.consentRef !== null } : {}),
    },
    activityConnection: act
      ? {
          environmentUrl: act.environmentUrl,
          environmentUrls: [...environmentUrlsOf(act)],
          discoverEnvironments: act.discoverEnvironments ?? false,
          permissionType: act.permissionType,
          clientId: act.clientId,
          hasClientSecret: act.credentialRef !== null,
          ...(act.permissionType === 'delegated' ? { signedIn: act.consentRef !== null } : {}),
        }
      : null,
    // redactUrl again: profiles saved before URLs were redacted on save still hold the whole URL.
    notifications: p.notifications
      ? { webhookUrl: redactUrl(p.notifications.webhookUrl), hasWebhookSecret: true }
      : null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export type ProfileView = ReturnType<typeof profileView>;
