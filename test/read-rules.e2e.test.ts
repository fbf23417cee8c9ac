/**
 * Nobody reads a case they have no business with (issue 32, R1, the Law on personal data art. 8; OWASP API1 and
 * API5), through the real API, worker and PostgreSQL on the Temporal dev server (the stuck listing needs its
 * visibility), with keys bound as production binds them. Two cases of the Almaty department: A submitted by the
 * portal, refused, and complained of to the quality-control authority; B submitted by the Platform. Every reading
 * route, every staff route and the writes on a case are walked with every role's key, and the answer each must get
 * is written out below, not computed: a refused read of a case is 404, the same as an unknown one (no oracle); a
 * staff route refused to an outsider is 403; a write by a party the rules let act meets the case's state (409).
 * The submissions and complaints, which start cases, are walked by role in test/provider-units.api.test.ts.
 */
import { academicYearOf, sampleIin, sampleSubmission } from './helpers/applications';
import { inHours, READ_ONLY_KEY, startDevStack, type DevStack } from './helpers/dev-stack';
import { isDecisionRoute, signedByOfficial, signingDirIn } from './helpers/officials';
import { eventually, PATIENCE_MS, TEST_API_KEY } from './helpers/http';

const KEYS = {
  portal: 'read-portal-key-0123456789',
  platform: 'read-platform-key-0123456789',
  almaty: 'read-almaty-key-0123456789',
  astana: 'read-astana-key-0123456789',
  authority: 'read-authority-key-0123456789',
  support: READ_ONLY_KEY,
  operator: 'read-operator-key-0123456789',
  contactCentre: 'read-contact-centre-key-0123456789',
  administrator: TEST_API_KEY,
};
type Who = keyof typeof KEYS;
const SLOW_DESK = 'read-contact-centre-slow-key-0123456789';

