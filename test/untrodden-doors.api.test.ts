/**
 * Doors no other test walked through (issue 28, item 7), through the real API, worker, PostgreSQL, outbox and
 * receiver on the time-skipping server: the campaign window an operator configures (R10, its `closes` exclusive);
 * the codec's encode; the State Corporation's request of a returned result and the provider's dispatch of it
 * (R14); a certificate nobody has; the stage reports of a refused and of a withdrawn case through the real outbox
 * (R12). The earlier standard is in force here, so that the State Corporation's channel is open.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { EncryptionCodec } from '../infra/payload-codec';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf, at, deadline, firstDateAfter, isWorkingDay, plainRun, testNow } from './helpers/clock';
import { parseApiKeys } from '../client/api/auth';
import { PATIENCE_MS, TEST_API_KEY, eventually, httpClient } from './helpers/http';
import { keysDeliveredOnce, startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

let stack: TimeSkippingStack;
let baseUrl: string;
const http = httpClient(() => baseUrl);
const codec = new EncryptionCodec({ current: 'k1', keys: { k1: randomBytes(32) } });

/** A working Monday 10:00 of a plain fortnight, a few days ahead of the suite's clock. */
const monday = at(
  firstDateAfter(new Date(testNow().getTime() + 2 * 86_400_000), (d) => DateTime.fromISO(d).weekday === 1 && plainRun(d, 14)),
  10,
);
const academicYear = academicYearOf(monday);
/** The campaign the test configures: it opens on that Monday at 10:00 and closes (exclusive) on Wednesday at 10:00. */
const campaign = {
  academicYear,
  opens: monday.toISOString(),
  closes: new Date(monday.getTime() + 2 * 86_400_000).toISOString(),
  basis: 'order No. 7 (test)',
};

beforeAll(async () => {
  stack = await startTimeSkippingStack('doors', {
    codec,
    apiKeys: parseApiKeys(
      JSON.stringify([{ client: 'doors', key: TEST_API_KEY, scopes: ['submit', 'decide', 'read', 'decode'], role: 'administrator' }]),
    ),
    campaignWindows: [campaign],
    // The earlier standard in force, for the State Corporation's custody of a result (R14).
    standardSchedule: [{ standard: 'standard-1', from: null, basis: 'seed 003 (test)' }],
  });
  ({ baseUrl } = stack);
}, 3 * PATIENCE_MS);

afterAll(async () => {
  await stack?.stop();
});

/** A submission through the portal (the earlier standard's portal takes every category). */
const submit = (serial: number, submittedAt: Date, overrides: object = {}) =>
  http('POST', '/applications', {
    ...sampleSubmission({ iin: sampleIin(serial), submittedAt: submittedAt.toISOString(), academicYear, channel: 'portal' }),
    ...overrides,
  });
const application = (id: string) => () => http('GET', `/applications/${id}`);

/** 10:00 of the first working day after `from`, in the academic year after the configured campaign's (its default window). */
function morningOfNextYear(from: number): Date {
  const nextYearOpens = at(`${Number(academicYear.slice(0, 4)) + 1}-09-01`, 0);
  return at(firstDateAfter(new Date(Math.max(from, nextYearOpens.getTime())), isWorkingDay), 10);
}

test('R10: an operator’s campaign window takes a submission from its opening instant to the last instant before it closes, and refuses one outside it naming the order', async () => {
  await stack.skipTo(new Date(Date.parse(campaign.closes) + 60_000));
  const before = await submit(8801, new Date(monday.getTime() - 1));
  expect(before.status).toBe(422);
  expect(before.body.error).toMatchObject({ code: 'outside-campaign', field: 'submittedAt', rule: 'R10' });
  expect(before.body.error.message).toContain('order No. 7 (test)');
  const opening = await submit(8802, monday);
  expect([opening.status, opening.body.error]).toEqual([202, undefined]);
  expect((await submit(8803, new Date(Date.parse(campaign.closes) - 1))).status).toBe(202);
  const atClosing = await submit(8804, new Date(campaign.closes));
  expect([atClosing.status, atClosing.body.error?.code]).toEqual([422, 'outside-campaign']);
});

test('the codec server encodes what it is given, and decodes it back (a decode key)', async () => {
  const payload = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"fullName":"Әлия"}').toString('base64'),
  };
  const encoded = await http('POST', '/codec/encode', { payloads: [payload] });
  expect(encoded.status).toBe(200);
  expect(encoded.body.payloads).toHaveLength(1);
  expect(encoded.body.payloads[0].data).not.toBe(payload.data);
  expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  const decoded = await http('POST', '/codec/decode', { payloads: encoded.body.payloads });
  expect(decoded.body.payloads).toEqual([payload]);
});

