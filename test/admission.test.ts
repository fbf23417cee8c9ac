/**
 * admit(): one decision for both doors (the API and the workflow), from the submission and the context fixed at
 * submission — the standard in force, the campaign window, the operators' calendar overrides.
 */
import { admissionContextOf, admit, type AdmissionContext } from '../domain/admission';
import { campaignWindow, campaignWindowsFrom, defaultWindow, withinWindow } from '../domain/campaign';
import { STANDARDS } from '../domain/standards';
import { sampleInput, sampleSubmission } from './helpers/applications';

// Saturday 5 December 2026, 10:00 in Almaty: the provider's office is closed on Saturdays (R7).
const SATURDAY = '2026-12-05T10:00:00+05:00';
const earlier = (calendarOverrides: AdmissionContext['calendarOverrides'] = []): AdmissionContext => ({
  standard: STANDARDS['standard-1'],
  standardSince: null,
  window: defaultWindow('2026-2027'),
  calendarOverrides,
});
const office = sampleSubmission({ category: 'master', channel: 'office', academicYear: '2026-2027', submittedAt: SATURDAY });

describe('admission of a submission (R2, R7, R10, R11)', () => {
  test('an office application on an ordinary Saturday is refused with the hours (R7)', () => {
    expect(admit(office, earlier())).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'against-standard', field: 'submittedAt', rule: 'R7' }),
    });
  });

  test('the same application on a Saturday an ordered transfer made a working day is admitted (R7)', () => {
    const worked = [{ date: '2026-12-05', kind: 'working-day' as const, basis: 'order (test): Saturday worked in exchange' }];
    expect(admit(office, earlier(worked))).toMatchObject({ ok: true, application: { channel: 'office', submittedAt: SATURDAY } });
  });

  test('a weekday the operators made a day off closes the office (R7)', () => {
    const monday = { ...office, submittedAt: '2026-12-07T10:00:00+05:00' };
    expect(admit(monday, earlier()).ok).toBe(true);
    expect(admit(monday, earlier([{ date: '2026-12-07', kind: 'day-off', basis: 'order (test)' }]))).toMatchObject({
      ok: false,
      refusal: { rule: 'R7' },
    });
  });

  test('outside the campaign window is refused with its bounds (R10)', () => {
    const context = {
      ...earlier(),
      window: { academicYear: '2026-2027', opens: '2027-01-10T00:00:00+05:00', closes: '2027-02-01T00:00:00+05:00', basis: 'order No. 1 (test)' },
    };
    expect(admit(office, context)).toEqual({
      ok: false,
      refusal: {
        code: 'outside-campaign',
        field: 'submittedAt',
        rule: 'R10',
        message:
          'applications for 2026-2027 are accepted from 2027-01-10T00:00:00+05:00 until 2027-02-01T00:00:00+05:00 (order No. 1 (test)); this one was submitted 2026-12-05T10:00:00+05:00',
      },
    });
  });

  test('a malformed submission is refused by its form before any rule', () => {
    expect(admit({ ...office, iin: '123' }, earlier())).toMatchObject({ ok: false, refusal: { code: 'invalid-field', field: 'iin', rule: null } });
  });

  test('the context an input carries is the one the API admitted it with; older inputs decide as they did', () => {
    const input = {
      ...sampleInput(SATURDAY, { category: 'master', channel: 'office' }),
      standard: 'standard-1' as const,
      calendarOverrides: [{ date: '2026-12-05', kind: 'working-day' as const, basis: 'b' }],
    };
    expect(admissionContextOf(input)).toMatchObject({
      standard: { id: 'standard-1' },
      calendarOverrides: [{ date: '2026-12-05' }],
      window: { academicYear: '2026-2027' },
    });
    const older = sampleInput(SATURDAY);
    expect(admissionContextOf(older)).toMatchObject({
      standard: { id: 'standard-2' },
      standardSince: null,
      calendarOverrides: [],
      window: { opens: '2026-09-01T00:00:00.000+05:00' },
    });
  });
});

describe('the campaign windows an operator configures (CAMPAIGN_WINDOWS, R10)', () => {
  const window = { academicYear: '2027-2028', opens: '2027-09-01T00:00:00+05:00', closes: '2028-06-01T00:00:00+05:00', basis: 'order No. 12' };

  test('a list of windows is read as written; none configured is the whole year by default', () => {
    expect(campaignWindowsFrom(JSON.stringify([window]))).toEqual([window]);
    expect(campaignWindowsFrom(undefined)).toEqual([]);
    expect(campaignWindow('2027-2028', [window])).toBe(window);
    expect(campaignWindow('2028-2029', [window])).toMatchObject({ opens: '2028-09-01T00:00:00.000+05:00', closes: '2029-09-01T00:00:00.000+05:00' });
  });

  test('closes is exclusive: the last instant before it is inside, the instant itself outside', () => {
    expect(withinWindow(new Date(Date.parse(window.closes) - 1), window)).toBe(true);
    expect(withinWindow(new Date(window.closes), window)).toBe(false);
    expect(withinWindow(new Date(window.opens), window)).toBe(true);
    expect(withinWindow(new Date(Date.parse(window.opens) - 1), window)).toBe(false);
  });

  test.each([
    ['not JSON', '[{', 'CAMPAIGN_WINDOWS is not JSON'],
    ['no basis', JSON.stringify([{ ...window, basis: undefined }]), 'at 0.basis'],
    ['a year not of the form', JSON.stringify([{ ...window, academicYear: '2027' }]), 'at 0.academicYear'],
    ['an instant without its zone', JSON.stringify([{ ...window, opens: '2027-09-01T00:00:00' }]), 'at 0.opens'],
    ['a window that closes before it opens', JSON.stringify([{ ...window, closes: window.opens }]), 'closes must come after opens at 0.closes'],
    ['two windows for one year', JSON.stringify([window, window]), 'one window per academic year'],
  ])('%s is refused at start naming where', (_what, json, words) => {
    expect(() => campaignWindowsFrom(json)).toThrow(words);
  });
});
