import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from '../core/tokens';
import type { KeyRing } from '../credentials/signing-keys';
import { CLOCK, type Clock } from '../shared/clock';
import { checkKeepToken, keepTokenKid, signKeepToken, type KeepTokenCheck } from './keep-token';

export const KEEP_LINK_KEYS = Symbol('KeepLinkKeys');
export const KEEP_LINK_PURPOSE = 'keep-link';
const DAY_MS = 86_400_000;
/** The longest grace period a rule may give (API.md: graceDays 0–365). */
export const MAX_GRACE_DAYS = 365;

/**
 * Keep links in notices: signed with the keep-link key ring, valid until the grace period
 * they belong to ends plus SAM_KEEP_LINK_MARGIN_DAYS. Rotating the key ring (or the webhook
 * secret) leaves outstanding links working.
 */
@Injectable()
export class KeepLinks {
  constructor(
    @Inject(KEEP_LINK_KEYS) private readonly keys: KeyRing,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async urlFor(profileId: string, reclamationId: string, graceEndsAt: string): Promise<string> {
    const token = await this.tokenFor(profileId, reclamationId, graceEndsAt);
    return `${this.config.publicUrl}/api/v1/profiles/${profileId}/reclamations/${reclamationId}/keep?token=${token}`;
  }

  async tokenFor(profileId: string, reclamationId: string, graceEndsAt: string): Promise<string> {
    const end = Math.max(Date.parse(graceEndsAt) || 0, this.clock.now().getTime());
    const expiresAt = Math.ceil((end + this.config.keepLinkMarginDays * DAY_MS) / 1000);
    return signKeepToken(await this.keys.current(), { profileId, reclamationId }, expiresAt);
  }

  /** The token names its key; that key is looked up (the shared key ring), then the token is checked against it. */
  async check(profileId: string, reclamationId: string, token: string): Promise<KeepTokenCheck> {
    const kid = keepTokenKid(token);
    const key = kid === null ? null : await this.keys.find(kid);
    return checkKeepToken(
      token,
      { profileId, reclamationId },
      (wanted) => (key && key.kid === wanted ? key : null),
      Math.floor(this.clock.now().getTime() / 1000),
    );
  }
}

/** How long a retired key must keep verifying: the longest a link it signed can live. */
export const keepLinkKeyRetentionMs = (config: Config): number =>
  (MAX_GRACE_DAYS + config.keepLinkMarginDays + 1) * DAY_MS;
