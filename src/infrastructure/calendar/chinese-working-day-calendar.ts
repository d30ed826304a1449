import { isWorkday } from 'chinese-days';
import type { WorkingDayCalendar } from '../../application/ports/working-day-calendar';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The State Council holiday schedule as published in the `chinese-days` package. */
export class ChineseWorkingDayCalendar implements WorkingDayCalendar {
  isWorkingDay(date: string): boolean {
    assertDate(date);
    return isWorkday(date);
  }

  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    let count = 0;
    // Calendar arithmetic on UTC midnights: no time-zone or DST drift between dates.
    for (let day = Date.parse(`${from}T00:00:00Z`) + DAY_MS, end = Date.parse(`${to}T00:00:00Z`); day <= end; day += DAY_MS) {
      if (isWorkday(new Date(day).toISOString().slice(0, 10))) count++;
    }
    return count;
  }
}

function assertDate(date: string): void {
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new RangeError(`not a calendar date: ${date}`);
}
