/** The standards as data: what each takes, when, and how long it gives itself (R2, R3, R7, R11, R14). */
import { DateTime } from 'luxon';
import { WorkingCalendar, ZONE, formatInstant } from '../domain/calendar';
import {
  PROVIDER_OFFICE,
  SHIPPED_SCHEDULE,
  STANDARDS,
  STATE_CORPORATION,
  intakeRefusal,
  isOpen,
  scheduleFrom,
  serviceTermEnd,
  standardInForce,
  storageEnd,
} from '../domain/standards';
import { findDefects, mayReadStateRecords } from '../domain/admissibility';
import { sampleSubmission, essayOf } from './helpers/applications';

const calendar = new WorkingCalendar();
const earlier = STANDARDS['standard-1'];
const current = STANDARDS['standard-2'];
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();

describe('where and when applications are taken in person (R7)', () => {
  test.each([
    ['2026-11-23T09:00', true], // Monday, opening
    ['2026-11-23T12:59', true],
    ['2026-11-23T13:00', false], // lunch
    ['2026-11-23T14:29', false],
    ['2026-11-23T14:30', true],
    ['2026-11-23T17:29', true],
    ['2026-11-23T17:30', false], // applications are taken until 17:30, though the office works until 18:30
    ['2026-11-21T10:00', false], // Saturday
    ['2026-12-16T10:00', false], // Independence Day
  ])("the provider's office at %s: %s", (local, open) => {
    expect(isOpen(PROVIDER_OFFICE, at(local), calendar)).toBe(open);
  });

  test.each([
    ['2026-11-23T08:59', false],
    ['2026-11-23T13:30', true], // no lunch break
    ['2026-11-23T19:59', true],
    ['2026-11-23T20:00', false],
    ['2026-11-21T10:00', true], // Saturday: open
    ['2026-11-22T10:00', false], // Sunday: closed
    ['2026-12-16T10:00', false], // a holiday on a weekday
    ['2026-03-21T10:00', false], // Nauryz on a Saturday
  ])('the State Corporation at %s: %s', (local, open) => {
    expect(isOpen(STATE_CORPORATION, at(local), calendar)).toBe(open);
  });

  test("an operator's override closes a place too", () => {
    const closed = new WorkingCalendar([{ date: '2026-11-23', kind: 'day-off', basis: 'Government decree (test)' }]);
    expect(isOpen(STATE_CORPORATION, at('2026-11-23T10:00'), closed)).toBe(false);
  });
});