let stack: DevStack;
/** A call as `who`; a decision as its official signs it (issue 31, helpers/officials.ts). */
const call = async (who: Who, method: string, route: string, body?: unknown): Promise<Awaited<ReturnType<typeof send>>> => {
  if (!isDecisionRoute(method, route)) return send(who, method, route, body);
  let last!: Awaited<ReturnType<typeof send>>;
  const answer = async (m: string, r: string, b?: unknown) => {
    last = await send(who, m, r, b);
    return { status: last.status, body: last.status < 500 && last.text ? last.json() : {} };
  };
  await signedByOfficial(
    (r, b) => answer('POST', r, b),
    (r) => answer('GET', r),
    route,
    body,
    signingDirIn(stack.dataDir),
  );
  return last;
};
const send = async (who: Who, method: string, route: string, body?: unknown) => {
  const response = await fetch(`${stack.baseUrl}${route}`, {
    method,
    redirect: 'manual',
    headers: { authorization: `Bearer ${KEYS[who]}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as { [k: string]: any } };
};

beforeAll(async () => {
  // the administrator's key and the support desk's come with the stack
  stack = await startDevStack('read-rules', {
    moreKeys: [
      { client: 'portal', key: KEYS.portal, scopes: ['submit', 'read'], role: 'portal' },
      { client: 'platform', key: KEYS.platform, scopes: ['submit', 'read'], role: 'platform' },
      { client: 'almaty-education', key: KEYS.almaty, scopes: ['decide', 'read'], role: 'provider', units: ['almaty-city-education-department'] },
      { client: 'astana-education', key: KEYS.astana, scopes: ['decide', 'read'], role: 'provider', units: ['astana-city-education-department'] },
      { client: 'qa-almaty', key: KEYS.authority, scopes: ['decide', 'read'], role: 'quality-authority', units: ['quality-authority-almaty-city'] },
      { client: 'operations', key: KEYS.operator, scopes: ['read', 'decode', 'operate'], role: 'operator' },
      { client: 'contact-centre-1414', key: KEYS.contactCentre, scopes: ['read'], role: 'contact-centre' },
      // a second desk of the contact centre, allowed three look-ups a minute
      { client: 'contact-centre-slow', key: SLOW_DESK, scopes: ['read'], role: 'contact-centre', rateLimitPerMinute: 3 },
    ],
  });
}, 3 * PATIENCE_MS);

afterAll(async () => {
  await stack?.stop();
});

const submission = async (serial: number, channel: 'portal' | 'platform') => {
  const at = inHours();
  return {
    // R2: the portal takes the leaders' categories, the Platform the teachers'
    ...sampleSubmission({
      iin: sampleIin(serial),
      category: channel === 'portal' ? 'researcher' : 'moderator',
      submittedAt: at,
      academicYear: academicYearOf(at),
      channel,
    }),
    providerUnit: 'almaty-city-education-department',
  };
};
const inState = (id: string, wanted: string) =>
  eventually(
    () => call('administrator', 'GET', `/applications/${id}`),
    (r) => r.json().state === wanted,
  );

test('every route × every role: a party reads and acts on its own, anyone else is told there is no such case or refused (R1)', async () => {
  // Case A: the portal's, refused by Almaty, complained of to the authority (its Almaty department reviews).
  const a = (await call('portal', 'POST', '/applications', await submission(3201, 'portal'))).json();
  await inState(a.applicationId, 'under-review');
  const refusal = {
    decision: 'refuse',
    grounds: [1],
    motivation: { kk: 'Диплом не подтвержден. (kk)', ru: 'Диплом не подтвержден.' },
    official: 'Динара Ахметова',
  };
  expect((await call('almaty', 'POST', `/applications/${a.applicationId}/decision`, refusal)).status).toBe(200);
  await inState(a.applicationId, 'notified');
  const filed = await call('portal', 'POST', `/applications/${a.applicationId}/complaints`, {
    addressee: 'quality-authority',
    subject: 'result',
    text: 'Диплом есть.',
  });
  expect([filed.status, filed.text]).toEqual([202, expect.stringContaining('complaintId')]);
  const complaint = filed.json();
  await eventually(
    () => stack.store.complaint.findUnique({ where: { id: complaint.complaintId } }),
    (row) => row !== null,
  );
  // Case B: the Platform's, for another teacher.
  const b = (await call('platform', 'POST', '/applications', await submission(3202, 'platform'))).json();
  await inState(b.applicationId, 'under-review');

  const routes = {
    caseA: ['GET', `/applications/${a.applicationId}`],
    complaintA: ['GET', `/complaints/${complaint.complaintId}`],
    cabinetA: ['GET', `/cabinets/${a.cabinetId}`],
    caseB: ['GET', `/applications/${b.applicationId}`],
    cabinetB: ['GET', `/cabinets/${b.cabinetId}`],
    stuck: ['GET', '/support/stuck'],
    storyA: ['GET', `/support/cases/${a.applicationId}`],
    console: ['GET', '/support/console'],
    consoleCaseA: ['GET', `/support/console/cases/${a.applicationId}`],
    consoleSignIn: ['POST', '/support/session'],
    codecDecode: ['POST', '/codec/decode', { payloads: [] }],
    codecSignIn: ['POST', '/codec/session'],
    // the writes on case A, decided and notified: a party the rules let act meets the case's state (409), nobody
    // else gets that far
    decideA: ['POST', `/applications/${a.applicationId}/decision`, { decision: 'accept', official: 'Динара Ахметова' }],
    withdrawA: ['POST', `/applications/${a.applicationId}/withdrawal`, {}],
    restartA: ['POST', `/support/cases/${a.applicationId}/restart`, { by: 'A. Operator', why: 'the walk of the routes' }],
    // R11: the contact centre's look-up of case A by its number and the teacher's IIN
    statusA: ['POST', '/contact-centre/status-lookups', { applicationId: a.applicationId, iin: sampleIin(3201) }],
  } as const;
  type Route = keyof typeof routes;
  // prettier-ignore
  const expected: Record<Who, Record<Route, number>> = {
    //              caseA complaintA cabinetA caseB cabinetB stuck storyA console consoleCaseA consoleSignIn codecDecode codecSignIn decideA withdrawA restartA statusA
    portal:        { caseA: 200, complaintA: 200, cabinetA: 200, caseB: 404, cabinetB: 404, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 409, restartA: 403, statusA: 403 },
    platform:      { caseA: 404, complaintA: 404, cabinetA: 404, caseB: 200, cabinetB: 200, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 403, restartA: 403, statusA: 403 },
    almaty:        { caseA: 200, complaintA: 200, cabinetA: 404, caseB: 200, cabinetB: 404, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 409, withdrawA: 403, restartA: 403, statusA: 403 },
    astana:        { caseA: 404, complaintA: 404, cabinetA: 404, caseB: 404, cabinetB: 404, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 403, restartA: 403, statusA: 403 },
    authority:     { caseA: 200, complaintA: 200, cabinetA: 404, caseB: 404, cabinetB: 404, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 403, restartA: 403, statusA: 403 },
    support:       { caseA: 200, complaintA: 200, cabinetA: 404, caseB: 200, cabinetB: 404, stuck: 200, storyA: 200, console: 200, consoleCaseA: 200, consoleSignIn: 204, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 403, restartA: 403, statusA: 403 },
    operator:      { caseA: 200, complaintA: 200, cabinetA: 404, caseB: 200, cabinetB: 404, stuck: 200, storyA: 200, console: 200, consoleCaseA: 200, consoleSignIn: 204, codecDecode: 200, codecSignIn: 204, decideA: 403, withdrawA: 403, restartA: 409, statusA: 403 },
    contactCentre: { caseA: 404, complaintA: 404, cabinetA: 404, caseB: 404, cabinetB: 404, stuck: 403, storyA: 403, console: 403, consoleCaseA: 403, consoleSignIn: 403, codecDecode: 403, codecSignIn: 403, decideA: 403, withdrawA: 403, restartA: 403, statusA: 200 },
    administrator: { caseA: 200, complaintA: 200, cabinetA: 200, caseB: 200, cabinetB: 200, stuck: 200, storyA: 200, console: 200, consoleCaseA: 200, consoleSignIn: 204, codecDecode: 200, codecSignIn: 204, decideA: 409, withdrawA: 409, restartA: 409, statusA: 200 },
  };

  const walked: Record<string, Record<string, number>> = {};
  const leaks: string[] = [];
  for (const who of Object.keys(KEYS) as Who[]) {
    walked[who] = {};
    for (const [name, [method, route, body]] of Object.entries(routes) as Array<[Route, readonly [string, string, unknown?]]>) {
      const answer = await call(who, method, route, body);
      walked[who][name] = answer.status;
      // A refused read says exactly what an unknown id would, and nothing of the case.
      if (answer.status === 404) {
        const error = answer.json().error;
        expect(error.code).toBe('not-found');
        expect(error.message).toMatch(/^no (application|complaint|cabinet) [0-9a-f-]{36}$/);
        if (answer.text.includes(sampleIin(3201)) || answer.text.includes('Диплом')) leaks.push(`${who} ${name}`);
      }
    }
  }
  expect(walked).toEqual(expected);
  expect(leaks).toEqual([]);
  // Every read that showed case A is on its record, by whom and through which route; a refused one is not.
  const record = await call('operator', 'GET', `/support/cases/${a.applicationId}/reads`);
  expect(record.status).toBe(200);
  const readers = new Set((record.json().reads as Array<{ client: string; role: string; route: string }>).map((r) => `${r.client} ${r.route}`));
  expect([...readers].sort()).toEqual([
    'almaty-education GET /applications/:id',
    'almaty-education GET /complaints/:id',
    'contact-centre-1414 POST /contact-centre/status-lookups',
    'e2e GET /applications/:id',
    'e2e GET /cabinets/:cabinetId',
    'e2e GET /complaints/:id',
    'e2e GET /support/cases/:id',
    'e2e GET /support/console/cases/:id',
    'e2e POST /contact-centre/status-lookups',
    'operations GET /applications/:id',
    'operations GET /complaints/:id',
    'operations GET /support/cases/:id',
    'operations GET /support/console/cases/:id',
    'portal GET /applications/:id',
    'portal GET /cabinets/:cabinetId',
    'portal GET /complaints/:id',
    'qa-almaty GET /applications/:id',
    'qa-almaty GET /complaints/:id',
    'support-desk GET /applications/:id',
    'support-desk GET /complaints/:id',
    'support-desk GET /support/cases/:id',
    'support-desk GET /support/console/cases/:id',
  ]);
  // the record is an operator's to read: a support desk's key (no operate scope) is refused
  expect((await call('support', 'GET', `/support/cases/${a.applicationId}/reads`)).status).toBe(403);

  // the 404 of a case one has no business with is word for word the 404 of a case that does not exist
  const nobody = '0f0e0d0c-0b0a-4909-8807-060504030201';
  const strange = (await call('astana', 'GET', `/applications/${a.applicationId}`)).json().error.message.replace(a.applicationId, nobody);
  expect(strange).toBe((await call('astana', 'GET', `/applications/${nobody}`)).json().error.message);
});

test('a cabinet holding applications of two systems shows each system its own only (R5, R11)', async () => {
  const first = (await call('portal', 'POST', '/applications', await submission(3203, 'portal'))).json();
  await inState(first.applicationId, 'under-review');
  expect((await call('portal', 'POST', `/applications/${first.applicationId}/withdrawal`, {})).status).toBe(200);
  await inState(first.applicationId, 'withdrawn');
  // The same teacher tries again through the Platform: one cabinet, two submitters.
  const second = (await call('platform', 'POST', '/applications', await submission(3203, 'platform'))).json();
  expect(second.cabinetId).toBe(first.cabinetId);
  await inState(second.applicationId, 'under-review');
  const ids = async (who: Who) =>
    (await call(who, 'GET', `/cabinets/${first.cabinetId}`)).json().applications.map((x: { applicationId: string }) => x.applicationId);
  expect(await ids('portal')).toEqual([first.applicationId]);
  expect(await ids('platform')).toEqual([second.applicationId]);
  expect(await ids('administrator')).toEqual([first.applicationId, second.applicationId]);
});

test('a sign-out ends the session on the server: the same cookie, kept, opens nothing afterwards (issue 32)', async () => {
  for (const [kind, signIn, page, signOut, signedOut] of [
    ['support', '/support/session', '/support/console', '/support/console/sign-out', 303],
    ['codec', '/codec/session', '/codec/decode', '/codec/sign-out', 204],
  ] as const) {
    const opened = await fetch(`${stack.baseUrl}${signIn}`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.operator}` } });
    expect([kind, opened.status]).toEqual([kind, 204]);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0];
    const visit = () =>
      fetch(`${stack.baseUrl}${page}`, {
        method: kind === 'codec' ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie, ...(kind === 'codec' && { 'content-type': 'application/json' }) },
        body: kind === 'codec' ? JSON.stringify({ payloads: [] }) : undefined,
      });
    expect([kind, (await visit()).status]).toEqual([kind, 200]);
    const out = await fetch(`${stack.baseUrl}${signOut}`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect([kind, out.status, out.headers.get('set-cookie')]).toEqual([kind, signedOut, expect.stringContaining('Max-Age=0')]);
    // the copy of the cookie a thief kept: the console sends it to sign in again, the codec refuses it
    expect([kind, (await visit()).status]).toEqual([kind, kind === 'codec' ? 401 : 303]);
  }
  expect(await stack.store.revokedSession.count()).toBeGreaterThanOrEqual(2);
});

