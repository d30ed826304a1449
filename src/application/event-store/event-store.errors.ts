/**
 * Typed errors of the event store port. Each carries a stable `code`; the HTTP edge maps codes to
 * status codes, and messages name the offending value so an administrator can act on them.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export type ActualRevision = bigint | 'no_stream';

export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: ActualRevision,
  ) {
    super(`记录 ${streamId} 已被修改：期望版本 ${expected}，实际版本 ${String(actual)}`);
  }
}

export class InvalidStreamNameError extends EventStoreError {
  readonly code = 'INVALID_STREAM_NAME';
  constructor(
    readonly streamId: unknown,
    reason: string,
  ) {
    super(`流名称 ${JSON.stringify(String(streamId)).slice(0, 80)} 无效：${reason}`);
  }
}

export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`第 ${index + 1} 个事件无效：${reason}`);
  }
}

export class EventTooLargeError extends EventStoreError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(
    readonly index: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`第 ${index + 1} 个事件大小 ${bytes} 字节，超过上限 ${limit} 字节`);
  }
}

export class InvalidExpectedRevisionError extends EventStoreError {
  readonly code = 'INVALID_EXPECTED_REVISION';
  constructor(readonly value: unknown) {
    super(`期望版本 ${describeValue(value)} 无效：应为 no_stream、stream_exists、any 或非负整数版本号`);
  }
}

export class InvalidPositionError extends EventStoreError {
  readonly code = 'INVALID_POSITION';
  constructor(readonly value: string) {
    super(`位置标记 ${JSON.stringify(value.slice(0, 80))} 无效`);
  }
}

export class InvalidReadOptionsError extends EventStoreError {
  readonly code = 'INVALID_READ_OPTIONS';
  constructor(reason: string) {
    super(`读取参数无效：${reason}`);
  }
}

/** An eventId already recorded for a different event or stream: ids are unique store-wide. */
export class EventIdConflictError extends EventStoreError {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(
    readonly eventId: string,
    detail: string,
  ) {
    super(`事件编号 ${eventId} 已被使用：${detail}`);
  }
}

export class EventStoreClosedError extends EventStoreError {
  readonly code = 'EVENT_STORE_CLOSED';
  constructor() {
    super('事件存储已关闭，不再接受写入');
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(reason: string, cause?: unknown) {
    super(`事件存储暂不可用：${reason}`);
    this.cause = cause;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}
