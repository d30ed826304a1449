import { InvalidPositionError } from './event-store.errors';

/**
 * A global position in the store: an opaque token, totally ordered by plain string comparison and
 * safe to serialise (an HTTP Last-Event-ID, a checkpoint column). It encodes EventStoreDB's
 * (commit, prepare) pair as two fixed-width hex numbers; the SQLite store uses its sequence for both.
 */
export type Position = string & { readonly __brand: 'Position' };

const WIDTH = 16;
const MAX = (1n << 64n) - 1n;
const TOKEN = /^[0-9a-f]{16}-[0-9a-f]{16}$/;

export function positionOf(commit: bigint, prepare: bigint): Position {
  if (commit < 0n || prepare < 0n || commit > MAX || prepare > MAX) {
    throw new InvalidPositionError(`${commit}/${prepare}`);
  }
  return `${commit.toString(16).padStart(WIDTH, '0')}-${prepare.toString(16).padStart(WIDTH, '0')}` as Position;
}

/** Fast path for the SQLite store, whose sequence is a safe integer. */
export function positionOfSequence(sequence: number): Position {
  const hex = sequence.toString(16).padStart(WIDTH, '0');
  return `${hex}-${hex}` as Position;
}

export function positionParts(position: Position): { commit: bigint; prepare: bigint } {
  return { commit: BigInt(`0x${position.slice(0, WIDTH)}`), prepare: BigInt(`0x${position.slice(WIDTH + 1)}`) };
}

export function sequenceOfPosition(position: Position): number {
  return Number.parseInt(position.slice(0, WIDTH), 16);
}

/** Validates a token received from outside (a client, a checkpoint file). */
export function parsePosition(token: string): Position {
  if (typeof token !== 'string' || !TOKEN.test(token)) throw new InvalidPositionError(String(token));
  return token as Position;
}

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
