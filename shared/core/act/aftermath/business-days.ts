/**
 * Calendar arithmetic in a named time zone with Intl only: the local date of an instant, business days
 * (Saturday, Sunday and configured holidays skipped), and the instant of a local wall-clock time.
 * Dates are `YYYY-MM-DD` strings; instants are epoch milliseconds.
 */

export interface BusinessCalendar {
  timezone: string;
  /** `YYYY-MM-DD` dates in `timezone` that are not business days. */
  holidays: ReadonlySet<string>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms` (Europe/Paris in summer: +2 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar date in `timeZone` at instant `ms`. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
}

/** The date `days` calendar days after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday: a civil date has one weekday whatever the zone. */
export function weekday(date: string): number {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !calendar.holidays.has(date);
}

/**
 * The date `n` business days after `date`: Friday + 2 is Tuesday. With `n` = 0, `date` itself when it is
 * a business day, else the next one. Bounded: a calendar that declares a whole year of holidays is a
 * configuration error, reported rather than looped on.
 */
export function addBusinessDays(date: string, n: number, calendar: BusinessCalendar): string {
  let current = date;
  let remaining = n === 0 && !isBusinessDay(date, calendar) ? 1 : n;
  for (let guard = 0; remaining > 0; guard++) {
    if (guard > 3 * 366) throw new RangeError(`no business day within three years of ${date} in ${calendar.timezone}`);
    current = addDays(current, 1);
    if (isBusinessDay(current, calendar)) remaining--;
  }
  return current;
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` `hh:mm`. A time skipped by a
 * daylight-saving jump (02:30 on a spring-forward night) resolves to the instant one offset later;
 * a repeated one (autumn) to its first occurrence.
 */
export function zonedTimeToUtc(date: string, hhmm: string, timeZone: string): number {
  const [y, m, d] = parseDate(date);
  const [hour, minute] = hhmm.split(':').map(Number);
  const naive = Date.UTC(y, m - 1, d, hour ?? 0, minute ?? 0);
  // The zone's offsets around that day (no zone changes offset twice within 12 hours).
  const candidates = [-HALF_DAY_MS, 0, HALF_DAY_MS].map((shift) => naive - zoneOffsetMs(naive + shift, timeZone));
  const valid = candidates.filter((t) => t + zoneOffsetMs(t, timeZone) === naive);
  return valid.length > 0 ? Math.min(...valid) : Math.max(...candidates);
}

const HALF_DAY_MS = 12 * 3_600_000;

/** `2024-03-12T09:00:00` (UTC, no zone suffix): the `at()` form of EventBridge Scheduler. */
export function utcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

/** "Tue 2024-03-12 10:00 Europe/Paris", for people. */
export function describeLocal(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekday(date)];
  return `${day} ${date} ${pad(w.hour)}:${pad(w.minute)} ${timeZone}`;
}
