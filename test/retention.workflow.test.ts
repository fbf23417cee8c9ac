/**
 * The retention (issue 36; Law on personal data, art. 12), under time skipping against a real PostgreSQL: records of
 * every kind are written at one moment, and the retention workflow runs just before and just after each period of
 * the shipped policy (domain/retention-policy.json): before it nothing of the kind is touched, after it the kind is
 * deleted or anonymised, and nothing of an open case ever is. The periods are written here as the policy's order
 * gives them, not read from it.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createCaseStoreActivities } from '../activities/case-store';
import { createRetentionActivities } from '../activities/retention';
import type { RetentionKind, RetentionReport } from '../domain/retention';
import { receivedStatus } from '../domain/case-status';
import { shippedProviderUnits } from '../infra/provider-units';
import { loadRetentionPolicy, SHIPPED_RETENTION_POLICY_FILE } from '../infra/retention-policy';
import { retentionWorkflow } from '../workflows';
import { sampleIin, sampleInput } from './helpers/applications';
import { startTestDatabase, type TestDatabase } from './helpers/service';
import { fakeActivities, freshServerPerTest, serverTime, skipTo, testClient, withWorker } from './helpers/workflow-harness';

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase('attestation-retention-');
}, 120_000);
afterAll(async () => {
  await database?.stop();
});
freshServerPerTest();

/** The shipped policy's periods, as the operator's order states them. */
const PERIODS: Array<[Exclude<RetentionKind, 'temporal-history'>, { days?: number; years?: number }]> = [
  ['idempotency-record', { days: 30 }],
  ['outbox-message', { days: 90 }],
  ['essay', { years: 1 }],
  ['complaint-text', { years: 1 }],
  ['access-record', { years: 3 }],
  ['document', { years: 5 }],
  ['case-record', { years: 5 }],
];

let serial = 0;

/** A case in the store, closed at `closedAt` (or open), with a complaint, a signed document and a read. */
async function seedCase(at: Date, closed: boolean) {
  const { store } = database;
  const input = sampleInput(at.toISOString(), { iin: sampleIin(36_000 + serial++) });
  await createCaseStoreActivities({ store, units: shippedProviderUnits() }).recordApplication(
    input,
    receivedStatus({
      applicationId: input.applicationId,
      standard: 'standard-2',
      channel: input.channel,
      submittedAt: input.submittedAt,
      custody: null,
    }),
  );
  const id = input.applicationId;
  await store.application.update({
    where: { id },
    data: { cabinetId: `cabinet-${id}`, ...(closed ? { state: 'closed', closedAt: at } : { state: 'under-review' }) },
  });
  await store.complaint.create({
    data: {
      id: randomUUID(),
      workflowId: `complaint-${id}`,
      applicationId: id,
      addressee: 'provider',
      text: 'The refusal ignored my diploma.',
      restorationReason: 'I was in hospital.',
      grounds: [],
      attachments: [{ fileName: 'diploma-scan.pdf', sha256: 'a'.repeat(64) }],
      contestedRound: 1,
      state: 'decided',
      submittedAt: at,
      registeredAt: at,
      dueAt: at,
    },
  });
  await store.notice.create({
    data: { noticeKey: `${id}:acceptance:ru`, applicationId: id, kind: 'acceptance', body: 'Уведомление', createdAt: at },
  });
  await store.caseRead.create({ data: { applicationId: id, client: 'portal', role: 'administrator', route: 'GET /applications/:id', at } });
  await store.outboxMessage.create({
    data: { key: `${id}:delivered`, channel: 'notifier', caseId: id, payload: {}, status: 'delivered', createdAt: at, deliveredAt: at },
  });
  await store.outboxMessage.create({ data: { key: `${id}:dead`, channel: 'notifier', caseId: id, payload: {}, status: 'dead', createdAt: at } });
  await store.idempotentRequest.create({ data: { id: `portal:${id}`, client: 'portal', requestHash: 'h', createdAt: at, completedAt: at } });
  return { id, iin: input.iin, essay: input.essay };
}

type Seeded = Awaited<ReturnType<typeof seedCase>>;

/** Which kinds of a case's records are still as written. */
async function kept({ id, iin, essay }: Seeded): Promise<Record<Exclude<RetentionKind, 'temporal-history'>, boolean>> {
  const { store } = database;
  const application = await store.application.findUniqueOrThrow({ where: { id } });
  const complaint = await store.complaint.findFirstOrThrow({ where: { applicationId: id } });
  return {
    'idempotency-record': (await store.idempotentRequest.count({ where: { id: `portal:${id}` } })) === 1,
    'outbox-message': (await store.outboxMessage.count({ where: { key: `${id}:delivered` } })) === 1,
    essay: application.input !== null && JSON.parse(application.input).essay === essay,
    'complaint-text': complaint.text !== '' && complaint.restorationReason !== null && (complaint.attachments as unknown[]).length === 1,
    'access-record': (await store.caseRead.count({ where: { applicationId: id } })) === 1,
    document: (await store.notice.count({ where: { applicationId: id } })) === 1,
    'case-record': application.iin === iin && application.fullName !== '' && application.cabinetId !== null,
  };
}

