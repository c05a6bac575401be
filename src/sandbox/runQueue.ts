// Who runs next: a global cap on runs at once, one run in flight per owner, a bounded FIFO queue.
// Waiting callers are told their position whenever it changes (0 = running now).

interface Waiting {
  owner: string | undefined;
  onQueue: ((position: number) => void) | undefined;
  lastPosition: number | undefined;
  start: () => void;
}

export class QueueFullError extends Error {
  override name = "QueueFullError";
  /** "owner": this owner already has its share waiting; "global": the whole queue is full. */
  constructor(
    message: string,
    readonly scope: "owner" | "global" = "global",
  ) {
    super(message);
  }
}

export class RunScheduler {
  private running = 0;
  private readonly busyOwners = new Set<string>();
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueMax: number,
    /** Runs one owner may have waiting, so one member cannot fill the queue for everyone. */
    private readonly perOwnerMax = 3,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running;
  }

  /** Runs `task` when its turn comes. Throws QueueFullError at once when the queue is full. */
  async schedule<T>(
    owner: string | undefined,
    onQueue: ((position: number) => void) | undefined,
    task: () => Promise<T>,
  ): Promise<T> {
    await this.turn(owner, onQueue);
    try {
      return await task();
    } finally {
      this.running--;
      if (owner !== undefined) this.busyOwners.delete(owner);
      this.pump();
    }
  }

  private turn(owner: string | undefined, onQueue: ((position: number) => void) | undefined): Promise<void> {
    if (this.canStart(owner) && this.waiting.length === 0) {
      this.claim(owner);
      notify(onQueue, 0);
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueMax) {
      return Promise.reject(new QueueFullError(`${this.waiting.length} runs are already waiting`));
    }
    if (owner !== undefined && this.waiting.filter((w) => w.owner === owner).length >= this.perOwnerMax) {
      return Promise.reject(
        new QueueFullError(`${this.perOwnerMax} runs of this owner are waiting`, "owner"),
      );
    }
    return new Promise((resolve) => {
      this.waiting.push({ owner, onQueue, lastPosition: undefined, start: resolve });
      this.pump();
    });
  }

  private canStart(owner: string | undefined): boolean {
    return this.running < this.concurrency && (owner === undefined || !this.busyOwners.has(owner));
  }

  private claim(owner: string | undefined): void {
    this.running++;
    if (owner !== undefined) this.busyOwners.add(owner);
  }

  /** Starts every waiting run that may start now (skipping owners already running), then tells positions. */
  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.concurrency; ) {
      const w = this.waiting[i] as Waiting;
      if (this.canStart(w.owner)) {
        this.waiting.splice(i, 1);
        this.claim(w.owner);
        notify(w.onQueue, 0);
        w.start();
      } else {
        i++;
      }
    }
    this.waiting.forEach((w, i) => {
      if (w.lastPosition !== i + 1) {
        w.lastPosition = i + 1;
        notify(w.onQueue, i + 1);
      }
    });
  }
}

function notify(onQueue: ((position: number) => void) | undefined, position: number): void {
  try {
    onQueue?.(position);
  } catch {
    // a front end's callback failing must not stall the queue
  }
}
