/**
 * The API's contract, without servers: the OpenAPI document and the registered routes are the same list, every
 * body the document describes is refused by the API the way the document says, and every route but the public
 * ones refuses a caller without a key or without the scope (issue 6).
 */
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createStore, type Store } from '../infra/store';
import { buildApi, type ApiDeps } from '../client/api/server';
import { createApiMetrics, serveMetrics, splitAddress } from '../client/api/metrics';
import { authenticate, keyEntry, parseApiKeys } from '../client/api/auth';
import { EncryptionCodec } from '../infra/payload-codec';
import { sampleIin } from './helpers/applications';
import { academicYearOf } from './helpers/clock';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const KEYS = [
  { client: 'portal', key: 'portal-key-0123456789abcdef', scopes: ['submit', 'read'], role: 'administrator' },
  { client: 'provider', key: 'provider-key-0123456789abcd', scopes: ['decide'], role: 'administrator' },
  { client: 'operator', key: 'operator-key-0123456789abcd', scopes: ['read', 'decode', 'operate'], role: 'operator' },
];
let app: FastifyInstance;
let store: Store;
type Operation = {
  operationId: string;
  security: Array<Record<string, string[]>>;
  requestBody?: { content: { 'application/json': { schema: { required?: string[]; additionalProperties?: unknown } } } };
};
let doc: { paths: Record<string, Record<string, Operation>> };

/** The API under contract, answering without Temporal or the database (both connected lazily), with `options` on top. */
const contractApi = (options: Partial<ApiDeps> = {}) =>
  buildApi({
    client: new Client(),
    store,
    taskQueue: 'contract',
    identitySecret: 'contract',
    apiKeys: parseApiKeys(JSON.stringify(KEYS)),
    ...options,
  });

beforeAll(async () => {
  // Nothing here reaches Temporal or the database: both are connected lazily and no request gets that far.
  store = createStore('postgresql://nobody@127.0.0.1:1/none');
  app = contractApi({
    codec: new EncryptionCodec({ current: 'k', keys: { k: randomBytes(32) } }),
    // These tests refuse hundreds of unknown callers from one address: the limit on that is tested by itself (below).
    authFailuresPerMinute: 1_000_000,
  });
  await app.ready();
  doc = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body);
});
afterAll(async () => {
  await app?.close();
  await store?.$disconnect();
});

/** The routes fastify serves, from its route tree (HEAD is fastify's twin of GET; OPTIONS answers CORS preflights). */
function servedRoutes(): string[] {
  const served: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line.trimEnd());
    if (!match) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    for (const method of match[3].split(', '))
      if (method !== 'HEAD' && method !== 'OPTIONS') served.push(`${method} ${stack.join('').replace(/:(\w+)/g, '{$1}')}`);
  }
  return served.sort();
}

const documented = () =>
  Object.entries(doc.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

const scopedOperations = () =>
  Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, op]) => op.security.length > 0)
      .map(([method, op]) => ({
        method: method.toUpperCase() as 'GET' | 'POST',
        url: path.replace(/\{\w+\}/g, '00000000-0000-8000-8000-000000000001'),
        scope: op.security[0].apiKey[0],
        op,
      })),
  );

