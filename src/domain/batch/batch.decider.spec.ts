import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type BatchEvent, batchDecider } from './batch.decider';

const spec = DeciderSpecification.for(batchDecider);
const rows = [
  { line: 2, target: 'p1', fields: { toOrgNodeId: 'edu' } },
  { line: 3, target: 'p2', fields: { toOrgNodeId: 'edu' } },
];
const refused = [{ line: 4, target: 'p9', code: 'PERSON_NOT_FOUND', reason: '人员 p9 不存在' }];
const planned: BatchEvent = { type: 'BatchPlanned', data: { batchId: 'b1', operation: 'TRANSFER', rows, refused } };
const plan = { type: 'PlanBatch' as const, data: { batchId: 'b1', operation: 'TRANSFER' as const, rows, refused } };
const done = (line: number): BatchEvent => ({
  type: 'BatchRowCarriedOut',
  data: { batchId: 'b1', line, outcome: 'DONE' },
});

describe('Batch decider (batch operations, issue 23)', () => {
  it('plans a batch once: the same batch asked again changes nothing', () => {
    spec.given([]).when(plan).then([planned]);
    spec.given([planned]).when(plan).thenNothingHappens();
  });

  it('refuses an empty batch and an unknown operation', () => {
    spec
      .given([])
      .when({ type: 'PlanBatch', data: { batchId: 'b1', operation: 'TRANSFER', rows: [], refused: [] } })
      .thenFails('BATCH_EMPTY');
    spec
      .given([])
      .when({ type: 'PlanBatch', data: { ...plan.data, operation: 'PROMOTE' as never } })
      .thenFails('BATCH_OPERATION_UNKNOWN');
  });

  it('records each row’s outcome once, keeps the first, and refuses lines not in the plan', () => {
    const record = (outcomes: Array<{ line: number; outcome: 'DONE' }>) => ({
      type: 'RecordBatchOutcomes' as const,
      data: { batchId: 'b1', outcomes },
    });
    spec
      .given([planned])
      .when(record([{ line: 2, outcome: 'DONE' }]))
      .then([done(2)]);
    spec
      .given([planned, done(2)])
      .when(
        record([
          { line: 2, outcome: 'DONE' },
          { line: 3, outcome: 'DONE' },
        ]),
      )
      .then([done(3)]);
    spec
      .given([planned])
      .when(record([{ line: 4, outcome: 'DONE' }]))
      .thenFails('BATCH_ROW_UNKNOWN');
    spec
      .given([planned])
      .when({
        type: 'RecordBatchOutcomes',
        data: {
          batchId: 'b1',
          outcomes: [{ line: 3, target: 'p2', outcome: 'REFUSED', code: 'PERSON_LEFT', reason: '已离岗' }],
        },
      })
      .then([
        {
          type: 'BatchRowRefused',
          data: { batchId: 'b1', line: 3, target: 'p2', code: 'PERSON_LEFT', reason: '已离岗' },
        },
      ]);
  });

  it('completes only when every row has an outcome, counting the refused ones of the plan too', () => {
    const complete = { type: 'CompleteBatch' as const, data: { batchId: 'b1' } };
    spec
      .given([planned, done(2)])
      .when(complete)
      .thenFails('BATCH_NOT_FINISHED');
    spec
      .given([planned, done(2), done(3)])
      .when(complete)
      .then([{ type: 'BatchCompleted', data: { batchId: 'b1', done: 2, unchanged: 0, refused: 1 } }]);
    spec.given([]).when(complete).thenFails('BATCH_NOT_FOUND');
  });
});
