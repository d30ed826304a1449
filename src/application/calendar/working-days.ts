/**
 * Calendar dates in the jurisdiction's time zone, and working-day arithmetic over the holiday
 * calendar (the WorkingDayCalendar port): deadlines, lags and due dates (000:9, 001a:10, 001a:14).
 */
import type { WorkingDayCalendar } from '../ports/working-day-calendar.port';

/** How late a change reached the platform, against the deadline of N working days (000:9, 001a:10). */
export interface Timeliness {
  readonly lagWorkingDays: number;
  readonly deadlineWorkingDays: number;
  readonly onTime: boolean;
}

/** The calendar date of an instant in a time zone, e.g. 2025-10-08T17:00:00Z in Asia/Shanghai is 2025-10-09. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Per time zone, the last quarter hour asked and its date: a command asks for "now" (issue 20). */
const lastQuarter = new Map<string, { quarter: number; date: string }>();
const QUARTER_HOUR_MS = 900_000;

export function localDate(instant: Date, timeZone: string): string {
  // Every UTC offset in use is a multiple of 15 minutes, so a quarter hour has one local date.
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  const last = lastQuarter.get(timeZone);
  if (last?.quarter === quarter) return last.date;
  const date = formattedDate(instant, timeZone);
  if (Number.isFinite(quarter)) lastQuarter.set(timeZone, { quarter, date });
  return date;
}

function formattedDate(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as a person in `timeZone` reads it: "2025-02-08 10:00:00" (exports, issue 23). */
export function localDateTime(instant: Date, timeZone: string): string {
  let formatter = dateTimeFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dateTimeFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** The calendar date of an effective date given as a date or as an instant. */
export function effectiveLocalDate(effectiveAt: string, timeZone: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(effectiveAt) ? effectiveAt : localDate(new Date(effectiveAt), timeZone);
}

export function timelinessOf(
  calendar: WorkingDayCalendar,
  effectiveAt: string,
  recordedAt: Date,
  timeZone: string,
  deadlineWorkingDays: number,
): Timeliness {
  const lagWorkingDays = calendar.workingDaysBetween(
    effectiveLocalDate(effectiveAt, timeZone),
    localDate(recordedAt, timeZone),
  );
  return { lagWorkingDays, deadlineWorkingDays, onTime: lagWorkingDays <= deadlineWorkingDays };
}

/** The date `workingDays` working days after `from` (001a:14: a review is due 7 working days after the request). */
export function addWorkingDays(calendar: WorkingDayCalendar, from: string, workingDays: number): string {
  let day = Date.parse(`${from}T00:00:00Z`);
  for (let counted = 0; counted < workingDays;) {
    day += 86_400_000;
    if (calendar.isWorkingDay(new Date(day).toISOString().slice(0, 10))) counted++;
  }
  return new Date(day).toISOString().slice(0, 10);
}
