/** The launcher's own progress lines, to stderr so stdout stays for the services. */
export const say = (message: string): void => {
  process.stderr.write(`[stack] ${message}\n`);
};

/** A start-up problem the user can fix; printed as one line, no stack trace. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}
