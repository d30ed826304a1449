/**
 * Usage signals (sign-ins, group activity) arrive from the platform's gateway in batches that the
 * gateway may send again after a timeout. Each aggregate remembers the sender's ids of the signals
 * it recorded within a window before the newest one; a signal seen again is a duplicate, and a
 * signal older than the window can no longer be told apart from one already recorded, so it is
 * refused rather than risk counting it twice.
 */
import { RuleViolation } from './domain-error';

export const SIGNAL_WINDOW_DAYS = 30;
const WINDOW_MS = SIGNAL_WINDOW_DAYS * 86_400_000;
/** How far ahead of the platform's clock a signal's time may be (the gateway's clock may run a little fast). */
export const SIGNAL_CLOCK_SKEW_MS = 5 * 60_000;
/** The most messages one activity signal may report (a group's day, generously). */
export const MAX_MESSAGES_PER_SIGNAL = 1_000_000;

export interface SignalWindow {
  readonly latestAt: string | null;
  /** Sender's signal id → when it happened, for the signals within the window. */
  readonly seen: Readonly<Record<string, string>>;
}

export const EMPTY_SIGNAL_WINDOW: SignalWindow = { latestAt: null, seen: {} };

/**
 * A well-formed signal from the past: one from the future (beyond the clock skew) is refused, since
 * recorded it would make every genuine signal after it look too old.
 */
export function assertSignal(signalId: string, at: string, now: Date): void {
  if (typeof signalId !== 'string' || signalId.trim() === '' || signalId.length > 128) {
    throw new RuleViolation(
      'INVALID_SIGNAL_ID',
      'unprocessable',
      '信号编号（发送方事件编号）不能为空，最长 128 个字符',
      { signalId },
    );
  }
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
    throw new RuleViolation('INVALID_SIGNAL_TIME', 'unprocessable', `信号时间 ${String(at)} 无效，应为 ISO 8601 时间`, {
      at,
    });
  }
  if (Date.parse(at) > now.getTime() + SIGNAL_CLOCK_SKEW_MS) {
    throw new RuleViolation(
      'SIGNAL_FROM_THE_FUTURE',
      'unprocessable',
      `信号时间 ${at} 晚于平台当前时间 ${now.toISOString()}，不予记录（请核对网关时钟）`,
      { at, now: now.toISOString() },
    );
  }
}

/** True when the signal was recorded already; throws when it is too old to tell. */
export function isDuplicateSignal(window: SignalWindow, signalId: string, at: string): boolean {
  // Own properties only: a signal id such as "constructor" or "__proto__" is an id like any other.
  if (Object.hasOwn(window.seen, signalId)) return true;
  if (window.latestAt !== null && Date.parse(at) < Date.parse(window.latestAt) - WINDOW_MS) {
    throw new RuleViolation(
      'SIGNAL_TOO_OLD',
      'unprocessable',
      `信号时间 ${at} 早于最近一次记录 ${SIGNAL_WINDOW_DAYS} 天以上，无法判断是否重复，不予记录`,
      { at, latestAt: window.latestAt },
    );
  }
  return false;
}

export function rememberSignal(window: SignalWindow, signalId: string, at: string): SignalWindow {
  const latestAt = window.latestAt === null || Date.parse(at) > Date.parse(window.latestAt) ? at : window.latestAt;
  const horizon = Date.parse(latestAt) - WINDOW_MS;
  const kept = Object.entries(window.seen).filter(([, when]) => Date.parse(when) >= horizon);
  // fromEntries defines own properties, "__proto__" included (an assignment would set the prototype).
  return { latestAt, seen: Object.fromEntries([...kept, [signalId, at]]) };
}