test('a signing certificate nobody has is a 404 naming the fingerprint, and a malformed one a 400', async () => {
  const unknown = await http('GET', `/signing-certificates/${'ab'.repeat(32)}`);
  expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'not-found']);
  expect(unknown.body.error.message).toContain('ab'.repeat(32));
  expect((await http('GET', '/signing-certificates/not-hex')).status).toBe(400);
});

test(
  'R14: a result back at the provider is asked for again by the State Corporation, and sent within a working day; neither step out of its turn',
  async () => {
    const start = morningOfNextYear(await stack.env.currentTimeMs());
    await stack.skipTo(start);
    const academic = academicYearOf(start);
    const submitted = await http('POST', '/applications', {
      ...sampleSubmission({ iin: sampleIin(8810), submittedAt: start.toISOString(), academicYear: academic, category: 'master' }),
      channel: 'state-corporation',
      serviceLocality: 'provider-locality',
    });
    expect([submitted.status, submitted.body.error]).toEqual([202, undefined]);
    const id = submitted.body.applicationId as string;
    await eventually(application(id), (r) => r.body.state === 'under-review');
    expect((await http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
    const waiting = await eventually(application(id), (r) => r.body.state === 'awaiting-collection');
    // Out of turn: nothing to ask for or to send while the result waits at the State Corporation.
    for (const step of ['result-request', 'result-dispatch']) {
      const early = await http('POST', `/applications/${id}/${step}`, { official: 'Operator' });
      expect([step, early.status, early.body.error?.code]).toEqual([step, 409, 'custody-step-not-allowed']);
    }
    // A month uncollected: back to the provider (R14).
    await stack.skipTo(new Date(Date.parse(waiting.body.custody.storageEndsAt) + 60_000));
    await eventually(application(id), (r) => r.body.state === 'returned-to-provider');
    expect((await http('POST', `/applications/${id}/result-dispatch`, { official: 'Head' })).status).toBe(409); // not asked for yet
    const morning = at(firstDateAfter(new Date(await stack.env.currentTimeMs()), isWorkingDay), 10);
    await stack.skipTo(morning);
    const requested = await http('POST', `/applications/${id}/result-request`, { official: 'State Corporation operator' });
    expect(requested.status).toBe(200);
    expect(requested.body).toMatchObject({ state: 'requested-again', custody: { resendDueAt: deadline(morning, 1).toISOString() } });
    expect((await http('POST', `/applications/${id}/result-request`, { official: 'Again' })).status).toBe(409); // asked once
    const sent = await http('POST', `/applications/${id}/result-dispatch`, { official: 'Head of the education department' });
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe('awaiting-collection');
    expect(await keysDeliveredOnce(stack.store, id)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^custody:${id}:`))]));
  },
  3 * PATIENCE_MS,
);

test(
  'R12: a refused case and a withdrawn one report their stages to monitoring through the real outbox, each once',
  async () => {
    const morning = morningOfNextYear(await stack.env.currentTimeMs());
    await stack.skipTo(morning);
    const academic = academicYearOf(morning);
    const refused = await http('POST', '/applications', {
      ...sampleSubmission({ iin: sampleIin(8820), submittedAt: morning.toISOString(), academicYear: academic }),
      channel: 'portal',
    });
    const withdrawn = await http('POST', '/applications', {
      ...sampleSubmission({ iin: sampleIin(8821), submittedAt: morning.toISOString(), academicYear: academic }),
      channel: 'portal',
    });
    expect([refused.status, withdrawn.status]).toEqual([202, 202]);
    const refusedId = refused.body.applicationId as string;
    const withdrawnId = withdrawn.body.applicationId as string;
    await eventually(application(refusedId), (r) => r.body.state === 'under-review');
    const refusal = {
      decision: 'refuse',
      grounds: [2],
      motivation: { kk: 'The courses certificate is missing. (kk)', ru: 'The courses certificate is missing.' },
      official: 'A. Head',
    };
    expect((await http('POST', `/applications/${refusedId}/decision`, refusal)).status).toBe(200);
    await eventually(application(refusedId), (r) => r.body.state === 'notified');
    await eventually(application(withdrawnId), (r) => r.body.state === 'under-review');
    expect((await http('POST', `/applications/${withdrawnId}/withdrawal`, { reason: 'moving away' })).status).toBe(200);
    await eventually(application(withdrawnId), (r) => r.body.state === 'withdrawn');
    expect(await keysDeliveredOnce(stack.store, refusedId)).toEqual(
      expect.arrayContaining([`stage:${refusedId}:under-review`, `stage:${refusedId}:notified`, `notice:${refusedId}:refusal`]),
    );
    expect(await keysDeliveredOnce(stack.store, withdrawnId)).toEqual(
      expect.arrayContaining([`stage:${withdrawnId}:under-review`, `stage:${withdrawnId}:withdrawn`]),
    );
  },
  3 * PATIENCE_MS,
);
