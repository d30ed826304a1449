import { InvalidPeriodError, parsePeriod, startOfDay } from './period';
import { versionAt, withVersion } from './versions';
import { scoreOf } from './assessment.report';
import { DEFAULT_WEIGHTS } from './assessment.evaluation';

describe('assessment periods', () => {
  it('reads a year, a quarter and a month, closing at local midnight', () => {
    expect(parsePeriod('2025', 'Asia/Shanghai')).toMatchObject({
      label: '2025年',
      firstDay: '2025-01-01',
      lastDay: '2025-12-31',
      start: '2024-12-31T16:00:00.000Z',
      end: '2025-12-31T16:00:00.000Z',
    });
    expect(parsePeriod('2025-Q1', 'Asia/Shanghai')).toMatchObject({
      label: '2025年第一季度',
      months: ['2025-01', '2025-02', '2025-03'],
      lastDay: '2025-03-31',
    });
    expect(parsePeriod('2024-02', 'Asia/Shanghai')).toMatchObject({
      label: '2024年2月',
      lastDay: '2024-02-29',
      end: '2024-02-29T16:00:00.000Z',
    });
    expect(parsePeriod('2025-06', 'Asia/Urumqi').end).toBe('2025-06-30T18:00:00.000Z');
    expect(startOfDay('2025-03-30', 'Europe/Berlin')).toBe('2025-03-29T23:00:00.000Z');
  });

  it.each(['25', '2025-13', '2025-Q5', '2025-1', '1999', 'year', ''])('refuses %p', (text) => {
    expect(() => parsePeriod(text, 'Asia/Shanghai')).toThrow(InvalidPeriodError);
  });
});

describe('versions by recorded time', () => {
  it('keeps a version only when the state changes, folds one instant into one version, and reads the one before a cutoff', () => {
    let versions = withVersion([], '2025-01-01T00:00:00.000Z', { status: 'A' });
    versions = withVersion(versions, '2025-02-01T00:00:00.000Z', { status: 'A' });
    expect(versions).toHaveLength(1);
    versions = withVersion(versions, '2025-03-01T00:00:00.000Z', { status: 'B' });
    versions = withVersion(versions, '2025-03-01T00:00:00.000Z', { status: 'C' });
    expect(versions.map((v) => v.status)).toEqual(['A', 'C']);
    expect(versionAt(versions, '2025-01-01T00:00:00.000Z')).toBeNull();
    expect(versionAt(versions, '2025-03-01T00:00:00.000Z')?.status).toBe('A');
    expect(versionAt(versions, '2025-03-01T00:00:00.001Z')?.status).toBe('C');
  });
});

describe('score', () => {
  it('weighs the components it has and gives the weight of a missing one to the others', () => {
    const all = { activation: 1, timeliness: 1, monthlyActive: 1, dailyActive: 1, groups: 1, accounts: 1, apps: 1 };
    expect(scoreOf(all, DEFAULT_WEIGHTS)).toBe(100);
    // Without groups and apps (weights 10 and 5 of 100): activation 0.5 of 30 → 15 of 85 lost → 82.35.
    expect(scoreOf({ ...all, activation: 0.5, groups: null, apps: null }, DEFAULT_WEIGHTS)).toBe(82.35);
  });
});
