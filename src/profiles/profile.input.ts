import type { CloudName, Endpoints } from '../domain/profile/clouds';
import type { PermissionType } from '../domain/profile/profile.events';

/**
 * What a client sends to create or change a profile, secrets included. The HTTP edge's DTOs
 * implement these (and validate them); the commands take these, so the application never
 * depends on the HTTP layer.
 */
export interface SubscriptionConnectionInput {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly permissionType?: PermissionType;
}

export interface ActivityConnectionInput {
  /** One environment; or give environmentUrls. */
  readonly environmentUrl?: string;
  /** Several environments (1 to 50 distinct URLs), in place of environmentUrl. */
  readonly environmentUrls?: readonly string[];
  /** Also read every environment the connection can find. */
  readonly discoverEnvironments?: boolean;
  readonly permissionType: PermissionType;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface NotificationsInput {
  readonly webhookUrl: string;
  readonly webhookSecret: string;
}

export interface ProfileInput {
  readonly displayName: string;
  readonly cloud: CloudName;
  readonly endpoints?: Endpoints;
  readonly analyzeActivityFrom: string;
  readonly downloadActivity: boolean;
  readonly subscriptionConnection: SubscriptionConnectionInput;
  readonly activityConnection?: ActivityConnectionInput;
  readonly notifications?: NotificationsInput;
}

export interface ProfilePatch {
  readonly displayName?: string;
  readonly cloud?: CloudName;
  readonly endpoints?: Endpoints;
  readonly analyzeActivityFrom?: string;
  readonly downloadActivity?: boolean;
  readonly subscriptionConnection?: Partial<SubscriptionConnectionInput>;
  readonly activityConnection?: Partial<ActivityConnectionInput>;
  /** null removes the webhook. */
  readonly notifications?: NotificationsInput | null;
}
