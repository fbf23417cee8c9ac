/**
 * Who may act on a case is read from facts fixed before its start, and a fact that cannot be read refuses
 * (issue 29, R1): through the real API, worker and PostgreSQL on the time-skipping server.
 * - A case whose row no activity has written yet (its task queue has no worker) is judged by the search
 *   attributes it was started with: at once, without waiting for a row, and the submitter's own, not "anyone's".
 * - An unknown case is 404; with Temporal unreachable, or the store unreadable, a decision or a withdrawal is 503
 *   and the case is as it was.
 */
import { Client, Connection } from '@temporalio/client';
import { parseApiKeys } from '../client/api/auth';
import { createStore, type Store } from '../infra/store';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { PATIENCE_MS, eventually, type HttpAnswer } from './helpers/http';
import { freePort } from './helpers/ports';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';
import { isDecisionRoute, signedByOfficial, signingDirOf } from './helpers/officials';

const KEYS = { portal: 'k-portal-0123456789abcdef', platform: 'k-platform-0123456789abcdef', almaty: 'k-almaty-0123456789abcdef' };
let stack: TimeSkippingStack;
const unreachable: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await startTimeSkippingStack('entitlement', {
    apiKeys: parseApiKeys(
      JSON.stringify([
        { client: 'portal', key: KEYS.portal, scopes: ['submit', 'read'], role: 'portal' },
        { client: 'platform', key: KEYS.platform, scopes: ['submit', 'read'], role: 'platform' },
        { client: 'almaty-education', key: KEYS.almaty, scopes: ['decide', 'read'], role: 'provider', units: ['almaty-city-education-department'] },
      ]),
    ),
  });
}, 3 * PATIENCE_MS);

afterAll(async () => {
  for (const part of unreachable) await part.close().catch(() => {});
  await stack?.stop();
});

/** A call with `key`; a decision as its official signs it (issue 31, helpers/officials.ts). */
async function call(baseUrl: string, key: string, method: string, route: string, body?: unknown): Promise<HttpAnswer> {
  const signingDir = signingDirOf(baseUrl);
  if (!signingDir || !isDecisionRoute(method, route)) return send(baseUrl, key, method, route, body);
  return signedByOfficial(
    (r, b) => send(baseUrl, key, 'POST', r, b),
    (r) => send(baseUrl, key, 'GET', r),
    route,
    body,
    signingDir,
  );
}

async function send(baseUrl: string, key: string, method: string, route: string, body?: unknown): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as HttpAnswer['body'] };
}

const acceptance = { decision: 'accept', official: 'Head of the department' };
let serial = 0;
const submission = async (submittedAt: string) =>
  sampleSubmission({ iin: sampleIin(900 + ++serial), category: 'researcher', channel: 'portal', submittedAt });

test('a case not yet recorded is judged by the facts it started with, at once: a system that did not submit it may not withdraw it (R1)', async () => {
  // No worker polls this queue: the workflow starts, and no activity ever writes its row.
  const frozen = await stack.anotherApi({ taskQueue: 'entitlement-nobody-polls' });
  const submitted = await call(frozen, KEYS.portal, 'POST', '/applications', await submission(await stack.atNextWorkingMoment()));
  expect(submitted.status).toBe(202);
  const id = submitted.body.applicationId as string;
  expect(await stack.store.application.count({ where: { id } })).toBe(0);

  const started = Date.now();
  const byPlatform = await call(frozen, KEYS.platform, 'POST', `/applications/${id}/withdrawal`, {});
  expect(byPlatform.status).toBe(403);
  expect(byPlatform.body.error).toMatchObject({ code: 'not-entitled', rule: 'R1' });
  expect(byPlatform.body.error.message).toContain('did not submit this application');
  // No wait for a row that never comes (the old door polled for five seconds, then let any submitting system in).
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(await stack.store.application.count({ where: { id } })).toBe(0);
});

test('an unknown case is 404 at the door, before any update is sent', async () => {
  const nobody = '0f0e0d0c-0b0a-4909-8807-060504030201';
  for (const [key, route, body] of [
    [KEYS.portal, `/applications/${nobody}/withdrawal`, {}],
    [KEYS.almaty, `/applications/${nobody}/decision`, acceptance],
    [KEYS.almaty, `/complaints/${nobody}/decision`, { outcome: 'upheld', motivation: { kk: 'x (kk)', ru: 'x' }, official: 'Head' }],
  ] as const) {
    const answer = await call(stack.baseUrl, key, 'POST', route, body);
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'not-found', field: 'id' });
  }
});

test(
  'with Temporal unreachable or the store unreadable, a decision and a withdrawal answer 503, and the case is as it was',
  async () => {
    const submitted = await call(stack.baseUrl, KEYS.portal, 'POST', '/applications', await submission(await stack.atNextWorkingMoment()));
    expect(submitted.status).toBe(202);
    const id = submitted.body.applicationId as string;
    const view = async () => (await call(stack.baseUrl, KEYS.portal, 'GET', `/applications/${id}`)).body;
    const before = await eventually(view, (v) => v.state === 'under-review', PATIENCE_MS);

    // A frontend nobody listens on: every call to Temporal fails as unreachable.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 1_000 });
    unreachable.push(connection);
    const noTemporal = await stack.anotherApi({ client: new Client({ connection }) });
    // A PostgreSQL nobody listens on: every read of the store fails.
    const deadStore: Store = createStore(`postgresql://nobody@127.0.0.1:${await freePort()}/none?connect_timeout=1`);
    unreachable.push({ close: () => deadStore.$disconnect() });
    const noStore = await stack.anotherApi({ store: deadStore });

    for (const base of [noTemporal, noStore]) {
      const decided = await call(base, KEYS.almaty, 'POST', `/applications/${id}/decision`, acceptance);
      expect(decided.status).toBe(503);
      expect(decided.body.error.code).toBe('unavailable');
      const withdrawn = await call(base, KEYS.portal, 'POST', `/applications/${id}/withdrawal`, {});
      expect(withdrawn.status).toBe(503);
      expect(withdrawn.body.error.code).toBe('unavailable');
    }
    // A case the store does not know yet cannot be told from an unknown one while Temporal is unreachable: 503, not 404.
    const unknownNow = await call(noTemporal, KEYS.portal, 'POST', `/applications/0f0e0d0c-0b0a-4909-8807-0605040302aa/withdrawal`, {});
    expect(unknownNow.status).toBe(503);
    expect(await view()).toEqual(before);
    // The client's own retries make each unreachable call take about 20 s before it answers.
  },
  3 * PATIENCE_MS,
);
