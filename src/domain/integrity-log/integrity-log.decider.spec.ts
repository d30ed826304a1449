import { DeciderSpecification } from '../../../test/support/decider-specification';
import { COSIGNABLE_CHECKPOINTS, type IntegrityLogEvent, integrityLogDecider } from './integrity-log.decider';

const spec = DeciderSpecification.for(integrityLogDecider);
const origin = 'gov-collab/qingpu';
const signed = (size: number, rootHash: string): IntegrityLogEvent => ({
  type: 'CheckpointSigned',
  data: { origin, size, rootHash, note: `${origin}\n${size}\n${rootHash}\n\n— sig\n` },
});
const sign = (size: number, rootHash: string, extendsHead: { size: number; rootHash: string } | null) => ({
  type: 'SignCheckpoint' as const,
  data: { origin, size, rootHash, note: `${origin}\n${size}\n${rootHash}\n\n— sig\n`, extends: extendsHead },
});
const cosign = (size: number, rootHash: string, witness = 'city-platform') => ({
  type: 'CosignCheckpoint' as const,
  data: { origin, size, rootHash, witness, signature: '— city-platform AAAA' },
});

describe('IntegrityLog decider (signed checkpoints, issue 22)', () => {
  it('signs the first checkpoint, then one that extends the latest', () => {
    spec
      .given([])
      .when(sign(5, 'aa', null))
      .then([signed(5, 'aa')]);
    spec
      .given([signed(5, 'aa')])
      .when(sign(9, 'bb', { size: 5, rootHash: 'aa' }))
      .then([signed(9, 'bb')]);
  });

  it('signing the latest head again changes nothing', () => {
    spec
      .given([signed(5, 'aa')])
      .when(sign(5, 'aa', { size: 5, rootHash: 'aa' }))
      .thenNothingHappens();
  });

  it('refuses an older or equal size with another root, and a checkpoint proved against another head', () => {
    spec
      .given([signed(5, 'aa')])
      .when(sign(4, 'cc', null))
      .thenFails('CHECKPOINT_NOT_NEWER');
    spec
      .given([signed(5, 'aa')])
      .when(sign(5, 'cc', { size: 5, rootHash: 'aa' }))
      .thenFails('CHECKPOINT_NOT_NEWER');
    spec
      .given([signed(5, 'aa')])
      .when(sign(9, 'bb', { size: 5, rootHash: 'zz' }))
      .thenFails('CHECKPOINT_FORK');
    spec
      .given([signed(5, 'aa')])
      .when(sign(9, 'bb', null))
      .thenFails('CHECKPOINT_FORK');
  });

  it('records a witness cosignature of a recent checkpoint once', () => {
    const cosigned: IntegrityLogEvent = { type: 'CheckpointCosigned', data: cosign(5, 'aa').data };
    spec
      .given([signed(5, 'aa'), signed(9, 'bb')])
      .when(cosign(5, 'aa'))
      .then([cosigned]);
    spec
      .given([signed(5, 'aa'), cosigned])
      .when(cosign(5, 'aa'))
      .thenNothingHappens();
    spec
      .given([signed(5, 'aa'), cosigned])
      .when(cosign(5, 'aa', 'province-platform'))
      .then([{ type: 'CheckpointCosigned', data: cosign(5, 'aa', 'province-platform').data }]);
  });

  it('refuses a cosignature of an unknown size, of another root, or of a checkpoint no longer recent', () => {
    spec
      .given([signed(5, 'aa')])
      .when(cosign(6, 'aa'))
      .thenFails('CHECKPOINT_UNKNOWN');
    spec
      .given([signed(5, 'aa')])
      .when(cosign(5, 'bb'))
      .thenFails('CHECKPOINT_UNKNOWN');
    const many = Array.from({ length: COSIGNABLE_CHECKPOINTS + 1 }, (_, i) => signed(i + 1, `h${i + 1}`));
    spec.given(many).when(cosign(1, 'h1')).thenFails('CHECKPOINT_UNKNOWN');
    spec
      .given(many)
      .when(cosign(2, 'h2'))
      .then([{ type: 'CheckpointCosigned', data: cosign(2, 'h2').data }]);
  });
});
