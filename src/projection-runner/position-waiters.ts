/** Callers waiting until the read models have applied a position (read-your-writes). */
export class PositionWaiters {
  private waiters: { position: bigint; resolve: () => void }[] = [];

  /** Resolves true once `reached` says the position is applied, false after `timeoutMs`. */
  wait(position: bigint, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Releases everyone waiting for a position at or below `applied`. */
  reached(applied: bigint): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => applied >= w.position);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    ready.forEach((w) => w.resolve());
  }

  /** Releases everyone (the runner stopped: nothing more will be applied). */
  releaseAll(): void {
    this.waiters.splice(0).forEach((w) => w.resolve());
  }
}
