/** Instants as the jurisdiction reads them (its zone, not the browser's); dates stay dates. */
export function formatInstant(value: string | null | undefined, timeZone: string): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** A value of a changed field, as an auditor reads it: records as their set fields, lists item by item. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '（空）';
  if (typeof value === 'string') return value === '' ? '（空）' : value;
  if (Array.isArray(value)) return value.length === 0 ? '（无）' : value.map(formatValue).join('；');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k} ${typeof v === 'object' ? `(${formatValue(v)})` : String(v)}`)
      .join('，');
  return String(value);
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** The instant a wall-clock time (YYYY-MM-DD HH:mm:ss) names in the zone: the console's date pickers speak the jurisdiction's time. */
export function instantOf(local: string, timeZone: string): string {
  const [date, time = '00:00:00'] = local.split(' ');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss = 0] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm, ss);
  const seen = formatInstant(new Date(guess).toISOString(), timeZone);
  const [sd, st] = seen.split(' ');
  const [sy, sm, sdd] = sd.split('-').map(Number);
  const [sh, smm, sss] = st.split(':').map(Number);
  const offset = Date.UTC(sy, sm - 1, sdd, sh, smm, sss) - guess;
  return new Date(guess - offset).toISOString();
}
