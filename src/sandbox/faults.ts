import type { RouteFamily } from './http/route';
import { SandboxError } from './sandbox-error';

export const FAULT_KINDS = [
  'throttle',
  'unavailable',
  'slow',
  'expire-token',
  'malformed',
  'timeout',
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault to inject into matching requests: every given matcher must match (none given = every
 * request except the `/_sandbox` control API). The first `after` matches pass untouched, the next
 * `times` get the fault, later ones pass again.
 */
export interface FaultRuleInput {
  readonly family?: RouteFamily;
  /** Substring of the path and query, e.g. `/users/` or `assignLicense`. */
  readonly pathContains?: string;
  readonly method?: string;
  readonly kind: FaultKind;
  /** How many requests get the fault; default 1. */
  readonly times?: number;
  /** How many matching requests pass untouched first; default 0. */
  readonly after?: number;
  /** `Retry-After` for throttle (default 1) and unavailable (sent only when given). */
  readonly retryAfterSeconds?: number;
  /** Delay for slow (default 1000) and timeout (answer after it; omitted = never answer). */
  readonly delayMs?: number;
}

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  readonly times: number;
  readonly after: number;
  /** Requests that matched so far, including those let through. */
  matched: number;
  /** Requests the fault was applied to. */
  applied: number;
}

const FAMILIES: readonly RouteFamily[] = ['token', 'graph', 'dataverse', 'discovery'];

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...validated(input), id: `fault-${this.nextId++}`, matched: 0, applied: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): readonly FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule to apply to this request, if any; counts the request against every rule it matches. */
  take(family: RouteFamily, method: string, pathAndQuery: string): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    for (const rule of this.rules) {
      if (rule.family !== undefined && rule.family !== family) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.pathContains !== undefined && !pathAndQuery.includes(rule.pathContains)) continue;
      rule.matched++;
      if (chosen || rule.matched <= rule.after || rule.applied >= rule.times) continue;
      rule.applied++;
      chosen = rule;
    }
    return chosen;
  }
}

function validated(input: FaultRuleInput): Omit<FaultRule, 'id' | 'matched' | 'applied'> {
  if (!FAULT_KINDS.includes(input.kind))
    throw new SandboxError('invalid', `kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (input.family !== undefined && !FAMILIES.includes(input.family))
    throw new SandboxError('invalid', `family must be one of ${FAMILIES.join(', ')}`);
  const times = input.times ?? 1;
  const after = input.after ?? 0;
  if (!Number.isInteger(times) || times < 1) throw new SandboxError('invalid', 'times must be an integer >= 1');
  if (!Number.isInteger(after) || after < 0) throw new SandboxError('invalid', 'after must be an integer >= 0');
  for (const key of ['retryAfterSeconds', 'delayMs'] as const) {
    const value = input[key];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || !Number.isFinite(value)))
      throw new SandboxError('invalid', `${key} must be a number >= 0`);
  }
  return {
    kind: input.kind,
    times,
    after,
    ...(input.family !== undefined ? { family: input.family } : {}),
    ...(input.pathContains !== undefined ? { pathContains: String(input.pathContains) } : {}),
    ...(input.method !== undefined ? { method: String(input.method) } : {}),
    ...(input.retryAfterSeconds !== undefined ? { retryAfterSeconds: input.retryAfterSeconds } : {}),
    ...(input.delayMs !== undefined ? { delayMs: input.delayMs } : {}),
  };
}
