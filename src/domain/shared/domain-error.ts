/**
 * A broken business rule. `code` is stable (clients and tests match on it); `message` is written
 * for a government administrator and names the offending value; `details` carries the values.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /**
   * 'conflict' (409): the request clashes with current state; 'unprocessable' (422): it can never
   * succeed as sent; 'forbidden' (403): the actor may not do this.
   */
  abstract readonly kind: 'conflict' | 'unprocessable' | 'forbidden';
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A broken rule named by its code, for aggregates whose rules are many and alike (accounts, work
 * groups, app registrations): one class, the code tells them apart.
 */
export class RuleViolation extends DomainError {
  constructor(
    readonly code: string,
    readonly kind: 'conflict' | 'unprocessable' | 'forbidden',
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, details);
  }
}
