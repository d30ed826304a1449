import { ReadModelNotReady, type ReadModels } from '../../application/projections/read-models';
import type { Doc, Filter } from '../../application/ports/read-store.port';
import { POST_HISTORY } from '../post-history/post-history.projection';
import { AUDIT_TRAIL } from './audit-trail.projection';
import { AuditQueries } from './audit-trail.queries';

/** Read models answering from fixed documents; the post history, unless `built`, as never built. */
function models(built: boolean): ReadModels {
  const placements: Doc[] = [
    { id: 'edu|p1', orgNodeId: 'edu', personId: 'p1' },
    { id: 'edu|p2', orgNodeId: 'edu', personId: 'p2' },
    { id: 'fin|p3', orgNodeId: 'fin', personId: 'p3' },
  ];
  const entries: Doc[] = [
    { id: 'e1:p1', entityKey: 'Person:p1', places: ['edu', 'root'], position: '1' },
    { id: 'e2:p2', entityKey: 'Person:p2', places: ['edu', 'root'], position: '2' },
  ];
  const among = (values: unknown, filter: Filter, field: string) =>
    ((filter[field] as { $in: string[] }).$in as unknown[]).some((v) =>
      Array.isArray(values) ? values.includes(v) : values === v,
    );
  return {
    find: async (projection: string, _collection: string, filter: Filter) => {
      if (projection === POST_HISTORY) {
        if (!built) throw new ReadModelNotReady(POST_HISTORY);
        return placements.filter((doc) => among(doc.orgNodeId, filter, 'orgNodeId'));
      }
      expect(projection).toBe(AUDIT_TRAIL);
      return entries.filter((doc) => among(doc.places, filter, 'places'));
    },
  } as unknown as ReadModels;
}

describe('AuditQueries.personsPlacedIn', () => {
  it('given the post history, when asked for a node, answers the people ever posted there', async () => {
    expect((await new AuditQueries(models(true)).personsPlacedIn(['edu']))?.sort()).toEqual(['p1', 'p2']);
  });

  it('given the post history not yet built, answers the same people from the audit trail', async () => {
    expect((await new AuditQueries(models(false)).personsPlacedIn(['edu']))?.sort()).toEqual(['p1', 'p2']);
  });

  it('given more people than the limit, answers null (the part is asked for as the whole)', async () => {
    expect(await new AuditQueries(models(true)).personsPlacedIn(['edu', 'fin'], 2)).toBeNull();
  });
});
