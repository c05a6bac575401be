// Sandboxes started ahead of time (the warm pool), and the unprivileged uids they run as.
// Each sandbox is used once and thrown away; the pool refills itself in the background.
import type { SandboxProcess } from "./process.js";

/** A fixed set of uids, one per live sandbox, so no two sandboxes ever share a uid. */
export class UidLeases {
  private readonly free: number[];
  private readonly waiters: ((uid: number) => void)[] = [];

  constructor(base: number, count: number) {
    this.free = Array.from({ length: count }, (_, i) => base + i);
  }

  acquire(): Promise<number> {
    const uid = this.free.shift();
    if (uid !== undefined) return Promise.resolve(uid);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(uid: number): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(uid);
    else this.free.push(uid);
  }
}

export class WarmPool {
  private readonly idle: SandboxProcess[] = [];
  private starting = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly start: () => Promise<SandboxProcess>,
    private readonly discard: (p: SandboxProcess) => void,
  ) {}

  /**
   * A warm sandbox, or null when none is ready. Does not refill: the caller calls fill() after its run,
   * so starting the next sandbox does not compete for the CPU with the run it is waiting for.
   */
  take(): SandboxProcess | null {
    while (this.idle.length > 0) {
      const p = this.idle.shift() as SandboxProcess;
      if (p.alive) return p;
      this.discard(p);
    }
    return null;
  }

  /** Starts sandboxes until `size` are idle or starting. */
  fill(): void {
    while (!this.closed && this.idle.length + this.starting < this.size) {
      this.starting++;
      this.start()
        .then(async (p) => {
          const ok = await p.ready;
          this.starting--;
          if (ok && !this.closed) this.idle.push(p);
          else this.discard(p);
          // A sandbox that fails to start is not retried in a loop: the next take() tries again.
        })
        .catch(() => {
          this.starting--;
        });
    }
  }

  get idleCount(): number {
    return this.idle.length;
  }

  close(): SandboxProcess[] {
    this.closed = true;
    return this.idle.splice(0);
  }
}
