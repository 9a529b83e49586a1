import { deterministicId } from '../shared/ids';

/**
 * Every stream name, built in one place. Names are `category-id`, so EventStoreDB's `$ce-`
 * category streams and our own prefix reads group them; a licensee's id joins the profile
 * and the user with a dot, which never occurs in either.
 */
export const streamIds = {
  /** An integration profile's settings, validation, publication and exclusion rules. */
  profile: (profileId: string): string => `profile-${profileId}`,
  /** One user of a profile: licenses, activity, reclamation steps. */
  licensee: (profileId: string, userId: string): string => `licensee-${profileId}.${userId}`,
  /** What the tenant holds and what admins set about it: models, entitlements, rules, prices, run summaries. */
  catalog: (profileId: string): string => `catalog-${profileId}`,
  /** The claim on a profile's job: at most one run at a time. */
  jobClaims: (profileId: string, job: string): string => `job-${profileId}.${job}`,
  /** One job run's own history. */
  jobRun: (runId: string): string => `jobrun-${runId}`,
  /** Which live process holds a SAM_INSTANCE_ID. */
  instance: (instanceId: string): string => `instance-${instanceId}`,
  /** One Dynamics 365 environment's audit history; the key is derived from its URL. */
  environment: (profileId: string, environmentUrl: string): string =>
    `environment-${profileId}.${environmentKey(environmentUrl)}`,
  /** What one integration (an application user acting for people) did in a profile's environments. */
  integration: (profileId: string, systemUserId: string): string => `integration-${profileId}.${systemUserId}`,
} as const;

/** An environment URL as the ledger compares it: lower case, no trailing slash. */
export const normalizedEnvironmentUrl = (url: string): string => url.trim().toLowerCase().replace(/\/+$/, '');

/** A stream-name-safe key for an environment URL (a URL holds ':' and '/'). */
export const environmentKey = (environmentUrl: string): string =>
  deterministicId('environment', normalizedEnvironmentUrl(environmentUrl));

export type StreamCategory =
  'profile' | 'licensee' | 'catalog' | 'job' | 'jobrun' | 'instance' | 'environment' | 'integration';

/** The category of a stream name (the part before the first dash), or null for a name not ours. */
export function categoryOf(streamId: string): StreamCategory | null {
  const dash = streamId.indexOf('-');
  const category = dash < 0 ? '' : streamId.slice(0, dash);
  return (CATEGORIES as readonly string[]).includes(category) ? (category as StreamCategory) : null;
}

const CATEGORIES: readonly StreamCategory[] = [
  'profile',
  'licensee',
  'catalog',
  'job',
  'jobrun',
  'instance',
  'environment',
  'integration',
];

/** The profile and user of a licensee stream, or null when the name is not one. */
export function licenseeOf(streamId: string): { profileId: string; userId: string } | null {
  if (!streamId.startsWith('licensee-')) return null;
  const rest = streamId.slice('licensee-'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? null : { profileId: rest.slice(0, dot), userId: rest.slice(dot + 1) };
}
