/**
 * The case store's writes that a retried activity repeats, against a real PostgreSQL: each is one statement that
 * keeps what the first attempt wrote (issue 19 took the upserts with nothing to update out of the hot path; these
 * say what the upserts promised still holds).
 */
import { ApplicationFailure } from '@temporalio/common';
import { createCaseStoreActivities } from '../activities/case-store';
import { enqueue } from '../infra/outbox';
import { shippedProviderUnits } from '../infra/provider-units';
import { createStore } from '../infra/store';
import { deliverDue } from '../worker/outbox-relay';
import { reportCaseGauges } from '../worker/case-gauges';
import type { MetricMeter } from '@temporalio/common';
import { sampleIin, sampleInput } from './helpers/applications';
import { eventually } from './helpers/http';
import { startTestDatabase, type TestDatabase } from './helpers/service';
import { receivedStatus } from '../domain/case-status';
import type { ApplicationInput } from '../domain/application';

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase('attestation-case-store-');
}, 120_000);
afterAll(async () => {
  await database?.stop();
});

const IN_HOURS = '2026-10-14T05:00:00.000Z';

/** The view a workflow records with its application: as received. */
const viewOf = (input: ApplicationInput) =>
  receivedStatus({
    applicationId: input.applicationId,
    standard: 'standard-2',
    channel: input.channel,
    submittedAt: input.submittedAt,
    custody: null,
  });

test('recordApplication again (a retried attempt) keeps the one row; another application for the held year is refused for good, naming the holder (R10)', async () => {
  const { store } = database;
  const activities = createCaseStoreActivities({ store, units: shippedProviderUnits() });
  const first = sampleInput(IN_HOURS, { iin: sampleIin(4101) });
  await activities.recordApplication(first, viewOf(first));
  await activities.recordApplication({ ...first, fullName: 'Another Name' }, viewOf(first));
  const rows = await store.application.findMany({ where: { iin: first.iin } });
  expect(rows.map((r) => [r.id, r.fullName, r.holdsYear])).toEqual([[first.applicationId, first.fullName, true]]);

  const second = sampleInput(IN_HOURS, { iin: first.iin });
  const refusal = await activities.recordApplication(second, viewOf(second)).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(ApplicationFailure);
  expect(refusal).toMatchObject({ type: 'DuplicateApplication', nonRetryable: true, message: expect.stringContaining(first.applicationId) });
  expect(await store.application.count({ where: { iin: first.iin } })).toBe(1);
});

test('enqueue of a key written before keeps the first message; the relay keeps its times in UTC whatever the session time zone', async () => {
  const { store } = database;
  await store.$transaction((tx) =>
    enqueue(tx, [
      { key: 'case-store-test:a', channel: 'monitoring', payload: { n: 1 } },
      { key: 'case-store-test:b', channel: 'notifier', payload: { n: 1 } },
    ]),
  );
  await store.$transaction((tx) => enqueue(tx, [{ key: 'case-store-test:a', channel: 'monitoring', payload: { n: 2 } }]));
  const messages = await store.outboxMessage.findMany({ where: { key: { startsWith: 'case-store-test:' } }, orderBy: { key: 'asc' } });
  expect(messages.map((m) => [m.key, m.payload])).toEqual([
    ['case-store-test:a', { n: 1 }],
    ['case-store-test:b', { n: 1 }],
  ]);

  // A server whose sessions run in Almaty (UTC+5): the mark must still be the instant, as Prisma would write it.
  await store.$executeRawUnsafe(`ALTER DATABASE ${new URL(database.db.url).pathname.slice(1)} SET timezone TO 'Asia/Almaty'`);
  const almaty = createStore(database.db.url);
  try {
    const before = Date.now();
    const delivered = await deliverDue(almaty, { notifier: 'data:,', monitoring: 'data:,' });
    expect(delivered).toBe(2);
    const marked = await almaty.outboxMessage.findMany({ where: { key: { startsWith: 'case-store-test:' } } });
    for (const m of marked) {
      expect(m.status).toBe('delivered');
      expect(Math.abs(m.deliveredAt!.getTime() - before)).toBeLessThan(60_000);
    }
    // A refused delivery's back-off is kept in the claim (its lease ends when the back-off does): also UTC.
    await almaty.outboxMessage.create({ data: { key: 'case-store-test:c', channel: 'notifier', payload: {} } });
    expect(await deliverDue(almaty, { notifier: 'http://127.0.0.1:1/', monitoring: 'data:,' })).toBe(0);
    const backingOff = await almaty.outboxMessage.findUniqueOrThrow({ where: { key: 'case-store-test:c' } });
    expect(backingOff).toMatchObject({ status: 'pending', attempts: 1 });
    expect(Math.abs(backingOff.claimedAt!.getTime() - before)).toBeLessThan(60_000);
  } finally {
    await almaty.$disconnect();
  }
});

