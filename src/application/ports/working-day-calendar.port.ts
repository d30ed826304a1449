/**
 * Working days under the State Council's holiday schedule, adjusted workdays (调休上班) included.
 * Dates are calendar dates (YYYY-MM-DD) in the jurisdiction's time zone.
 */
export interface WorkingDayCalendar {
  isWorkingDay(date: string): boolean;
  /**
   * Working days after `from` up to and including `to`: 0 when `to` is on or before `from`.
   * A change effective on Friday and recorded on Monday has a lag of 1 (Monday), or 2 when the
   * Sunday between was an adjusted workday.
   */
  workingDaysBetween(from: string, to: string): number;
}

export const WORKING_DAY_CALENDAR = Symbol('WorkingDayCalendar');
