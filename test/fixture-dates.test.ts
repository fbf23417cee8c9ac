/**
 * A guard for the future (issue 28): the tests choose their dates from the suite's clock, but some data they
 * lean on ends — the calendars written out in test/fixtures/, and the years the service's own calendar data knows.
 * This fails 60 days before a test could reach past such an end, naming what to refresh, instead of the suite
 * failing on some later morning for a reason nobody remembers.
 */
import { DateTime } from 'luxon';
import { YEAR_COVERAGE } from '../domain/calendar-data';
import { LAST_YEAR } from './fixtures/published-calendar';
import { testNow, ZONE } from './helpers/clock';

/** Days of warning before a bound is reached. */
const WARNING_DAYS = 60;
/**
 * The farthest ahead of "now" a test's dates reach: second-reading.api starts at the next 1 September when less
 * than eight months of the academic year are left, and then runs two complaint periods (some seven months): up to
 * about sixteen months, with margin.
 */
const REACH_DAYS = 500;

const farthest = () => DateTime.fromJSDate(testNow(), { zone: ZONE }).plus({ days: WARNING_DAYS + REACH_DAYS });

test(`the published calendars written out reach past the farthest date a test may use, ${WARNING_DAYS} days ahead`, () => {
  const year = farthest().year;
  expect({
    refresh: 'test/fixtures/published-calendar.ts',
    why: `tests may reach ${farthest().toISODate()}: write out the year ${year} (its published calendar, or the law's holidays until it is published)`,
    covered: year <= LAST_YEAR,
  }).toMatchObject({ covered: true });
});

test(`the service's calendar data knows every year a test may reach, ${WARNING_DAYS} days ahead (provisional at least)`, () => {
  const first = DateTime.fromJSDate(testNow(), { zone: ZONE }).year;
  const unknown: number[] = [];
  for (let year = first; year <= farthest().year; year++) if (!YEAR_COVERAGE[year]) unknown.push(year);
  expect({
    refresh: 'domain/calendar-data.ts (KURBAN_AIT, YEAR_COVERAGE) and test/fixtures/published-calendar.ts',
    unknown,
  }).toEqual({ refresh: expect.any(String), unknown: [] });
});
