import { checkProfileUrls, normalizeUrl, type CloudName, type Endpoints } from '../domain/profile/clouds';
import {
  environmentUrlsOf,
  type ActivityConnection,
  type NotificationSettings,
  type ProfileSettings,
  type SubscriptionConnection,
} from '../domain/profile/profile.events';
import type { CredentialStore } from '../credentials/credential.store';
import { redactUrl, urlHasSecrets } from '../logging/redact';
import { invalid, type FieldProblem } from '../shared/domain-error';
import { isUsableSecret } from '../webhooks/standard-webhooks';
import type { WebhookTargets } from '../webhooks/webhook-targets';
import type { ActivityConnectionInput, NotificationsInput, ProfileInput, ProfilePatch } from './profile.input';

export interface SettingsWithSecrets<T> {
  readonly value: T;
  /** Newly stored credential references: delete them if the command does not land. */
  readonly stored: readonly string[];
  /** References the command replaces: delete them once it has landed (a rotation). */
  readonly replaced: readonly string[];
}

/**
 * Turns request bodies into profile settings: secrets go into the credential store and
 * only their references continue; every URL passes the SSRF guard. Everything that can
 * make the request invalid is checked before a secret is stored.
 */
export class ProfileSettingsFactory {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly allowedHosts: readonly string[],
    private readonly webhooks: WebhookTargets,
    private readonly today: () => string,
  ) {}

  async fromCreate(dto: ProfileInput): Promise<SettingsWithSecrets<ProfileSettings>> {
    const endpoints = dto.cloud === 'custom' ? normalizeEndpoints(dto.endpoints ?? null) : null;
    const environmentUrls = dto.activityConnection ? environmentsOfInput(dto.activityConnection) : null;
    const problems = this.checkWebhook(dto.notifications);
    if (environmentUrls?.length === 0)
      problems.push({ field: 'activityConnection.environmentUrl', problem: 'or environmentUrls is required' });
    this.check(dto.cloud, endpoints, environmentUrls ?? [], dto.analyzeActivityFrom, problems);
    const stored: string[] = [];
    return this.undoOnFailure(stored, async () => {
      const put = async (secret: string) => {
        const ref = await this.credentials.put('client-secret', secret);
        stored.push(ref);
        return ref;
      };
      const subscriptionConnection: SubscriptionConnection = {
        tenantId: dto.subscriptionConnection.tenantId.toLowerCase(),
        clientId: dto.subscriptionConnection.clientId.toLowerCase(),
        permissionType: dto.subscriptionConnection.permissionType ?? 'application',
        credentialRef: await put(dto.subscriptionConnection.clientSecret),
        consentRef: null,
      };
      const activityConnection: ActivityConnection | null = dto.activityConnection
        ? {
            environmentUrl: environmentUrls![0],
            ...(environmentUrls!.length > 1 ? { environmentUrls: environmentUrls! } : {}),
            ...(dto.activityConnection.discoverEnvironments ? { discoverEnvironments: true } : {}),
            clientId: dto.activityConnection.clientId.toLowerCase(),
            permissionType: dto.activityConnection.permissionType,
            credentialRef: await put(dto.activityConnection.clientSecret),
            consentRef: null,
          }
        : null;
      const notifications = dto.notifications ? await this.notifications(dto.notifications, stored) : null;
      const value: ProfileSettings = {
        notifications,
        displayName: dto.displayName.trim(),
        cloud: dto.cloud,
        endpoints,
        analyzeActivityFrom: dto.analyzeActivityFrom,
        downloadActivity: dto.downloadActivity,
        subscriptionConnection,
        activityConnection,
      };
      return { value, stored, replaced: [] };
    });
  }

  async fromPatch(dto: ProfilePatch, current: ProfileSettings): Promise<SettingsWithSecrets<Partial<ProfileSettings>>> {
    const cloud = dto.cloud ?? current.cloud;
    const endpoints = cloud === 'custom' ? normalizeEndpoints(dto.endpoints ?? current.endpoints) : null;
    const activityPatch = dto.activityConnection;
    const problems: FieldProblem[] = [];
    if (activityPatch && !current.activityConnection) {
      for (const field of ['permissionType', 'clientId', 'clientSecret'] as const) {
        if (activityPatch[field] === undefined)
          problems.push({ field: `activityConnection.${field}`, problem: 'is required to add an activity connection' });
      }
      if (activityPatch.environmentUrl === undefined && activityPatch.environmentUrls === undefined)
        problems.push({
          field: 'activityConnection.environmentUrl',
          problem: 'or environmentUrls is required to add an activity connection',
        });
    }
    const patchedUrls = activityPatch ? environmentsOfInput(activityPatch) : [];
    const environmentUrls =
      patchedUrls.length > 0
        ? patchedUrls
        : current.activityConnection
          ? environmentUrlsOf(current.activityConnection).map(normalizeUrl)
          : [];
    problems.push(...this.checkWebhook(dto.notifications ?? undefined));
    this.check(cloud, endpoints, environmentUrls, dto.analyzeActivityFrom ?? current.analyzeActivityFrom, problems);

    const stored: string[] = [];
    return this.undoOnFailure(stored, async () => {
      const replaced: string[] = [];
      const rotate = async (secret: string | undefined, old: string | null): Promise<string | null> => {
        if (secret === undefined) return old;
        const ref = await this.credentials.put('client-secret', secret);
        stored.push(ref);
        if (old) replaced.push(old);
        return ref;
      };
      const changes: { -readonly [K in keyof ProfileSettings]?: ProfileSettings[K] } = {};
      if (dto.displayName !== undefined) changes.displayName = dto.displayName.trim();
      if (dto.cloud !== undefined) changes.cloud = dto.cloud;
      if (dto.cloud !== undefined || dto.endpoints !== undefined) changes.endpoints = endpoints;
      if (dto.analyzeActivityFrom !== undefined) changes.analyzeActivityFrom = dto.analyzeActivityFrom;
      if (dto.downloadActivity !== undefined) changes.downloadActivity = dto.downloadActivity;
      const sub = dto.subscriptionConnection;
      if (sub) {
        const was = current.subscriptionConnection;
        const permissionType = sub.permissionType ?? was.permissionType;
        const identityChanged =
          (sub.tenantId ?? was.tenantId).toLowerCase() !== was.tenantId ||
          (sub.clientId ?? was.clientId).toLowerCase() !== was.clientId;
        changes.subscriptionConnection = {
          tenantId: (sub.tenantId ?? was.tenantId).toLowerCase(),
          clientId: (sub.clientId ?? was.clientId).toLowerCase(),
          permissionType,
          credentialRef: await rotate(sub.clientSecret, was.credentialRef),
          // A consent belongs to one app registration signed in one way.
          consentRef: identityChanged || permissionType !== was.permissionType ? null : was.consentRef,
        };
      }
      if (activityPatch) {
        const was = current.activityConnection;
        const permissionType = activityPatch.permissionType ?? was!.permissionType;
        const clientId = (activityPatch.clientId ?? was!.clientId).toLowerCase();
        const discover = activityPatch.discoverEnvironments ?? was?.discoverEnvironments ?? false;
        changes.activityConnection = {
          environmentUrl: environmentUrls[0],
          ...(environmentUrls.length > 1 ? { environmentUrls } : {}),
          ...(discover ? { discoverEnvironments: true } : {}),
          clientId,
          permissionType,
          credentialRef: await rotate(activityPatch.clientSecret, was?.credentialRef ?? null),
          // A delegated sign-in is for one app registration, signed in one way, to the environments it named.
          consentRef:
            was &&
            was.clientId === clientId &&
            was.permissionType === permissionType &&
            environmentUrlsOf(was).join(' ') === environmentUrls.join(' ')
              ? was.consentRef
              : null,
        };
      }
      if (dto.notifications !== undefined) {
        changes.notifications = dto.notifications ? await this.notifications(dto.notifications, stored) : null;
        if (current.notifications) replaced.push(current.notifications.secretRef);
        if (current.notifications?.webhookUrlRef) replaced.push(current.notifications.webhookUrlRef);
      }
      return { value: changes, stored, replaced };
    });
  }

  /** A secret written before a later write failed (a full disk) must not linger. */
  private async undoOnFailure<T>(stored: string[], work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      for (const ref of stored) {
        // the store refuses writes altogether: nothing more can be done here
        await this.credentials.delete(ref).catch(() => undefined);
      }
      throw error;
    }
  }

  private async store(kind: 'webhook-secret' | 'webhook-url', secret: string, stored: string[]): Promise<string> {
    const ref = await this.credentials.put(kind, secret);
    stored.push(ref);
    return ref;
  }

  /**
   * Events and answers carry the webhook URL with its secrets redacted (a `sig=` or `token=`
   * in its query); when it has any, the whole URL is kept in the credential store instead.
   */
  private async notifications(dto: NotificationsInput, stored: string[]): Promise<NotificationSettings> {
    const url = dto.webhookUrl;
    return {
      webhookUrl: redactUrl(url),
      secretRef: await this.store('webhook-secret', dto.webhookSecret, stored),
      ...(urlHasSecrets(url) ? { webhookUrlRef: await this.store('webhook-url', url, stored) } : {}),
    };
  }

  /** The SSRF guard's checks that need no DNS (the handlers resolve the host before this runs). */
  private checkWebhook(notifications: NotificationsInput | undefined): FieldProblem[] {
    if (!notifications) return [];
    const problems: FieldProblem[] = [];
    const problem = this.webhooks.problemWithoutDns(notifications.webhookUrl);
    if (problem) problems.push({ field: 'notifications.webhookUrl', problem });
    if (!isUsableSecret(notifications.webhookSecret))
      problems.push({ field: 'notifications.webhookSecret', problem: 'whsec_ must be followed by base64 of the key' });
    return problems;
  }

  private check(
    cloud: CloudName,
    endpoints: Endpoints | null,
    environmentUrls: readonly string[],
    analyzeActivityFrom: string,
    problems: FieldProblem[],
  ): void {
    problems.push(...checkProfileUrls(cloud, endpoints, environmentUrls, this.allowedHosts));
    const date = new Date(`${analyzeActivityFrom}T00:00:00.000Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== analyzeActivityFrom) {
      problems.push({ field: 'analyzeActivityFrom', problem: 'is not a calendar date' });
    } else if (analyzeActivityFrom > this.today()) {
      problems.push({ field: 'analyzeActivityFrom', problem: 'must not be in the future' });
    } else if (analyzeActivityFrom < '2000-01-01') {
      problems.push({ field: 'analyzeActivityFrom', problem: 'must be on or after 2000-01-01' });
    }
    if (problems.length > 0) throw invalid('invalid-profile', 'the profile is invalid', problems);
  }
}

function normalizeEndpoints(endpoints: Endpoints | null): Endpoints | null {
  if (!endpoints) return null;
  const { discoveryBaseUrl } = endpoints;
  return {
    authorityHost: normalizeUrl(endpoints.authorityHost),
    graphBaseUrl: normalizeUrl(endpoints.graphBaseUrl),
    ...(discoveryBaseUrl !== undefined ? { discoveryBaseUrl: normalizeUrl(discoveryBaseUrl) } : {}),
  };
}

/** The environments an input names: environmentUrls, else environmentUrl; normalised, first occurrence kept. */
function environmentsOfInput(input: Partial<ActivityConnectionInput>): string[] {
  const urls = input.environmentUrls ?? (input.environmentUrl !== undefined ? [input.environmentUrl] : []);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const url of urls.map(normalizeUrl)) {
    if (seen.has(url.toLowerCase())) continue;
    seen.add(url.toLowerCase());
    out.push(url);
  }
  return out;
}
