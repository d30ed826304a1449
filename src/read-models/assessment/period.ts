/**
 * An assessment period: a year (2025), a quarter (2025-Q3) or a month (2025-06), in the
 * jurisdiction's time zone. Its `end` is the instant the period closes; the report reads every
 * entity as recorded before it.
 */
export class InvalidPeriodError extends Error {
  readonly code = 'INVALID_PERIOD';
  constructor(readonly period: string) {
    super(`考核期间 ${period} 无效：应为年份（如 2025）、季度（如 2025-Q3）或月份（如 2025-06）`);
  }
}

export interface Period {
  readonly id: string;
  /** 2025年, 2025年第三季度, 2025年6月. */
  readonly label: string;
  readonly firstDay: string;
  readonly lastDay: string;
  /** YYYY-MM of each month in the period. */
  readonly months: readonly string[];
  /** ISO instants: the start of the first day and of the day after the last, in the time zone. */
  readonly start: string;
  readonly end: string;
}

const QUARTERS = ['一', '二', '三', '四'];

const pad = (n: number) => String(n).padStart(2, '0');

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant) / 60_000
  );
}

/** The instant a calendar day starts in the time zone. */
export function startOfDay(day: string, timeZone: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  // Once more at the found instant, in case the guess fell on the other side of an offset change.
  return new Date(guess - offsetMinutes(first, timeZone) * 60_000).toISOString();
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

export function parsePeriod(text: string, timeZone: string): Period {
  const match = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) throw new InvalidPeriodError(String(text));
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) throw new InvalidPeriodError(text);
  let first: number;
  let count: number;
  let label: string;
  if (match[2]) {
    first = (Number(match[2]) - 1) * 3 + 1;
    count = 3;
    label = `${year}年第${QUARTERS[Number(match[2]) - 1]}季度`;
  } else if (match[3]) {
    first = Number(match[3]);
    count = 1;
    label = `${year}年${first}月`;
  } else {
    first = 1;
    count = 12;
    label = `${year}年`;
  }
  const months = Array.from({ length: count }, (_, i) => `${year}-${pad(first + i)}`);
  const firstDay = `${months[0]}-01`;
  const lastDay = lastDayOfMonth(months[months.length - 1]);
  return {
    id: match[0],
    label,
    firstDay,
    lastDay,
    months,
    start: startOfDay(firstDay, timeZone),
    end: startOfDay(nextDay(lastDay), timeZone),
  };
}
