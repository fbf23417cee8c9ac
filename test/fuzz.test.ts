/**
 * Bad input at volume (issue 7): thousands of malformed and hostile requests against the real API, Temporal dev
 * server and PostgreSQL. Every one must get a clear 4xx — a stable code, the field at fault (only a body that is
 * not JSON at all has none), words — and none may start a workflow or write a row.
 */
import path from 'node:path';
import fc from 'fast-check';
import { Client, Connection } from '@temporalio/client';
import { parseApiKeys } from '../client/api/auth';
import { startDevServer, type RunningDevServer } from '../devtools/temporal-server';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { TEST_API_KEY } from './helpers/http';
import { freePort } from './helpers/ports';
import { startHttpSide, startTestDatabase, type HttpSide, type TestDatabase } from './helpers/service';

let database: TestDatabase;
let server: RunningDevServer;
let connection: Connection;
let client: Client;
let httpSide: HttpSide;

beforeAll(async () => {
  database = await startTestDatabase('attestation-fuzz-');
  server = await startDevServer({
    dataDir: database.dataDir,
    port: await freePort(),

    logFile: path.join(database.dataDir, 'temporal.log'),
  });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  httpSide = await startHttpSide({
    client,
    store: database.store,
    taskQueue: 'fuzz',
    identitySecret: 'fuzz',
    apiKeys: parseApiKeys(JSON.stringify([{ client: 'fuzz', key: TEST_API_KEY, scopes: ['submit', 'decide', 'read'], role: 'administrator' }])),
  });
}, 180_000);

afterAll(async () => {
  await httpSide?.stop();
  await connection?.close();
  await server?.stop();
  await database?.stop();
});

const HOSTILE = [
  `'; DROP TABLE "Application"; --`,
  `" OR 1=1 --`,
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '${jndi:ldap://evil/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '\u0000',
  '\uD800', // a lone surrogate
  '\u202Eevil', // right-to-left override
  'Z̴̡̢̛̗̘̙̜̝̞̟̠̀́͂̓̈́',
  '🧑‍🏫'.repeat(500),
  'ж'.repeat(300_000),
  ' ',
  '',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 5 }),
  fc.integer({ min: 50, max: 1000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);
const FIELDS = [
  'iin',
  'fullName',
  'category',
  'channel',
  'providerUnit',
  'academicYear',
  'submittedAt',
  'personalDataConsent',
  'essay',
  'documents',
] as const;
type Body = Record<string, unknown>;

/** A change that makes any submission invalid, whatever else the body holds. */
const breakage: fc.Arbitrary<(b: Body) => Body> = fc.oneof(
  fc.constantFrom(...FIELDS.filter((f) => f !== 'submittedAt')).map((f) => (b: Body) => {
    const { [f]: _gone, ...rest } = b;
    return rest;
  }),
  fc
    .tuple(fc.constantFrom(...FIELDS.filter((f) => f !== 'fullName' && f !== 'providerUnit' && f !== 'essay')), fc.oneof(hostileString, wrongType))
    // values the field would take: any boolean is a valid consent (false is refused later, by R9); no documents is valid
    .filter(([f, v]) => !(f === 'personalDataConsent' && typeof v === 'boolean') && !(f === 'documents' && Array.isArray(v) && v.length === 0))
    .map(([f, v]) => (b: Body) => ({ ...b, [f]: v })),
  fc.tuple(fc.constantFrom('fullName', 'providerUnit', 'essay'), wrongType).map(([f, v]) => (b: Body) => ({ ...b, [f]: v })),
  fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', '$where', 'salary')), fc.oneof(hostileString, wrongType)).map(
    ([k, v]) =>
      (b: Body) =>
        FIELDS.includes(k as (typeof FIELDS)[number]) ? { ...b, iin: v === null ? 1 : null } : { ...b, [k]: v },
  ),
  fc
    .record({ kind: fc.oneof(hostileString, wrongType), fileName: fc.oneof(hostileString, wrongType), sha256: fc.oneof(hostileString, wrongType) })
    .map((doc) => (b: Body) => ({ ...b, documents: [doc] })),
);

