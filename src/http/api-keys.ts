import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../config/config';

/** Bearer API keys from SAM_API_KEYS, compared in constant time against every key. */
export class ApiKeys {
  private readonly digests: readonly { digest: Buffer; key: ApiKey }[];

  constructor(keys: readonly ApiKey[]) {
    this.digests = keys.map((key) => ({ digest: sha256(key.key), key }));
  }

  /** The bearer token of an Authorization header, or null when there is none. */
  static presented(header: string | undefined): string | null {
    return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
  }

  match(header: string | undefined): ApiKey | null {
    const presented = ApiKeys.presented(header);
    if (!presented) return null;
    const digest = sha256(presented);
    let found: ApiKey | null = null;
    // No early exit: the time taken does not depend on which key (if any) matched.
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate.digest, digest)) found = candidate.key;
    }
    return found;
  }
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();
