/** Every read model the service keeps, in the order they are built. */
import type { Projection } from '../application/projections/projection';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { directoryProjection } from './directory/directory.projection';
import { orgTreeProjection } from './org-tree/org-tree.projection';

export const ALL_PROJECTIONS: readonly Projection[] = [orgTreeProjection, directoryProjection, auditTrailProjection];
