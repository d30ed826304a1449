import { assertHrNotice, HR_CHANGES } from './hr-notice';

describe('HR changes require the HR notice (issue 19, fix 4)', () => {
  it.each([...HR_CHANGES])(
    'given no effective date and no 文号, when %s, then HR_NOTICE_REQUIRED names both',
    (type) => {
      expect(() => assertHrNotice(type, {})).toThrow(expect.objectContaining({ code: 'HR_NOTICE_REQUIRED' }));
    },
  );

  it('given an effective date only, when a transfer, then the 文号 is named missing', () => {
    expect(() => assertHrNotice('TransferPerson', { effectiveAt: '2025-03-03', sourceRef: '  ' })).toThrow(
      expect.objectContaining({ details: { change: 'TransferPerson', missing: ['sourceRef'] } }),
    );
  });

  it('given both, when a departure, then it passes', () => {
    expect(() =>
      assertHrNotice('RecordDeparture', { effectiveAt: '2025-03-03', sourceRef: '青人调〔2025〕1号' }),
    ).not.toThrow();
  });

  it('given neither, when a change that is not an HR change (profile, class, contact mode), then it passes', () => {
    for (const type of ['UpdatePersonProfile', 'SetDirectoryClass', 'SetContactMode'] as const)
      expect(() => assertHrNotice(type, {})).not.toThrow();
  });
});
