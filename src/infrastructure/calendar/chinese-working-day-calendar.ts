import { isWorkday } from 'chinese-days';
import type { WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const MAX_REMEMBERED_SPANS = 10_000;

/**
 * The State Council holiday schedule as published in the `chinese-days` package. Answers are
 * remembered: a bulk import asks the same (effective date, recording date) pair thousands of times.
 */
export class ChineseWorkingDayCalendar implements WorkingDayCalendar {
  private readonly days = new Map<string, boolean>();
  private readonly spans = new Map<string, number>();

  isWorkingDay(date: string): boolean {
    assertDate(date);
    return this.workday(date);
  }

  private workday(date: string): boolean {
    let answer = this.days.get(date);
    if (answer === undefined) {
      answer = isWorkday(date);
      this.days.set(date, answer);
    }
    return answer;
  }

  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    const key = `${from}|${to}`;
    const known = this.spans.get(key);
    if (known !== undefined) return known;
    let count = 0;
    // Calendar arithmetic on UTC midnights: no time-zone or DST drift between dates.
    for (
      let day = Date.parse(`${from}T00:00:00Z`) + DAY_MS, end = Date.parse(`${to}T00:00:00Z`);
      day <= end;
      day += DAY_MS
    ) {
      if (this.workday(new Date(day).toISOString().slice(0, 10))) count++;
    }
    if (this.spans.size >= MAX_REMEMBERED_SPANS) this.spans.clear();
    this.spans.set(key, count);
    return count;
  }
}

function assertDate(date: string): void {
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new RangeError(`not a calendar date: ${date}`);
}