describe('what each standard takes (R2, R3, R11)', () => {
  const intake = (over: object) => ({ category: 'master' as const, channel: 'office' as const, submittedAt: '2026-11-23T10:00:00+05:00', ...over });

  test('the current standard offers neither the office nor the State Corporation, and says which channels it has', () => {
    expect(intakeRefusal(current, intake({}), calendar, '2024-01-01T00:00:00+06:00')).toEqual({
      code: 'against-standard',
      field: 'channel',
      rule: 'R2',
      message:
        'the office channel is not offered under the current standard: the portal and the Platform "Ұстаз" in force since 2024-01-01T00:00:00+06:00; its channels are platform, portal',
    });
    expect(intakeRefusal(current, intake({ channel: 'state-corporation', serviceLocality: 'elsewhere' }), calendar)?.field).toBe('channel');
  });

  test('the earlier standard takes every category through each of its channels, but not the Platform', () => {
    for (const channel of ['office', 'portal'] as const) {
      for (const category of ['moderator', 'head-1'] as const) expect(intakeRefusal(earlier, intake({ channel, category }), calendar)).toBeNull();
    }
    expect(intakeRefusal(earlier, intake({ channel: 'platform', category: 'moderator' }), calendar)?.rule).toBe('R2');
  });

  test("a State Corporation application says whether its office is in the provider's locality (R3)", () => {
    const sc = intake({ channel: 'state-corporation' });
    expect(intakeRefusal(earlier, sc, calendar)).toEqual(expect.objectContaining({ code: 'against-standard', field: 'serviceLocality', rule: 'R3' }));
    expect(intakeRefusal(earlier, { ...sc, serviceLocality: 'elsewhere' }, calendar)).toBeNull();
    expect(intakeRefusal(earlier, intake({ serviceLocality: 'elsewhere' }), calendar)).toEqual(expect.objectContaining({ field: 'serviceLocality' }));
  });

  test("home visits are the State Corporation's, under the earlier standard only (R11)", () => {
    expect(
      intakeRefusal(earlier, intake({ channel: 'state-corporation', serviceLocality: 'provider-locality', homeVisit: true }), calendar),
    ).toBeNull();
    expect(intakeRefusal(earlier, intake({ homeVisit: true }), calendar)).toEqual(
      expect.objectContaining({
        field: 'homeVisit',
        rule: 'R11',
        message: expect.stringMatching(/home visits are made only through the state-corporation channel, not office$/),
      }),
    );
    expect(intakeRefusal(current, intake({ channel: 'portal', homeVisit: true }), calendar)).toEqual(
      expect.objectContaining({
        field: 'homeVisit',
        rule: 'R11',
        message: expect.stringMatching(/^there are no home visits under the current standard/),
      }),
    );
  });

  test('an office application dated in the lunch break is refused with the hours (R7)', () => {
    expect(intakeRefusal(earlier, intake({ submittedAt: '2026-11-23T13:15:00+05:00' }), calendar)).toEqual({
      code: 'against-standard',
      field: 'submittedAt',
      rule: 'R7',
      message:
        "the provider's office takes applications Monday to Friday 09:00–17:30, lunch 13:00–14:30, except holidays and days off (R7); this one is dated 2026-11-23T13:15:00+05:00",
    });
  });
});

describe('terms (R3, R14)', () => {
  const rules = earlier.channels['state-corporation']!;
  test("the State Corporation: 3 working days in the provider's locality, 7 elsewhere, the day of acceptance not counted", () => {
    // Accepted on Saturday 19 December 2026 (the State Corporation is open): Monday 21st is day 1.
    const saturday = at('2026-12-19T11:00');
    expect(formatInstant(serviceTermEnd(rules, saturday, calendar, 'provider-locality'))).toBe('2026-12-23T18:30:00+05:00');
    expect(formatInstant(serviceTermEnd(rules, saturday, calendar, 'elsewhere'))).toBe('2026-12-29T18:30:00+05:00');
    // Accepted on Tuesday 15 December, the eve of Independence Day: the 16th is not counted (17, 18, 21).
    expect(formatInstant(serviceTermEnd(rules, at('2026-12-15T19:00'), calendar, 'provider-locality'))).toBe('2026-12-21T18:30:00+05:00');
  });

  test('the office: 20 minutes; the portal: one working day of working time, under either standard (000 §7, 003 §7 3))', () => {
    const monday = at('2026-11-23T10:05');
    expect(formatInstant(serviceTermEnd(earlier.channels.office!, monday, calendar))).toBe('2026-11-23T10:25:00+05:00');
    for (const rules of [earlier.channels.portal!, current.channels.portal!, current.channels.platform!]) {
      expect(formatInstant(serviceTermEnd(rules, monday, calendar))).toBe('2026-11-24T10:05:00+05:00');
      // after hours: registered at Monday's opening, due at its close
      expect(formatInstant(serviceTermEnd(rules, at('2026-11-23T09:00'), calendar))).toBe('2026-11-23T18:30:00+05:00');
      // a case given its term before the reading keeps it: from the next day to its close
      expect(formatInstant(serviceTermEnd(rules, at('2026-11-23T09:00'), calendar, undefined, 'from-next-day'))).toBe('2026-11-24T18:30:00+05:00');
    }
  });

  test('an uncollected result is kept one calendar month (R14)', () => {
    expect(formatInstant(storageEnd(earlier.uncollectedResults!, at('2027-01-31T12:00')))).toBe('2027-02-28T12:00:00+05:00');
  });
});