let runs = 0;
const retain = (taskQueue: string): Promise<RetentionReport[]> =>
  testClient().workflow.execute(retentionWorkflow, { taskQueue, workflowId: `retention-${runs++}` });

test('each kind of record is kept to the end of its period and deleted or anonymised after it; an open case keeps everything but its access, outbox and idempotency records', async () => {
  const { store } = database;
  const policy = loadRetentionPolicy(SHIPPED_RETENTION_POLICY_FILE);
  expect(Object.fromEntries(PERIODS)).toEqual(Object.fromEntries(PERIODS.map(([kind]) => [kind, policy[kind].keep])));
  const t0 = new Date(await serverTime());
  const closed = await seedCase(t0, true);
  const open = await seedCase(t0, false);
  // The records of an open case that run from their own moment, not the case's close.
  const ownClock = new Set(['idempotency-record', 'outbox-message', 'access-record']);

  await withWorker({ ...fakeActivities().activities, ...createRetentionActivities({ store, policy }) }, async (taskQueue) => {
    // The periods' ends in order; kinds sharing a period end together.
    const ends = [...new Set(PERIODS.map(([, p]) => DateTime.fromJSDate(t0).plus(p).toMillis()))];
    for (const endMs of ends) {
      const end = DateTime.fromMillis(endMs);
      const ending = PERIODS.filter(([, p]) => DateTime.fromJSDate(t0).plus(p).toMillis() === endMs).map(([k]) => k);
      const over = PERIODS.filter(([, p]) => DateTime.fromJSDate(t0).plus(p).toMillis() <= endMs).map(([k]) => k);
      const stillKept = (k: string) => !(over as string[]).includes(k);

      await skipTo(end.minus({ days: 1 }).toJSDate());
      await retain(taskQueue);
      const before = await kept(closed);
      for (const k of ending) expect([k, 'a day before its period ends', before[k]]).toEqual([k, 'a day before its period ends', true]);

      await skipTo(end.plus({ days: 1 }).toJSDate());
      const reports = await retain(taskQueue);
      const after = await kept(closed);
      // Every kind whose period is over is done; every other is as written.
      expect(
        Object.entries(after)
          .filter(([, v]) => v)
          .map(([k]) => k),
      ).toEqual(PERIODS.map(([k]) => k).filter(stillKept));
      for (const k of ending) expect([k, reports.find((r) => r.kind === k)!.count]).toEqual([k, 2 - Number(!ownClock.has(k))]);
      const openKept = await kept(open);
      for (const k of Object.keys(openKept) as Array<keyof typeof openKept>) {
        expect([k, 'of the open case', openKept[k]]).toEqual([k, 'of the open case', !(ownClock.has(k) && over.includes(k))]);
      }
    }
    // The dead letter is never the retention's: an operator resolves it.
    expect(await store.outboxMessage.count({ where: { key: { in: [`${closed.id}:dead`, `${open.id}:dead`] } } })).toBe(2);
    // Anonymised, the case keeps its stages and its decision, without the person.
    const row = await store.application.findUniqueOrThrow({ where: { id: closed.id } });
    expect(row).toMatchObject({ iin: '', fullName: '', cabinetId: null, input: null, holdsYear: null, state: 'closed' });
    expect(row.anonymisedAt).not.toBeNull();
    // A second run at the same moment finds nothing more (every batch is idempotent).
    expect((await retain(taskQueue)).map((r) => [r.kind, r.count])).toEqual(PERIODS.map(([k]) => [k, 0]).sort(byKindOrder));
  });
}, 120_000);

/** The report lists the kinds in the order the workflow takes them (documents before the case's record). */
const ORDER = ['essay', 'complaint-text', 'document', 'case-record', 'access-record', 'outbox-message', 'idempotency-record'];
const byKindOrder = (a: Array<string | number>, b: Array<string | number>) => ORDER.indexOf(a[0] as string) - ORDER.indexOf(b[0] as string);

test('a kind with more records than a batch holds is taken in batches to the last; a case reopened is open again and keeps its records', async () => {
  const { store } = database;
  const policy = loadRetentionPolicy(SHIPPED_RETENTION_POLICY_FILE);
  const t0 = new Date(await serverTime());
  const cases: Seeded[] = [];
  for (let i = 0; i < 5; i++) cases.push(await seedCase(t0, true));
  // Reopened by an upheld complaint (R13): its close is cleared, and its periods have not begun.
  await store.application.update({ where: { id: cases[4].id }, data: { state: 'under-review', closedAt: null } });

  await withWorker({ ...fakeActivities().activities, ...createRetentionActivities({ store, policy, batchSize: 2 }) }, async (taskQueue) => {
    await skipTo(DateTime.fromJSDate(t0).plus({ years: 1, days: 1 }).toJSDate());
    const reports = await retain(taskQueue);
    expect(reports.find((r) => r.kind === 'essay')?.count).toBeGreaterThanOrEqual(4);
    for (const c of cases.slice(0, 4)) expect((await kept(c)).essay).toBe(false);
    expect((await kept(cases[4])).essay).toBe(true);
    expect((await kept(cases[4]))['complaint-text']).toBe(true);
  });
}, 120_000);
