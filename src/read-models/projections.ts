/** Every read model the service keeps, in the order they are built. */
import type { AnyProjection } from '../application/projections/projection';
import { assessmentProjection } from './assessment/assessment.projection';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { inventoryProjection } from './inventory/inventory.projection';
import { integrityLogProjection } from './integrity-log/integrity-log.projection';
import { directoryProjection } from './directory/directory.projection';
import { orgTreeProjection } from './org-tree/org-tree.projection';
import { postHistoryProjection } from './post-history/post-history.projection';
import { requestsProjection } from './requests/requests.projection';

export interface ReadModelSettings {
  /** The jurisdiction's time zone: the assessment counts days and months in it. */
  readonly timeZone: string;
}

export function readModelProjections(settings: ReadModelSettings): readonly AnyProjection[] {
  return [
    orgTreeProjection,
    directoryProjection,
    auditTrailProjection,
    assessmentProjection(settings),
    requestsProjection,
    inventoryProjection,
    integrityLogProjection,
    postHistoryProjection,
  ];
}
