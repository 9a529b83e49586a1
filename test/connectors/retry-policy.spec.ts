import { backoffMs, DEFAULT_RETRY, parseRetryAfterMs, retryWait } from '../../src/connectors/retry-policy';

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('10', now)).toBe(10_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
  });

  it('honours a server-sent wait up to 300 s (Dataverse service protection), capped at maxRetryAfterMs', () => {
    expect(retryWait('300', 1, DEFAULT_RETRY)).toEqual({ waitMs: 300_000, source: 'retry-after' });
    expect(retryWait('3600', 1, DEFAULT_RETRY)).toEqual({ waitMs: 300_000, source: 'retry-after' });
    expect(retryWait('5', 1, { ...DEFAULT_RETRY, maxRetryAfterMs: 50 })).toEqual({ waitMs: 50, source: 'retry-after' });
  });

  it('backs off exponentially with full jitter, bounded by maxBackoffMs', () => {
    const options = { ...DEFAULT_RETRY, baseBackoffMs: 100, maxBackoffMs: 1_000 };
    expect(backoffMs(1, options, () => 0.999)).toBe(99);
    expect(backoffMs(3, options, () => 0.999)).toBe(399);
    expect(backoffMs(10, options, () => 0.999)).toBe(999);
    expect(backoffMs(4, options, () => 0)).toBe(0);
    expect(retryWait(null, 2, options).source).toBe('backoff');
  });
});