describe('the API contract', () => {
  test('the OpenAPI document lists exactly the routes the API serves', () => {
    expect(servedRoutes()).toEqual(documented());
    expect(documented()).toEqual(expect.arrayContaining(['POST /applications/{id}/complaints', 'POST /codec/decode', 'GET /openapi.json']));
  });

  test('every documented body is refused as documented: a missing required field, and an unknown field, named', async () => {
    const withBodies = scopedOperations().filter((o) => o.op.requestBody);
    expect(withBodies.length).toBeGreaterThanOrEqual(5);
    expect(withBodies.filter((o) => (o.op.requestBody!.content['application/json'].schema.required ?? []).length === 0).length).toBeGreaterThan(0);
    for (const { method, url, scope, op } of withBodies) {
      const key = KEYS.find((k) => k.scopes.includes(scope))!.key;
      const schema = op.requestBody!.content['application/json'].schema;
      expect(schema.additionalProperties).toBe(false);
      const required = schema.required ?? [];
      const empty = await app.inject({ method, url, payload: {}, headers: { authorization: `Bearer ${key}` } });
      if (required.length > 0) {
        expect([op.operationId, empty.statusCode]).toEqual([op.operationId, 400]);
        expect(required).toContain(empty.json().error.field);
        expect(empty.json().error.code).toBe('missing-field');
      } else {
        // nothing required: an empty body is a body of the right form (the case it names may not exist)
        expect([op.operationId, empty.json().error?.code]).not.toEqual([op.operationId, 'missing-field']);
        expect([op.operationId, empty.statusCode]).not.toEqual([op.operationId, 400]);
      }
      const unknown = await app.inject({ method, url, payload: { surprise: 1 }, headers: { authorization: `Bearer ${key}` } });
      expect([op.operationId, unknown.statusCode]).toEqual([op.operationId, 400]);
      // the unknown field is named, or a required one that is missing beside it
      expect(['surprise', ...required]).toContain(unknown.json().error.field);
    }
  });

  test('every scoped route refuses a caller without a key (401), with an unknown key (401) or without the scope (403)', async () => {
    const routes = scopedOperations();
    expect(new Set(routes.map((r) => r.scope))).toEqual(new Set(['submit', 'decide', 'read', 'decode', 'operate']));
    for (const { method, url, scope } of routes) {
      const anonymous = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      if (url.startsWith('/support/console')) {
        // A page of the support console: a browser without a session is sent to sign in, and back afterwards.
        expect([url, anonymous.statusCode]).toEqual([url, 303]);
        expect(anonymous.headers.location).toBe(`/support/console/sign-in?then=${encodeURIComponent(url)}`);
      } else {
        expect([url, anonymous.statusCode]).toEqual([url, 401]);
        expect(anonymous.headers['www-authenticate']).toBe('Bearer');
        expect(anonymous.json().error.code).toBe('unauthenticated');
      }
      const forged = await app.inject({ method, url, headers: { authorization: 'Bearer not-a-key-of-ours-at-all' } });
      expect(forged.statusCode).toBe(401);
      const lacking = KEYS.find((k) => !k.scopes.includes(scope))!;
      const refused = await app.inject({
        method,
        url,
        payload: method === 'POST' ? {} : undefined,
        headers: { authorization: `Bearer ${lacking.key}` },
      });
      expect([url, refused.statusCode]).toEqual([url, 403]);
      expect(refused.json().error).toMatchObject({ code: 'forbidden', field: 'Authorization' });
      expect(refused.json().error.message).toContain(`lacks the ${scope} scope`);
    }
  });

  test("the served document passes Redocly's recommended rules: no error, and no warning but the public routes that answer no 4xx", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const lint = spawnSync(path.join(__dirname, '..', 'node_modules', '.bin', 'redocly'), ['lint', file, '--format=json'], { encoding: 'utf8' });
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number };
      problems: Array<{ ruleId: string; severity: string; location: Array<{ pointer: string }> }>;
    };
    expect(report.totals.errors).toBe(0);
    // The health probe takes no input, needs no key and is never rate-limited: it has no 4xx to give (every other
    // route may answer 429); the console's search and sign-out answer by sending the browser on (303).
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0].pointer}`).sort()).toEqual([
      'warn operation-2xx-response #/paths/~1support~1console~1cases/get/responses',
      'warn operation-2xx-response #/paths/~1support~1console~1sign-out/post/responses',
      'warn operation-4xx-response #/paths/~1healthz/get/responses',
    ]);
  });

  test('the public routes answer without a key', async () => {
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/signing-certificate' })).statusCode).toBe(404); // none given here
  });
});

describe('the API under abuse', () => {
  const portalKey = KEYS.find((k) => k.client === 'portal')!.key;
  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/applications', payload, headers: { 'content-type': 'application/json', ...headers } });

  test('an unknown caller is refused before its body is read: bad JSON without a key is 401, not 400', async () => {
    const stranger = await post('{"iin": ');
    expect(stranger.statusCode).toBe(401);
    expect(stranger.json().error.code).toBe('unauthenticated');
    expect((await post('{"iin": ', { authorization: `Bearer ${portalKey}` })).json().error.code).toBe('malformed-body');
  });

  test('a route the API does not have is a 404 in its own shape, naming the path (an id "." folded away by the caller\'s URL)', async () => {
    const folded = await app.inject({
      method: 'POST',
      url: new URL('http://localhost/applications/./decision').pathname,
      payload: '{}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${portalKey}` },
    });
    expect(folded.statusCode).toBe(404);
    expect(folded.json()).toEqual({
      error: { code: 'not-found', field: 'path', rule: null, message: 'no route POST /applications/decision' },
    });
  });

  test('a body nested deeper than any request of ours is refused with 400, with or without an idempotency key', async () => {
    const deep = (n: number) => `{"essay":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
    for (const headers of [{}, { 'idempotency-key': 'deep-1' }] as Array<Record<string, string>>) {
      for (const depth of [40, 100_000]) {
        const answer = await post(deep(depth), { authorization: `Bearer ${portalKey}`, ...headers });
        expect([depth, answer.statusCode]).toEqual([depth, 400]);
        expect(answer.json().error).toMatchObject({ code: 'malformed-body', message: expect.stringContaining('nested deeper than 32 levels') });
      }
    }
    // a body of the usual depth still reaches validation, which names the field
    expect((await post(deep(2), { authorization: `Bearer ${portalKey}` })).json().error.field).not.toBeNull();
  });

  test('a query parameter outside its bounds is refused naming it, never 500', async () => {
    const reader = { authorization: `Bearer ${KEYS.find((k) => k.scopes.includes('read'))!.key}` };
    for (const url of [
      '/support/stuck?closedWithinDays=200000000',
      '/support/stuck?retryingLongerThanSeconds=99999999999999999999',
      '/support/stuck?closedWithinDays=-1',
    ]) {
      const answer = await app.inject({ method: 'GET', url, headers: reader });
      expect([url, answer.statusCode]).toEqual([url, 400]);
      expect(answer.json().error.message).toMatch(/must be a whole number from 0 to \d+/);
    }
  });
});

describe('submittedAt and the rate limit', () => {
  const portal = { authorization: `Bearer ${KEYS[0].key}`, 'content-type': 'application/json' };
  const submission = (submittedAt: string) =>
    JSON.stringify({
      iin: sampleIin(77),
      fullName: 'Айгуль Нурланова',
      category: 'moderator',
      channel: 'platform',
      providerUnit: 'almaty-city-education-department',
      purpose: 'assign',
      academicYear: academicYearOf(submittedAt),
      submittedAt,
      personalDataConsent: true,
      essay: 'e',
      documents: [],
    });

  test('a submittedAt months ahead or months back is refused with 400 naming it and its bounds, before anything is stored', async () => {
    // The store here cannot be reached: a refusal that needed it would be a 500.
    for (const at of [
      '2099-01-01T10:00:00+05:00',
      new Date(Date.now() + 3_600_000).toISOString(),
      new Date(Date.now() - 300 * 86_400_000).toISOString(),
      new Date(Date.now() - 8 * 86_400_000).toISOString(),
    ]) {
      const answer = await app.inject({ method: 'POST', url: '/applications', headers: portal, payload: submission(at) });
      expect([at, answer.statusCode]).toEqual([at, 400]);
      expect(answer.json().error).toMatchObject({
        code: 'invalid-field',
        field: 'submittedAt',
        message: expect.stringMatching(/must lie between .* nor more than 7 day\(s\) behind it \(SUBMISSION_MAX_DELAY\)$/),
      });
    }
  });

  test('a client past its requests per minute gets 429 with Retry-After; another client is not held back; a public route counts by address', async () => {
    const limited = contractApi({ rateLimitPerMinute: 3 });
    try {
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      // a route with a scope, answered without Temporal or the database (a bad query parameter is 400)
      const url = '/support/stuck?closedWithinDays=-1';
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.inject({ method: 'GET', url, headers: as(KEYS[0].key) })).statusCode);
      expect(statuses).toEqual([400, 400, 400, 429]);
      const refused = await limited.inject({ method: 'GET', url, headers: as(KEYS[0].key) });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json()).toEqual({
        error: {
          code: 'rate-limited',
          field: null,
          rule: null,
          message: expect.stringMatching(/^client portal sent more than 3 requests in a minute; retry in/),
        },
      });
      // counted by client, not by address: the operator, from the same address, is served
      expect((await limited.inject({ method: 'GET', url, headers: as(KEYS[2].key) })).statusCode).toBe(400);
      // a public route counts by address
      const publicStatuses = [];
      for (let i = 0; i < 4; i++) publicStatuses.push((await limited.inject({ method: 'GET', url: '/provider-units' })).statusCode);
      expect(publicStatuses).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });

  test('failed authentications are limited per address (8 wrong keys at 3 a minute: three 401s, then 429); a caller with a key is not held back', async () => {
    const guarded = (trustProxy?: boolean) => contractApi({ authFailuresPerMinute: 3, ...(trustProxy && { trustProxy }) });
    const url = '/support/stuck?closedWithinDays=-1';
    const attempt = (api: FastifyInstance, key: string, remoteAddress: string, forwardedFor?: string) =>
      api.inject({
        method: 'GET',
        url,
        remoteAddress,
        headers: { authorization: `Bearer ${key}`, ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) },
      });
    const api = guarded();
    try {
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await attempt(api, `guessed-key-${i}-0123456789`, '10.0.0.1')).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
      const held = await attempt(api, 'guessed-key-9-0123456789', '10.0.0.1');
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(held.json().error).toMatchObject({
        code: 'rate-limited',
        field: 'Authorization',
        message: expect.stringMatching(/failed to authenticate more than 3 times in a minute/),
      });
      // another address is not held back, nor is a caller who holds a key (from the same address)
      expect((await attempt(api, 'guessed-key-0-0123456789', '10.0.0.2')).statusCode).toBe(401);
      expect((await attempt(api, KEYS[2].key, '10.0.0.1')).statusCode).toBe(400);
      // Behind a balancer without TRUST_PROXY every caller is the balancer: one bucket for all...
      for (let i = 0; i < 3; i++) await attempt(api, 'guessed-key-x-0123456789', '10.0.0.9', `203.0.113.${i}`);
      expect((await attempt(api, 'guessed-key-x-0123456789', '10.0.0.9', '203.0.113.50')).statusCode).toBe(429);
    } finally {
      await api.close();
    }
    // ...and with it, each caller by the address the balancer forwards.
    const behind = guarded(true);
    try {
      for (let i = 0; i < 3; i++) await attempt(behind, 'guessed-key-x-0123456789', '10.0.0.9', '203.0.113.1');
      expect((await attempt(behind, 'guessed-key-x-0123456789', '10.0.0.9', '203.0.113.1')).statusCode).toBe(429);
      expect((await attempt(behind, 'guessed-key-x-0123456789', '10.0.0.9', '203.0.113.2')).statusCode).toBe(401);
    } finally {
      await behind.close();
    }
  });
});

describe("the API's metrics (issue 36)", () => {
  test('every answer is counted by method, route pattern and status, and timed; no id reaches a label; served apart from the API', async () => {
    const metrics = createApiMetrics();
    const measured = contractApi({ metrics });
    const server = await serveMetrics(metrics.registry, '127.0.0.1:0');
    try {
      const id = '0f0e0d0c-0b0a-4909-8807-060504030201';
      await measured.inject({ method: 'GET', url: '/openapi.json' });
      await measured.inject({ method: 'GET', url: '/openapi.json' });
      await measured.inject({ method: 'GET', url: `/applications/${id}` }); // no key: 401
      await measured.inject({ method: 'GET', url: `/no-such-route/${sampleIin(7)}` });
      const { port } = server.address() as { port: number };
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await scraped.text();
      expect(text).toMatch(/^attestation_api_requests_total\{method="GET",route="\/openapi.json",status="200"\} 2$/m);
      expect(text).toMatch(/^attestation_api_requests_total\{method="GET",route="\/applications\/:id",status="401"\} 1$/m);
      expect(text).toMatch(/^attestation_api_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
      expect(text).toMatch(/^attestation_api_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/openapi.json"\} 2$/m);
      expect(text).not.toContain(id);
      expect(text).not.toContain(sampleIin(7));
      // the public port serves no metrics
      expect((await measured.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    } finally {
      server.close();
      await measured.close();
    }
  });

  test('a metrics address that is not host:port is refused naming the setting', () => {
    expect(() => splitAddress('9465')).toThrow(/API_METRICS_ADDRESS must be host:port/);
    expect(() => splitAddress('0.0.0.0:99999')).toThrow(/API_METRICS_ADDRESS must be host:port/);
    expect(splitAddress('[::1]:9465')).toEqual(['::1', 9465]);
  });
});

describe('API keys', () => {
  test('a configuration may hold digests only, and a key is matched in constant time against them', () => {
    const keys = parseApiKeys(JSON.stringify([keyEntry('platform', 'the-platform-secret-key', ['read'])]));
    expect(JSON.stringify(keyEntry('platform', 'the-platform-secret-key'))).not.toContain('the-platform-secret-key');
    expect(authenticate('Bearer the-platform-secret-key', keys)).toEqual({
      client: 'platform',
      scopes: ['read'],
      role: 'administrator',
      units: [],
      // which key: a tag of its digest (sessions are bound to it), never the key
      keyTag: createHash('sha256').update('the-platform-secret-key').digest('hex').slice(0, 16),
    });
    expect(authenticate('Bearer the-platform-secret-kez', keys)).toBeNull();
    expect(authenticate('Basic dXNlcjpwYXNz', keys)).toBeNull();
    expect(authenticate(undefined, keys)).toBeNull();
  });

  test('a bad configuration is refused naming the entry and the field', () => {
    expect(() => parseApiKeys('[{"client":"x","key":"short","scopes":["read"],"role":"support"}]')).toThrow(
      /API_KEYS: 0\.key: must be at least 16 characters/,
    );
    expect(() => parseApiKeys('[{"client":"x","key":"long-enough-key-123","scopes":["admin"],"role":"support"}]')).toThrow(
      /API_KEYS: 0\.scopes\.0: must be one of submit, decide, read/,
    );
    expect(() => parseApiKeys('{')).toThrow(/API_KEYS is not JSON/);
    // issue 32: the fault's position, never a fragment of the text (which is part of a key)
    for (const broken of ['[{"client":"x","key":"secret-material-0123', '[{"client":"x","key": secret-material-0123}]']) {
      expect(() => parseApiKeys(broken)).toThrow(/^API_KEYS is not JSON: (it ends too early|an unexpected character)/);
      expect(() => parseApiKeys(broken)).not.toThrow(/secret-material/);
    }
    // a colon would let two clients' idempotency keys (client:key) name one record
    expect(() => parseApiKeys('[{"client":"portal:a","key":"long-enough-key-123","scopes":["read"],"role":"portal"}]')).toThrow(
      /API_KEYS: 0\.client: must be letters, digits/,
    );
    expect(() => parseApiKeys('[]')).toThrow(/at least one key/);
  });

  test("a rotation lists the old key in the client's one entry: both keys are that client; two entries of one client, or one key twice, are refused", () => {
    const sha = (key: string) => createHash('sha256').update(key).digest('hex');
    const entry = {
      client: 'portal',
      key: 'portal-new-key-0123456789',
      previousSha256: sha('portal-old-key-0123456789'),
      scopes: ['submit', 'read'],
      role: 'portal',
    };
    const keys = parseApiKeys(JSON.stringify([entry]));
    expect(authenticate('Bearer portal-old-key-0123456789', keys)).toMatchObject({ client: 'portal', role: 'portal', units: [] });
    expect(authenticate('Bearer portal-new-key-0123456789', keys)).toMatchObject({ client: 'portal', role: 'portal' });
    // two keys, two tags: a session opened with one ends when that one is removed
    expect(authenticate('Bearer portal-new-key-0123456789', keys)!.keyTag).not.toBe(authenticate('Bearer portal-old-key-0123456789', keys)!.keyTag);
    const { previousSha256: _, ...single } = entry;
    expect(() => parseApiKeys(JSON.stringify([single, { ...single, key: 'portal-other-key-0123456789' }]))).toThrow(
      'API_KEYS: keys 0 and 1 both name client portal; one entry per client (a rotation gives the old key as previousSha256)',
    );
    expect(() => parseApiKeys(JSON.stringify([single, { ...single, client: 'platform', role: 'platform' }]))).toThrow(
      'API_KEYS: a key of client platform is listed twice',
    );
  });

  test('every key names its role: a key without one is no administrator, it is refused naming the entry', () => {
    expect(() => parseApiKeys('[{"client":"ops","key":"long-enough-key-123","scopes":["read"]}]')).toThrow(
      'API_KEYS: 0.role: every key names its role: one of portal, platform, state-corporation, provider, quality-authority, contact-centre, support, operator, administrator',
    );
    expect(() => parseApiKeys('[{"client":"ops","key":"long-enough-key-123","scopes":["read"],"role":"root"}]')).toThrow(
      /API_KEYS: 0\.role: must be one of portal/,
    );
  });
});