/** Hostile but well-formed text in the free-text fields, so that the breakage is not the only odd thing. */
const decoration = fc.record({ fullName: hostileString, providerUnit: hostileString, essay: hostileString }, { requiredKeys: [] });

async function post(route: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${httpSide.baseUrl}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': contentType },
    body,
  });
  const text = await response.text();
  let json: { error?: { code?: unknown; field?: unknown; message?: unknown } } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // asserted below
  }
  return { status: response.status, json, text };
}

/** A refusal as the API promises it: a 4xx, a stable code, the field (unless the body is not JSON), words. */
function expectClearRefusal(answer: Awaited<ReturnType<typeof post>>, context: unknown): void {
  const { status, json } = answer;
  const problem =
    status < 400 || status >= 500
      ? `status ${status}`
      : typeof json.error?.code !== 'string'
        ? 'no error code'
        : typeof json.error.message !== 'string' || json.error.message.length === 0
          ? 'no message'
          : json.error.code !== 'malformed-body' && (typeof json.error.field !== 'string' || json.error.field.length === 0)
            ? 'no field named'
            : null;
  if (problem) throw new Error(`${problem} for ${JSON.stringify(context).slice(0, 300)}: ${answer.text.slice(0, 300)}`);
}

describe('bad input at volume (real API, Temporal and PostgreSQL)', () => {
  test('2 000 broken and hostile submissions: each a clear 4xx naming the field; nothing started or stored', async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(breakage, decoration, async (breakIt, decorate) => {
        const body = breakIt({ ...sampleSubmission({ iin: sampleIin(20_000 + serial++), submittedAt: new Date().toISOString() }), ...decorate });
        expectClearRefusal(await post('/applications', JSON.stringify(body)), body);
      }),
      { numRuns: 2000 },
    );
    expect(await database.store.application.count()).toBe(0);
    expect(await database.store.idempotentRequest.count()).toBe(0);
    expect((await client.workflow.count()).count).toBe(0);
  });

  test('bodies that are not an application at all: not JSON, not an object, nested deep, too large', async () => {
    const raw = fc.oneof(
      hostileString,
      fc.json(),
      fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      fc.constantFrom('{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"x": 1}}}', 'x'.repeat(2_000_000), '{"iin": "1"'),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (text) => expectClearRefusal(await post('/applications', text), text)),
      { numRuns: 500 },
    );
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await post('/applications', 'iin=1', type);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    expect(await database.store.application.count()).toBe(0);
    expect((await client.workflow.count()).count).toBe(0);
  });

  test('decisions, withdrawals and complaints with hostile ids and bodies: a clear 4xx each', async () => {
    const encodable = (s: string) => {
      try {
        return encodeURIComponent(s);
      } catch {
        return null; // a lone surrogate cannot be put in a URL at all
      }
    };
    const id = fc.oneof(
      fc.uuid(),
      hostileString.filter((s) => s.length > 0 && s.length < 200 && encodable(s) !== null).map((s) => encodable(s)!),
    );
    const route = fc.tuple(
      fc.constantFrom('/applications/:id/decision', '/applications/:id/withdrawal', '/applications/:id/complaints', '/complaints/:id/decision'),
      id,
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        fc.oneof(fc.dictionary(hostileString, fc.oneof(hostileString, wrongType), { maxKeys: 4 }), wrongType),
        async ([pattern, value], body) => {
          const answer = await post(pattern.replace(':id', value), JSON.stringify(body));
          // A well-formed body for an unknown case is a 404 naming the id: also a clear refusal.
          expectClearRefusal(answer, { pattern, value, body });
        },
      ),
      { numRuns: 800 },
    );
    expect((await client.workflow.count()).count).toBe(0);
  });

  test('the body every breakage starts from is taken as it is, so each refusal above was for its breakage alone', async () => {
    const control = await post('/applications', JSON.stringify(sampleSubmission({ iin: sampleIin(19_999), submittedAt: new Date().toISOString() })));
    expect({ status: control.status, error: control.json.error }).toEqual({ status: 202, error: undefined });
  });
});
