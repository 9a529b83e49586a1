import { ThrottlerStorageService } from '@nestjs/throttler';

export interface FailedAuthLimits {
  /** Failed keys one client address may present within the window before it is blocked. */
  readonly limit: number;
  /** The counting window, and how long a block lasts. */
  readonly windowMs: number;
}

const THROTTLER = 'failed-auth';

/**
 * Counts the wrong API keys each client address presents (@nestjs/throttler's storage, a
 * sliding window per address). Requests with a valid key are never counted. Once an address
 * has presented more than `limit` wrong keys within the window it is blocked for the window:
 * every key it presents meanwhile is answered 429 without being looked at, or a guesser
 * would learn from the one answer that is not a 429 that it had found a key.
 */
export class FailedAuthThrottle {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly limits: FailedAuthLimits) {}

  /** Seconds until the address may present keys again; 0 when it is not blocked. */
  blockedFor(address: string): number {
    const record = this.storage.storage.get(keyOf(address));
    if (!record?.isBlocked) return 0;
    return Math.max(0, Math.ceil((record.blockExpiresAt - Date.now()) / 1000));
  }

  /** Counts one wrong key; returns the seconds the address is now blocked for (0 if it is not). */
  async recordFailure(address: string): Promise<number> {
    const { windowMs, limit } = this.limits;
    const record = await this.storage.increment(keyOf(address), windowMs, limit, windowMs, THROTTLER);
    return record.isBlocked ? Math.max(1, record.timeToBlockExpire) : 0;
  }

  close(): void {
    this.storage.onApplicationShutdown();
  }
}

const keyOf = (address: string) => `${THROTTLER}:${address}`;
