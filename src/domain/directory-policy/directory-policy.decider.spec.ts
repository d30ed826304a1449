import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  DEFAULT_MATRIX,
  directoryPolicyDecider,
  InvalidDirectoryMatrix,
  type Matrix,
} from './directory-policy.decider';

const spec = DeciderSpecification.for(directoryPolicyDecider);
const restricted: Matrix = { ...DEFAULT_MATRIX, Q4: { Q1: 'NONE', Q2: 'SEARCH_ADD', Q3: 'DIRECT', Q4: 'DIRECT' } };

describe('Directory policy decider (001b:10)', () => {
  it('starts with everyone DIRECT and records a changed matrix with the previous one', () => {
    expect(directoryPolicyDecider.initialState().matrix.Q3.Q1).toBe('DIRECT');
    spec
      .given([])
      .when({ type: 'SetDirectoryMatrix', data: { matrix: restricted } })
      .then([{ type: 'DirectoryMatrixChanged', data: { from: DEFAULT_MATRIX, to: restricted } }]);
    spec
      .given([{ type: 'DirectoryMatrixChanged', data: { from: DEFAULT_MATRIX, to: restricted } }])
      .when({ type: 'SetDirectoryMatrix', data: { matrix: restricted } })
      .thenNothingHappens();
  });

  it('refuses a matrix with a missing row or an unknown mode', () => {
    const { Q4: _dropped, ...missing } = restricted;
    spec
      .given([])
      .when({ type: 'SetDirectoryMatrix', data: { matrix: missing as Matrix } })
      .thenThrows(InvalidDirectoryMatrix);
    spec
      .given([])
      .when({
        type: 'SetDirectoryMatrix',
        data: { matrix: { ...restricted, Q1: { ...restricted.Q1, Q2: 'MAYBE' } } as unknown as Matrix },
      })
      .thenThrows(InvalidDirectoryMatrix);
  });
});
