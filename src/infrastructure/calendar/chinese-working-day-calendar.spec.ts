import { localDate, timelinessOf } from '../../application/calendar/working-days';
import { ChineseWorkingDayCalendar } from './chinese-working-day-calendar';

const calendar = new ChineseWorkingDayCalendar();

describe('ChineseWorkingDayCalendar', () => {
  describe('2025 National Day and Mid-Autumn (10-01 … 10-08 off; Sunday 09-28 and Saturday 10-11 worked)', () => {
    it.each([
      ['2025-09-27', false], // Saturday
      ['2025-09-28', true], // Sunday, adjusted workday
      ['2025-10-01', false],
      ['2025-10-08', false],
      ['2025-10-09', true],
      ['2025-10-11', true], // Saturday, adjusted workday
      ['2025-10-12', false],
    ])('%s is a working day: %s', (date, expected) => {
      expect(calendar.isWorkingDay(date)).toBe(expected);
    });

    it('counts the adjusted Sunday and skips the holiday week', () => {
      // Effective Friday 09-26; recorded Monday 09-29: Sunday 09-28 and Monday 09-29 count.
      expect(calendar.workingDaysBetween('2025-09-26', '2025-09-29')).toBe(2);
      // Effective 09-30 (last day before the break); recorded 10-09: only 10-09 counts.
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
      // Effective during the holiday (10-03); recorded 10-13: 10-09, 10-10, 10-11, 10-13.
      expect(calendar.workingDaysBetween('2025-10-03', '2025-10-13')).toBe(4);
    });
  });

  describe('2026 Spring Festival (02-15 … 02-23 off; Saturdays 02-14 and 02-28 worked)', () => {
    it.each([
      ['2026-02-14', true],
      ['2026-02-15', false],
      ['2026-02-17', false], // New Year's day
      ['2026-02-23', false],
      ['2026-02-24', true],
      ['2026-02-28', true],
      ['2026-03-01', false],
    ])('%s is a working day: %s', (date, expected) => {
      expect(calendar.isWorkingDay(date)).toBe(expected);
    });

    it('spans the festival', () => {
      // Effective Friday 02-13; recorded Wednesday 02-25: 02-14, 02-24, 02-25.
      expect(calendar.workingDaysBetween('2026-02-13', '2026-02-25')).toBe(3);
      // Effective 02-20 (holiday); recorded Monday 03-02: 02-24 … 02-28 (five, the Saturday included) and 03-02.
      expect(calendar.workingDaysBetween('2026-02-20', '2026-03-02')).toBe(6);
    });
  });

  it('gives 0 for a change recorded on or before its effective date (future-dated)', () => {
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(calendar.workingDaysBetween('2025-03-10', '2025-03-03')).toBe(0);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => calendar.workingDaysBetween('2025-13-01', '2025-03-03')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('yesterday')).toThrow(RangeError);
  });
});

describe('the local date of an instant', () => {
  it.each([
    // Local midnight falls on a quarter hour of UTC in every zone, Kathmandu (+05:45) included.
    ['Asia/Kathmandu', '2025-10-09T18:14:59.999Z', '2025-10-09'],
    ['Asia/Kathmandu', '2025-10-09T18:15:00Z', '2025-10-10'],
    ['Asia/Kathmandu', '2025-10-09T18:29:00Z', '2025-10-10'],
    ['Asia/Shanghai', '2025-10-09T15:59:59Z', '2025-10-09'],
    ['Asia/Shanghai', '2025-10-09T16:00:00Z', '2025-10-10'],
    ['Asia/Shanghai', '2025-10-09T15:50:00Z', '2025-10-09'],
  ])('in %s, %s is %s (asked in turn, each answer from the same quarter hour as the last)', (zone, at, date) => {
    expect(localDate(new Date(at), zone)).toBe(date);
  });
});

describe('timeliness of a change', () => {
  it('uses the local date of the recording (Asia/Shanghai) and the configured deadline', () => {
    // 2025-10-09T17:30Z is already Friday 10-10 in Shanghai.
    expect(localDate(new Date('2025-10-09T17:30:00Z'), 'Asia/Shanghai')).toBe('2025-10-10');
    const recorded = new Date('2025-10-09T17:30:00Z');
    expect(timelinessOf(calendar, '2025-09-30', recorded, 'Asia/Shanghai', 3)).toEqual({
      lagWorkingDays: 2,
      deadlineWorkingDays: 3,
      onTime: true,
    });
    expect(timelinessOf(calendar, '2025-09-25', recorded, 'Asia/Shanghai', 3)).toEqual({
      lagWorkingDays: 6,
      deadlineWorkingDays: 3,
      onTime: false,
    });
    expect(timelinessOf(calendar, '2025-09-25', recorded, 'Asia/Shanghai', 7)).toEqual({
      lagWorkingDays: 6,
      deadlineWorkingDays: 7,
      onTime: true,
    });
  });
});
