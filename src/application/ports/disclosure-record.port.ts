/**
 * Where a read that shows controlled data in full (ID numbers, 000:15) is recorded before it is
 * answered: the read side asks this port, never the command machinery itself.
 */
import type { Principal } from '../../domain/access/access-policy';

export interface DisclosureRecord {
  /** Records that the principal is shown full ID numbers; refused (and nothing shown) unless they may. */
  idNumbersShown(principal: Principal, purpose: string, rows: number): Promise<void>;
}
