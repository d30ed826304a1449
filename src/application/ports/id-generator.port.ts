export interface IdGenerator {
  /** A new UUID (event ids, correlation ids, aggregate ids). */
  next(): string;
}
export const ID_GENERATOR = Symbol('IdGenerator');
