import type { GraphQLError } from 'graphql';

/**
 * A subscriber's standing with a `@fanOut` guard. Checked when it subscribes; then an
 * event is delivered only if the last check is younger than `freshMs`. Checks run again
 * in the background once half that has passed, so a stream with events flowing never
 * waits for one; an idle stream costs nothing and its next event waits for a check.
 */
export class GuardCheck {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private running: Promise<GraphQLError[] | undefined> | undefined;
  private refusal: GraphQLError[] | undefined;

  constructor(
    /** Undefined when the subscriber may go on; the errors that end its stream otherwise. */
    private readonly run: () => Promise<GraphQLError[] | undefined>,
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined while the subscriber may have the next event; why not, otherwise (for good). */
  check(): Promise<GraphQLError[] | undefined> {
    if (this.refusal) return Promise.resolve(this.refusal);
    const age = this.now() - this.checkedAt;
    if (age >= this.freshMs) return this.recheck();
    // A failure here shows at the check that has to wait.
    if (age >= this.freshMs / 2) this.recheck().catch(() => undefined);
    return Promise.resolve(undefined);
  }

  private recheck(): Promise<GraphQLError[] | undefined> {
    this.running ??= (async () => {
      const startedAt = this.now();
      try {
        const refusal = await this.run();
        if (refusal) this.refusal = refusal;
        else this.checkedAt = startedAt;
        return refusal;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