describe('the automatic check under each standard (R8, R9)', () => {
  const records = { education: true, employment: true };
  test('the earlier standard had no consent ground and no essay length; the current one has both', () => {
    const submission = { ...sampleSubmission({ category: 'master' }), personalDataConsent: false, essay: essayOf(40) };
    expect(findDefects(submission, records, earlier)).toEqual([]);
    expect(findDefects(submission, records, current).map((d) => d.ground)).toEqual([3, 2]);
  });

  test('without consent nothing is read, under either standard: the earlier one asks the applicant for what the systems would give, the current one refuses on ground 3', () => {
    const submission = { ...sampleSubmission({ category: 'master' }), personalDataConsent: false };
    expect(mayReadStateRecords(submission, earlier)).toBe(false);
    expect(mayReadStateRecords(submission, current)).toBe(false);
    expect(mayReadStateRecords({ personalDataConsent: true }, earlier)).toBe(true);
    // a case of the earlier standard started before the rule held read them regardless (workflows/patches.ts)
    expect(mayReadStateRecords(submission, earlier, { earlierRule: true })).toBe(true);
    expect(mayReadStateRecords(submission, current, { earlierRule: true })).toBe(false);
    expect(findDefects(submission, null, earlier)).toEqual([
      { ground: 2, code: 'missing-document', document: 'diploma', notInStateSystems: false },
      { ground: 2, code: 'missing-document', document: 'employment', notInStateSystems: false },
    ]);
    expect(findDefects(submission, null, current).map((d) => d.ground)).toEqual([3]);
  });

  test('the earlier standard asks only for the diploma and the employment record when the systems lack them', () => {
    const submission = { ...sampleSubmission({ category: 'master' }), documents: [] };
    expect(findDefects(submission, records, earlier)).toEqual([]);
    expect(findDefects(submission, { education: false, employment: true }, earlier)).toEqual([
      { ground: 2, code: 'missing-document', document: 'diploma', notInStateSystems: true },
    ]);
    expect(findDefects(submission, records, current).length).toBeGreaterThan(0);
  });
});

describe('which standard is in force (a change of standard by order)', () => {
  test('the shipped schedule: the earlier standard before the current one took effect', () => {
    expect(standardInForce(at('2023-06-01T10:00')).standard).toBe('standard-1');
    expect(standardInForce(at('2026-11-23T10:00')).standard).toBe('standard-2');
    expect(SHIPPED_SCHEDULE[1].from).toBe('2024-01-01T00:00:00+06:00');
    expect(standardInForce(at('2024-01-01T00:00')).standard).toBe('standard-2'); // local midnight, UTC+6 then
  });

  test('STANDARD_SCHEDULE replaces it, and a malformed one is refused at start-up with the reason', () => {
    const schedule = scheduleFrom(
      JSON.stringify([
        { standard: 'standard-1', from: null, basis: 'seed 003' },
        { standard: 'standard-2', from: '2027-01-01T00:00:00+05:00', basis: 'order (test)' },
      ]),
    );
    expect(standardInForce(at('2026-12-31T23:59'), schedule).standard).toBe('standard-1');
    expect(standardInForce(at('2027-01-01T00:00'), schedule).standard).toBe('standard-2');
    expect(() => scheduleFrom('[{"standard":"standard-9","from":null,"basis":"seed 003"}]')).toThrow(
      /STANDARD_SCHEDULE: 0.standard: must be one of standard-1, standard-2/,
    );
    expect(() =>
      scheduleFrom(
        JSON.stringify([
          { standard: 'standard-1', from: null, basis: 'seed 003' },
          { standard: 'standard-2', from: null, basis: 'order (test)' },
        ]),
      ),
    ).toThrow(/each later standard applies from a later instant/);
  });
});
