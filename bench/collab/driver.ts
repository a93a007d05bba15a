// The load both paths get: W writers at fixed concurrency, each write counted as done when
// every subscriber has observed it. Paths differ only in how a write is sent and how a
// subscriber recognises it (`CollabPath`).
import { performance } from 'node:perf_hooks';

/** One way of relaying a flow's writes to its subscribers (the router, or bare y-websocket). */
export interface CollabPath {
  readonly name: string;
  readonly subscribers: number;
  /**
   * Sends write `seq` from writer `writer` (batch of ops on that writer's own nodes).
   * Resolves once the path accepted it (the router's acknowledgement; at once for Yjs,
   * which has none) and rejects if it was refused.
   */
  send(writer: number, seq: number): Promise<void>;
  /** Called by the path whenever a subscriber observes write `seq`. */
  onSeen: (seq: number) => void;
  dispose(): Promise<void>;
}

export interface PhaseOptions {
  writers: number;
  warmupMs: number;
  measureMs: number;
  /** A write not seen by every subscriber within this long counts as lost. */
  deliveryTimeoutMs: number;
  /**
   * Paced: each writer sends at most `writesPerSecond / writers` writes a second (sooner
   * than its schedule never, later when its previous write is still in flight).
   * @default unpaced: as fast as the closed loop allows
   */
  writesPerSecond?: number;
}

export interface PhaseResult {
  /** Writes sent during the measured window and seen by every subscriber. */
  writes: number;
  /** Send → last subscriber, ms, one per write in `writes`. */
  latencies: number[];
  /** Send → acknowledgement, ms (only meaningful where the path acknowledges). */
  acks: number[];
  /** Writes refused, failed or not delivered in time (warm-up included). */
  failures: number;
  seconds: number;
}

interface Pending {
  remaining: number;
  resolve: (at: number) => void;
}

/** Counts each write's sightings; resolves with the time (`performance.now()`) the last subscriber had it. */
export class DeliveryTracker {
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly subscribers: number) {}

  expect(seq: number): Promise<number> {
    return new Promise((resolve) => this.pending.set(seq, { remaining: this.subscribers, resolve }));
  }

  seen = (seq: number): void => {
    const entry = this.pending.get(seq);
    if (!entry) return;
    entry.remaining -= 1;
    if (entry.remaining === 0) {
      this.pending.delete(seq);
      entry.resolve(performance.now());
    }
  };

  forget(seq: number): void {
    this.pending.delete(seq);
  }
}

const timeout = (ms: number): Promise<'timeout'> =>
  new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/** Sequence numbers shared by every phase, so a late event of one phase never counts in another. */
let nextSeq = 1;

/**
 * Sends probe writes until one reaches every subscriber: then every subscription is live
 * (events arrive in order, so a later write cannot overtake it).
 */
export async function waitUntilSubscribed(path: CollabPath, timeoutMs = 60_000): Promise<void> {
  const tracker = new DeliveryTracker(path.subscribers);
  path.onSeen = tracker.seen;
  const deadline = Date.now() + timeoutMs;
  let live = false;
  const probes: Promise<unknown>[] = [];
  while (!live && Date.now() < deadline) {
    const seq = nextSeq++;
    // A probe may arrive late (loaded machine): any probe seen by all will do.
    probes.push(tracker.expect(seq).then(() => void (live = true)));
    await path.send(0, seq);
    await Promise.race([...probes, timeout(1_000)]);
  }
  if (!live) throw new Error(`${path.name}: not every subscriber saw a write within ${timeoutMs / 1000} s`);
}

/**
 * Warm-up, then the measured window, without a pause in between. Each writer sends its
 * next write when its previous one has been acknowledged and observed by every
 * subscriber (closed loop, fixed concurrency), and, if paced, not before it is due.
 */
export async function runPhase(path: CollabPath, options: PhaseOptions): Promise<PhaseResult> {
  const tracker = new DeliveryTracker(path.subscribers);
  path.onSeen = tracker.seen;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureUntil = measureFrom + options.measureMs;
  const result: PhaseResult = { writes: 0, latencies: [], acks: [], failures: 0, seconds: options.measureMs / 1000 };

  const interval = options.writesPerSecond ? (1000 * options.writers) / options.writesPerSecond : 0;
  const writer = async (index: number): Promise<void> => {
    // Writers start spread over one interval, so paced writes do not come in bursts.
    let due = start + (interval * index) / options.writers;
    while (performance.now() < measureUntil) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // More than an interval late (the previous write took that long): no catching up in a burst.
      due = Math.max(due + interval, performance.now());
      const seq = nextSeq++;
      const delivered = tracker.expect(seq);
      const sentAt = performance.now();
      try {
        await path.send(index, seq);
      } catch (error) {
        tracker.forget(seq);
        result.failures += 1;
        process.stderr.write(`bench: ${path.name}: write failed: ${(error as Error).message}\n`);
        continue;
      }
      const ackedAt = performance.now();
      // The event may reach every subscriber before the acknowledgement reaches the writer.
      const seenAt = await Promise.race([delivered, timeout(options.deliveryTimeoutMs)]);
      if (seenAt === 'timeout') {
        tracker.forget(seq);
        result.failures += 1;
        continue;
      }
      if (sentAt >= measureFrom && sentAt < measureUntil) {
        result.writes += 1;
        result.latencies.push(seenAt - sentAt);
        result.acks.push(ackedAt - sentAt);
      }
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, index) => writer(index)));
  return result;
}

/** The value below which `p` of the sorted values fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}
