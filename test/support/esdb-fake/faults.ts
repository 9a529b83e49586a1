/**
 * Faults the EventStoreDB test server injects, each shaped as the real server or network
 * produces it (see wire.ts for the status codes and trailers):
 * - `unavailable`: the call ends with UNAVAILABLE, as when a node is down or restarting;
 * - `not-leader`: NOT_FOUND with `exception: not-leader` and the leader's host and port in
 *   the trailers, answered (as the server does) only to calls that require the leader;
 * - `deadline`: the server's own write timeout (ABORTED "Operation timed out");
 * - `access-denied`, `bad-request`: permanent errors;
 * - `hang`: the call is accepted and never answered;
 * - dropped subscriptions and a batch that fails after k of its n streams;
 * - an AppendSession that commits and then loses its answer (UNAVAILABLE).
 * AppendSession (`append-session`) answers each in KurrentDB's v2 error shape (append-session.ts).
 */
export type ErrorFault = 'unavailable' | 'deadline' | 'access-denied' | 'bad-request';
export type FaultKind = ErrorFault | 'not-leader' | 'hang';

/**
 * The calls faults attach to. `subscribe` is a Read with the subscription option; `delete` is
 * Tombstone; `append-session` is the v2 multi-stream append.
 */
export type FaultTarget = 'features' | 'read' | 'subscribe' | 'append' | 'append-session' | 'delete' | '*';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

interface Armed {
  readonly target: FaultTarget;
  readonly kind: FaultKind;
  remaining: number;
  readonly leader?: Endpoint;
}

export type CallFault =
  | { readonly kind: 'hang' }
  | { readonly kind: ErrorFault }
  | { readonly kind: 'not-leader'; readonly leader: Endpoint };

export class EsdbFaults {
  private armed: Armed[] = [];
  private partial: { appendsLeft: number } | null = null;
  private lostSessionAnswers = 0;
  private readonly droppers = new Set<(kind: ErrorFault) => void>();

  /** The next `times` calls to `target` fail with `kind` (Infinity: until cleared). */
  failNext(target: FaultTarget, kind: ErrorFault, times = 1): void {
    this.armed.push({ target, kind, remaining: times });
  }

  /** The next `times` calls to `target` are accepted and never answered. */
  hangNext(target: FaultTarget, times = 1): void {
    this.armed.push({ target, kind: 'hang', remaining: times });
  }

  /** This node is a follower: calls that require the leader are told where it is. */
  notLeader(leader: Endpoint, times = Infinity): void {
    this.armed.push({ target: '*', kind: 'not-leader', remaining: times, leader });
  }

  /**
   * After `k` more stream appends succeed, every append fails as if the node died (the
   * connection's calls end with UNAVAILABLE) until `clear()`: a bulk write cut off midway. An
   * AppendSession is one write: cut, it leaves nothing.
   */
  partialBatch(k: number): void {
    this.partial = { appendsLeft: k };
  }

  /** The next `times` AppendSessions are committed, then answered UNAVAILABLE, as when the connection drops right after the commit. */
  loseSessionAnswers(times = 1): void {
    this.lostSessionAnswers += times;
  }

  /** Ends every open subscription now, as a node restart or a network cut does. */
  dropSubscriptions(kind: ErrorFault = 'unavailable'): void {
    for (const drop of [...this.droppers]) drop(kind);
  }

  clear(): void {
    this.armed = [];
    this.partial = null;
    this.lostSessionAnswers = 0;
  }

  /** @internal Consulted by the server at the start of each call. */
  take(target: Exclude<FaultTarget, '*'>, requiresLeader: boolean): CallFault | null {
    const index = this.armed.findIndex(
      (a) => (a.target === target || a.target === '*') && (a.kind !== 'not-leader' || requiresLeader),
    );
    if (index < 0) return null;
    const fault = this.armed[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(index, 1);
    if (fault.kind === 'not-leader') return { kind: 'not-leader', leader: fault.leader! };
    return fault.kind === 'hang' ? { kind: 'hang' } : { kind: fault.kind };
  }

  /** @internal Consulted before each stream append is written: true means "die now instead". */
  cutsAppend(): boolean {
    if (!this.partial) return false;
    if (this.partial.appendsLeft > 0) {
      this.partial.appendsLeft -= 1;
      return false;
    }
    return true;
  }

  /** @internal Consulted after an AppendSession is committed: true means "answer UNAVAILABLE instead". */
  losesSessionAnswer(): boolean {
    if (this.lostSessionAnswers === 0) return false;
    this.lostSessionAnswers -= 1;
    return true;
  }

  /** @internal Open subscriptions register how to end themselves. */
  onDrop(drop: (kind: ErrorFault) => void): () => void {
    this.droppers.add(drop);
    return () => this.droppers.delete(drop);
  }
}