test('a closed case is reopened by a complaint upheld against its result only while closed with that result in force and its year free (R10, R13)', async () => {
  const { store } = database;
  const activities = createCaseStoreActivities({ store, units: shippedProviderUnits() });
  const refused = sampleInput(IN_HOURS, { iin: sampleIin(4102) });
  await activities.recordApplication(refused, viewOf(refused));
  const reopen = () => activities.reopenClosedCase({ applicationId: refused.applicationId, contestedRound: 1 });
  // Still running: the workflow is where a complaint goes.
  expect(await reopen()).toEqual({ reopens: false, why: 'not-closed' });

  const closedView = { ...viewOf(refused), state: 'closed' as const, decision: 'refuse' as const };
  await store.application.update({
    where: { id: refused.applicationId },
    data: { state: 'closed', holdsYear: null, view: JSON.stringify(closedView) },
  });
  // A newer application of the teacher took the year meanwhile: it is the one decided.
  const newer = sampleInput(IN_HOURS, { iin: refused.iin });
  await activities.recordApplication(newer, viewOf(newer));
  expect(await reopen()).toEqual({ reopens: false, why: 'year-held', heldBy: newer.applicationId });
  expect(await store.application.findUniqueOrThrow({ where: { id: refused.applicationId } })).toMatchObject({ holdsYear: null });

  // The year free again: the case and the year are taken back, with the application as admitted, essay and all.
  await store.application.update({ where: { id: newer.applicationId }, data: { state: 'withdrawn', holdsYear: null } });
  expect(await reopen()).toEqual({ reopens: true, input: refused, view: closedView });
  expect(await store.application.findUniqueOrThrow({ where: { id: refused.applicationId } })).toMatchObject({ holdsYear: true });
  // A complaint against an earlier result reopens nothing.
  expect(await activities.reopenClosedCase({ applicationId: refused.applicationId, contestedRound: 2 })).toEqual({
    reopens: false,
    why: 'result-superseded',
  });

  // A case recorded before the store kept the application: rebuilt from its columns, without what was not kept.
  await store.application.update({ where: { id: refused.applicationId }, data: { input: null } });
  const rebuilt = await reopen();
  expect(rebuilt).toMatchObject({
    reopens: true,
    input: { applicationId: refused.applicationId, iin: refused.iin, fullName: refused.fullName, channel: refused.channel, essay: '', documents: [] },
  });
});

test("the worker's gauges count the breaches still open by unit, set back to 0 once mended, and the outbox's state (issue 36)", async () => {
  const { store } = database;
  const activities = createCaseStoreActivities({ store, units: shippedProviderUnits() });
  const set: Array<{ name: string; value: number; labels: Record<string, unknown> }> = [];
  const meter = {
    createGauge: (name: string) => ({ set: (value: number, labels: Record<string, unknown> = {}) => void set.push({ name, value, labels }) }),
  } as unknown as MetricMeter;
  const late = sampleInput(IN_HOURS, { iin: sampleIin(4103), providerUnit: 'almaty-bostandyk-district-education-department' });
  await activities.recordApplication(late, viewOf(late));
  await store.application.update({ where: { id: late.applicationId }, data: { state: 'under-review', overdue: true } });
  await store.$transaction((tx) => enqueue(tx, [{ key: 'case-gauges-test:1', channel: 'notifier', payload: {} }]));
  await store.outboxMessage.update({ where: { key: 'case-gauges-test:1' }, data: { createdAt: new Date(Date.now() - 90_000) } });

  const last = (name: string, labels: Record<string, unknown> = {}) =>
    set.filter((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels)).at(-1)?.value;
  const report = async () => {
    set.length = 0;
    await reportCaseGauges(store, { meter, intervalMs: 3_600_000 }).stop();
  };
  await report();
  expect(last('attestation_decisions_owed_overdue', { provider_unit: 'almaty-bostandyk-district-education-department' })).toBe(1);
  expect(last('attestation_outbox_pending')).toBeGreaterThanOrEqual(1);
  expect(last('attestation_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(90);

  // Decided and the message given up on: the unit's gauge falls to 0 (its alert resolves), the dead letter counts.
  set.length = 0;
  const gauges = reportCaseGauges(store, { meter, intervalMs: 100 });
  const unit = { provider_unit: 'almaty-bostandyk-district-education-department' };
  await eventually(
    async () => last('attestation_decisions_owed_overdue', unit),
    (value) => value === 1,
  );
  await store.application.update({ where: { id: late.applicationId }, data: { state: 'refused' } });
  await store.outboxMessage.update({ where: { key: 'case-gauges-test:1' }, data: { status: 'dead' } });
  await eventually(
    async () => last('attestation_decisions_owed_overdue', unit),
    (value) => value === 0,
  );
  await gauges.stop();
  expect(last('attestation_outbox_dead_letters')).toBeGreaterThanOrEqual(1);
});
