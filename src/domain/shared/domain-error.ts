/**
 * A broken business rule. `code` is stable (clients and tests match on it); `message` is written
 * for a government administrator and names the offending value; `details` carries the values.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** 'conflict' (409): the request clashes with current state; 'unprocessable' (422): it can never succeed as sent. */
  abstract readonly kind: 'conflict' | 'unprocessable';
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