test('the contact centre (R11) reads a status by number and IIN: the state, the dates and the next step in Kazakh and Russian, nothing else; a wrong IIN is an unknown number; its key has its own pace', async () => {
  const applied = (await call('portal', 'POST', '/applications', await submission(3204, 'portal'))).json();
  await inState(applied.applicationId, 'under-review');
  const lookUp = (who: Who | 'slow', body: unknown) =>
    who === 'slow'
      ? fetch(`${stack.baseUrl}/contact-centre/status-lookups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SLOW_DESK}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as { [k: string]: any } }))
      : call(who, 'POST', '/contact-centre/status-lookups', body).then((r) => ({ status: r.status, json: r.json() }));

  const found = await lookUp('contactCentre', { applicationId: applied.applicationId, iin: sampleIin(3204) });
  expect(found.status).toBe(200);
  // Nothing beyond the status: no name, no IIN, no documents, no decision's grounds.
  expect(Object.keys(found.json).sort()).toEqual(
    [
      'applicationId',
      'complaintPeriodEndsAt',
      'decidedAt',
      'decisionDueAt',
      'nextStep',
      'overdue',
      'registeredAt',
      'state',
      'status',
      'submittedAt',
    ].sort(),
  );
  expect(found.json).toMatchObject({
    applicationId: applied.applicationId,
    state: 'under-review',
    status: { ru: 'на рассмотрении', kk: 'қаралуда' },
  });
  expect(found.json.nextStep.ru).toMatch(
    /^(Заявление рассматривается услугодателем\. Срок решения — |Срок решения \()\d+ [а-я]+ 20\d\d г\., \d\d:\d\d/,
  );
  expect(found.json.nextStep.kk).toMatch(/Шешім шығару мерзімі/);
  expect(found.json.nextStep.kk).not.toMatch(/[а-яё]{3,} г\./); // no Russian date in the Kazakh sentence

  // A wrong IIN (valid, another teacher's) answers word for word what an unknown number does.
  const wrongIin = await lookUp('contactCentre', { applicationId: applied.applicationId, iin: sampleIin(3205) });
  const unknown = await lookUp('contactCentre', { applicationId: '0f0e0d0c-0b0a-4909-8807-060504030201', iin: sampleIin(3204) });
  expect([wrongIin.status, unknown.status]).toEqual([404, 404]);
  expect(wrongIin.json).toEqual(unknown.json);
  expect(wrongIin.json.error).toEqual({ code: 'not-found', field: 'applicationId', rule: null, message: 'no application with this number and IIN' });
  // A malformed look-up is refused naming the field.
  expect((await lookUp('contactCentre', { applicationId: applied.applicationId, iin: '123456789012' })).json.error).toMatchObject({ field: 'iin' });
  expect((await lookUp('contactCentre', { applicationId: 'A-1', iin: sampleIin(3204) })).json.error).toMatchObject({ field: 'applicationId' });

  // Decided: the next step is the cabinet and the period to complain.
  expect(
    (await call('almaty', 'POST', `/applications/${applied.applicationId}/decision`, { decision: 'accept', official: 'Динара Ахметова' })).status,
  ).toBe(200);
  await inState(applied.applicationId, 'notified');
  const decided = await lookUp('contactCentre', { applicationId: applied.applicationId, iin: sampleIin(3204) });
  expect(decided.json).toMatchObject({ state: 'notified', status: { ru: 'результат в кабинете', kk: 'нәтиже кабинетте' } });
  expect(decided.json.nextStep.ru).toMatch(/^Решение вынесено, результат — в личном кабинете\. Срок подачи жалобы — /);
  expect(decided.json.nextStep.kk).toMatch(/^Шешім шығарылды, нәтиже жеке кабинетте\. Шағым беру мерзімі — 20\d\d жылғы/);

  // A desk allowed three look-ups a minute gets its fourth refused with 429.
  const pace = [];
  for (let i = 0; i < 4; i++) pace.push((await lookUp('slow', { applicationId: applied.applicationId, iin: sampleIin(3204) })).status);
  expect(pace).toEqual([200, 200, 200, 429]);
});
