import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  describeLocal,
  isBusinessDay,
  localDate,
  utcSeconds,
  weekday,
  zonedTimeToUtc,
} from '../../../../shared/core/act/aftermath/business-days.js';
import { reviewSchema } from '../../../../shared/core/act/aftermath/config.js';
import { reviewTime } from '../../../../shared/core/act/aftermath/review.js';

const utc = { timezone: 'UTC', holidays: new Set<string>() };
const review = (input: Record<string, unknown> = {}) => reviewSchema.parse(input);

describe('business days', () => {
  it('Friday + 2 business days is Tuesday; Thursday + 2 is Monday', () => {
    expect(weekday('2024-03-08')).toBe(5);
    expect(addBusinessDays('2024-03-08', 2, utc)).toBe('2024-03-12');
    expect(addBusinessDays('2024-03-07', 2, utc)).toBe('2024-03-11');
  });

  it('skips configured holidays as well as weekends', () => {
    const easter = { timezone: 'Europe/Paris', holidays: new Set(['2024-04-01']) };
    expect(isBusinessDay('2024-04-01', easter)).toBe(false);
    // Friday 29 March + 2: Monday 1 April is Easter Monday, so Tuesday then Wednesday.
    expect(addBusinessDays('2024-03-29', 2, easter)).toBe('2024-04-03');
    expect(addBusinessDays('2024-03-29', 2, utc)).toBe('2024-04-02');
  });

  it('0 business days is the same day when it is one, else the next business day', () => {
    expect(addBusinessDays('2024-03-08', 0, utc)).toBe('2024-03-08');
    expect(addBusinessDays('2024-03-09', 0, utc)).toBe('2024-03-11');
  });

  it('refuses to loop for ever on a calendar without business days', () => {
    const holidays = new Set(
      Array.from({ length: 1200 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)),
    );
    expect(() => addBusinessDays('2024-01-01', 1, { timezone: 'UTC', holidays })).toThrow(RangeError);
  });

  it('reads the local date in the configured zone, not in UTC', () => {
    const mondayOneAmUtc = Date.parse('2024-03-11T01:00:00Z');
    expect(localDate(mondayOneAmUtc, 'UTC')).toBe('2024-03-11');
    expect(localDate(mondayOneAmUtc, 'America/New_York')).toBe('2024-03-10');
    expect(localDate(mondayOneAmUtc, 'Asia/Tokyo')).toBe('2024-03-11');
    expect(describeLocal(mondayOneAmUtc, 'America/New_York')).toBe('Sun 2024-03-10 21:00 America/New_York');
  });

  it('finds the instant of a local wall-clock time, across daylight saving', () => {
    expect(new Date(zonedTimeToUtc('2024-07-01', '10:00', 'Europe/Paris')).toISOString()).toBe(
      '2024-07-01T08:00:00.000Z',
    );
    expect(new Date(zonedTimeToUtc('2024-01-15', '10:00', 'Europe/Paris')).toISOString()).toBe(
      '2024-01-15T09:00:00.000Z',
    );
    expect(new Date(zonedTimeToUtc('2024-07-01', '10:00', 'Asia/Kolkata')).toISOString()).toBe(
      '2024-07-01T04:30:00.000Z',
    );
    // 02:30 does not exist on 31 March 2024 in Paris: one offset later, 03:30 CEST.
    expect(new Date(zonedTimeToUtc('2024-03-31', '02:30', 'Europe/Paris')).toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
    // 02:30 happens twice on 27 October 2024: the first (CEST) is chosen.
    expect(new Date(zonedTimeToUtc('2024-10-27', '02:30', 'Europe/Paris')).toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
    expect(utcSeconds(Date.parse('2024-03-12T09:00:00.999Z'))).toBe('2024-03-12T09:00:00');
  });
});

describe('review time', () => {
  it('a session that ends on Friday afternoon is reviewed on Tuesday at 10:00 local', () => {
    const friday = Date.parse('2024-03-08T16:30:00Z');
    const { date, startMs } = reviewTime(friday, review({ timezone: 'Europe/Paris' }));
    expect(date).toBe('2024-03-12');
    expect(new Date(startMs).toISOString()).toBe('2024-03-12T09:00:00.000Z');
  });

  it('the zone decides the day: Monday 01:00 UTC is still Sunday in New York', () => {
    const end = Date.parse('2024-03-11T01:00:00Z');
    expect(reviewTime(end, review()).date).toBe('2024-03-13');
    const newYork = reviewTime(end, review({ timezone: 'America/New_York', time: '09:30' }));
    expect(newYork.date).toBe('2024-03-12');
    // 12 March is after the US switch to daylight time (10 March): EDT, UTC-4.
    expect(new Date(newYork.startMs).toISOString()).toBe('2024-03-12T13:30:00.000Z');
  });

  it('is never before the session ended (0 business days, session ending after the review hour)', () => {
    const end = Date.parse('2024-03-12T15:00:00Z');
    const { date, startMs } = reviewTime(end, review({ businessDays: 0 }));
    expect(date).toBe('2024-03-13');
    expect(startMs).toBeGreaterThan(end);
  });
});
