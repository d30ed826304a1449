/**
 * This process's name as a lease holder (issue 25): host, process and a random part, so that no
 * other process, even one given the same pid after a restart, is ever taken for it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const INSTANCE_NAME = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
