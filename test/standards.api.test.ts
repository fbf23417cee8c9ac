/**
 * A change of standard while cases of the old one are running, through the HTTP API with every real part but
 * the clock: the old cases finish by the old terms (the State Corporation's 3 working days, its custody of the
 * result), new ones follow the new (portal and Platform only, one working day).
 */
import { DateTime } from 'luxon';
import type { Store } from '../infra/store';
import { opensslRefuses } from './helpers/openssl';
import { dateTimeInWords } from '../domain/notices';
import { ZONE, formatInstant } from '../domain/calendar';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf, at, firstDateAfter, plainRun, serviceDue, testNow } from './helpers/clock';
import { TEST_API_KEY, eventually, httpClient } from './helpers/http';
import { cliAsync } from './helpers/cli';
import { keysDeliveredOnce, startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

let stack: TimeSkippingStack;
let store: Store;
let baseUrl: string;
const http = httpClient(() => baseUrl);
/** A Saturday the State Corporation is open, in an ordinary week, a few days ahead of the test server's clock. */
let saturday: DateTime;
/** The current standard takes effect at midnight after that Saturday's weekend, by the schedule under test. */
let changeOver: DateTime;

beforeAll(async () => {
  // Nine plain days of the published calendar from a Saturday at least three days ahead of the suite's clock.
  const date = firstDateAfter(new Date(testNow().getTime() + 2 * 86_400_000), (d) => DateTime.fromISO(d).weekday === 6 && plainRun(d, 9));
  saturday = DateTime.fromJSDate(at(date, 11), { zone: ZONE });
  changeOver = saturday.plus({ days: 2 }).startOf('day');
  stack = await startTimeSkippingStack('standards', {
    standardSchedule: [
      { standard: 'standard-1', from: null, basis: 'seed 003' },
      { standard: 'standard-2', from: changeOver.toISO()!, basis: 'order (test): the current standard from Monday' },
    ],
  });
  ({ store, baseUrl } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const submit = (serial: number, at: DateTime, overrides: object) =>
  http('POST', '/applications', {
    ...sampleSubmission({ iin: sampleIin(serial), submittedAt: at.toISO()!, academicYear: academicYearOf(at.toISO()!) }),
    ...overrides,
  });

test("an office application on a Saturday that the operators' calendar made a working day is admitted by the API and the workflow alike (R7)", async () => {
  // The office is closed on Saturdays (R7) unless an ordered transfer makes the day a working one: the API and the
  // workflow decide with the same overrides, so what the API accepted is registered, never failed inside Temporal.
  const date = saturday.toISODate()!;
  await stack.store.calendarOverride.create({
    data: { date, kind: 'working-day', basis: 'order (test): Saturday worked in exchange', addedBy: 'test' },
  });
  try {
    await stack.skipTo(saturday.toJSDate());
    const office = await submit(8110, saturday, { category: 'master', channel: 'office' });
    expect(office.status).toBe(202);
    expect(office.body.standard).toBe('standard-1');
    const registered = await eventually(
      () => http('GET', `/applications/${office.body.applicationId}`),
      (r) => r.status === 200 && r.body.state === 'under-review',
    );
    // Registered at once, in person, due 20 minutes later (R3).
    expect(registered.body).toMatchObject({
      channel: 'office',
      registeredAt: saturday.toJSDate().toISOString(),
      decisionDueAt: saturday.plus({ minutes: 20 }).toJSDate().toISOString(),
    });
    const accepted = await http('POST', `/applications/${office.body.applicationId}/decision`, {
      decision: 'accept',
      official: 'Clerk A. Sarsenova',
    });
    expect(accepted.status).toBe(200);
  } finally {
    await stack.store.calendarOverride.delete({ where: { date } });
  }
});

test('cases of the earlier standard finish by its terms after the current one takes effect; new cases follow the new (R2, R3, R5, R14)', async () => {
  await stack.skipTo(saturday.toJSDate()); // 11:00 of a plain Saturday: the State Corporation is open (R7)

  // Saturday, under the earlier standard: the State Corporation takes it; the provider's office is closed.
  const viaStateCorporation = await submit(8101, saturday, {
    category: 'master',
    channel: 'state-corporation',
    serviceLocality: 'provider-locality',
  });
  expect(viaStateCorporation.status).toBe(202);
  expect(viaStateCorporation.body.standard).toBe('standard-1');
  const closedOffice = await submit(8102, saturday, { category: 'master', channel: 'office' });
  expect(closedOffice.status).toBe(422);
  expect(closedOffice.body.error).toMatchObject({ field: 'submittedAt', rule: 'R7' });
  // The earlier portal took every category, the Platform's too.
  const viaPortal = await submit(8103, saturday, { category: 'moderator', channel: 'portal' });
  expect(viaPortal.status).toBe(202);

  const oldCase = viaStateCorporation.body.applicationId as string;
  const application = (id: string) => () => http('GET', `/applications/${id}`);
  const underReview = await eventually(application(oldCase), (r) => r.body.state === 'under-review');
  // Accepted on Saturday, the day not counted: Monday, Tuesday, Wednesday (R3).
  const wednesdayClose = saturday.plus({ days: 4 }).set({ hour: 18, minute: 30 });
  expect(underReview.body).toMatchObject({
    standard: 'standard-1',
    channel: 'state-corporation',
    decisionDueAt: wednesdayClose.toJSDate().toISOString(),
  });
  expect(underReview.body.custody).toMatchObject({ place: 'state-corporation', atStateCorporationAt: null });

  // Monday: the current standard is in force. The office and the earlier portal's categories are refused, with why.
  const monday = changeOver.set({ hour: 10 });
  await stack.skipTo(monday.toJSDate());
  const office = await submit(8104, monday, { category: 'master', channel: 'office' });
  expect(office.status).toBe(422);
  expect(office.body.error).toMatchObject({ field: 'channel', rule: 'R2' });
  expect(office.body.error.message).toBe(
    `the office channel is not offered under the current standard: the portal and the Platform "Ұстаз" in force since ${formatInstant(changeOver.toJSDate())}; its channels are platform, portal`,
  );
  expect((await submit(8105, monday, { category: 'moderator', channel: 'portal' })).body.error).toMatchObject({ field: 'channel', rule: 'R2' });
  const homeVisit = await submit(8106, monday, { category: 'master', channel: 'portal', homeVisit: true });
  expect(homeVisit.body.error).toMatchObject({ field: 'homeVisit', rule: 'R11' });
  const newCase = await submit(8107, monday, { category: 'moderator', channel: 'platform' });
  expect(newCase.status).toBe(202);
  expect(newCase.body.standard).toBe('standard-2');
  const newReview = await eventually(application(newCase.body.applicationId), (r) => r.body.state === 'under-review');
  expect(newReview.body).toMatchObject({
    standard: 'standard-2',
    custody: null,
    decisionDueAt: serviceDue(monday.toJSDate()).toISOString(),
  });

  // The old case, decided on Tuesday, goes to the State Corporation; a representative collects it on Thursday.
  await stack.skipTo(monday.plus({ days: 1 }).toJSDate());
  const refusalGround3 = await http('POST', `/applications/${oldCase}/decision`, {
    decision: 'refuse',
    grounds: [3],
    motivation: { kk: 'no consent (kk)', ru: 'no consent' },
    official: 'A. Head',
  });
  // A ground the case's standard does not have breaks R9: 422 naming the field and the rule (not a 409 for the state).
  expect(refusalGround3.status).toBe(422);
  expect(refusalGround3.body.error).toMatchObject({ code: 'against-standard', field: 'grounds', rule: 'R9' });
  expect(refusalGround3.body.error.message).toMatch(/not a ground for refusal under the earlier standard/);
  expect((await http('POST', `/applications/${oldCase}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
  const atStateCorporation = await eventually(application(oldCase), (r) => r.body.state === 'awaiting-collection');
  expect(atStateCorporation.body.overdue).toBe(false);
  await stack.skipTo(monday.plus({ days: 3 }).toJSDate());
  const withoutPowerOfAttorney = await http('POST', `/applications/${oldCase}/result-issue`, {
    to: 'representative',
    place: 'state-corporation',
    official: 'B. Operator',
  });
  expect(withoutPowerOfAttorney.status).toBe(422);
  expect(withoutPowerOfAttorney.body.error).toMatchObject({ field: 'powerOfAttorney', rule: 'R5' });
  // The State Corporation's operator records it through the CLI, as at the counter.
  const cliEnv = { env: { API_URL: baseUrl, API_KEY: TEST_API_KEY } };
  const issued = await cliAsync(
    ['issue-result', oldCase, '--to', 'representative', '--power-of-attorney', 'No. 77 of 20.11.2026', '--official', 'B. Operator'],
    cliEnv,
  );
  expect(issued.status).toBe(0);
  expect(JSON.parse(issued.stdout)).toMatchObject({ state: 'notified', custody: { issuedTo: 'representative' } });
  // Support sees the result's way in the case's story.
  const story = await cliAsync(['case', oldCase], cliEnv);
  expect(story.stdout).toContain('via state-corporation, almaty-city-education-department; under standard-1');
  expect(story.stdout).toMatch(/result at the State Corporation since .*, kept until /);
  expect(story.stdout).toMatch(/issued to the representative /);
  expect(story.stdout).toMatch(/package-handed-over/);
  const again = await http('POST', `/applications/${oldCase}/result-issue`, { to: 'applicant', place: 'state-corporation', official: 'B. Operator' });
  expect(again.status).toBe(409);
  expect(again.body.error).toMatchObject({ code: 'custody-step-not-allowed' });

  // The cabinet holds the State Corporation's receipt for the package and the result (Appendix 8), signed.
  const done = await eventually(application(oldCase), (r) => r.body.notices.length === 4);
  const russian = (done.body.notices as Array<{ kind: string; language: string; body: string; signature: { value: string } }>).filter(
    (n) => n.language === 'ru',
  );
  expect(russian.map((n) => n.kind)).toEqual(['intake-receipt', 'receipt']);
  expect(russian[0].body).toContain('хранятся один месяц');
  expect(russian[0].body).toContain(dateTimeInWords(wednesdayClose.toJSDate(), 'ru'));
  expect(russian[1].body).toContain('РАСПИСКА о приеме заявления');
  for (const n of done.body.notices) expect(opensslRefuses(n.body, n.signature.value, stack.trustAnchorsPem)).toBe(false);

  // Every step reached monitoring and whom it concerns, once.
  expect(await keysDeliveredOnce(store, oldCase)).toEqual(
    expect.arrayContaining([
      `stage:${oldCase}:k1:package-handed-over`,
      `custody:${oldCase}:k1`,
      `custody:${oldCase}:k2`,
      `stage:${oldCase}:k3:result-issued`,
    ]),
  );
  const row = await store.application.findUniqueOrThrow({ where: { id: oldCase } });
  expect(row).toMatchObject({ standard: 'standard-1', serviceLocality: 'provider-locality', resultIssuedTo: 'representative', state: 'notified' });
}, 120_000);
