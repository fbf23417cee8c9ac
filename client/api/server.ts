/**
 * The HTTP API for upstream systems (the e-government portal, the Platform, the State Corporation), providers,
 * the quality-control authority and operators. Thin: routes by tag (routes/), the submission use case
 * (submission.ts), rules and guards from domain/, refusals answered from one table (refusals.ts).
 */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_SUBMISSION_MAX_DELAY_MS } from '../../domain/application';
import { mayUseStaffViews } from '../../domain/authority';
import { SHIPPED_SCHEDULE } from '../../domain/standards';
import { workflowIdFor } from '../../infra/identity';
import { temporalNotReady } from '../../infra/temporal-setup';
import { shippedProviderUnits } from '../../infra/provider-units';
import { loadAuthorisedPersons, SHIPPED_AUTHORISED_PERSONS_FILE } from '../../infra/authorised-persons';
import { LocalSignatureVerifier } from '../../infra/signature-verifier';
import { authenticate, keyTagOf, type ApiClient } from './auth';
import { sendUpdate } from './cases';
import { registerCodecServer } from './codec-server';
import { BrowserSessions, sessionId } from './sessions';
import { isSessionRevoked } from '../../infra/revoked-sessions';
import { claim, settle } from './idempotency';
import { CASE_ID_SCHEMA, type RouteDoc } from './openapi';
import type { ApiDeps, ApiRoutes, Handler } from './routing';
import { refuse, refuseBadId, UUID, type ApiRefusal } from './refusals';
import { applicationRoutes } from './routes/applications';
import { cabinetRoutes } from './routes/cabinets';
import { contactCentreRoutes } from './routes/contact-centre';
import { complaintRoutes } from './routes/complaints';
import { serviceRoutes } from './routes/service';
import { stateCorporationRoutes } from './routes/state-corporation';
import { supportRoutes } from './routes/support';
import { supportConsoleRoutes } from './routes/support-console';
import { recordedState } from '../../infra/case-store';
import { SpanKind, inSpan } from '../../infra/tracing';

export type { ApiDeps } from './routing';

/** Requests a client may send in a minute unless RATE_LIMIT_PER_MINUTE says otherwise: ten a second, sustained. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

/**
 * Failed authentications an address may make in a minute unless AUTH_FAILURES_PER_MINUTE says otherwise (issue 32):
 * enough for a person who mistypes a key, too few to guess one.
 */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 10;

/** The deepest a request body may nest: ours nest three levels (a document in a list in the body). */
export const MAX_BODY_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `limit` (walked without recursion). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node as object)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The methods the API takes on a concrete path, from the routes' definitions (a GET is also taken as HEAD): a
 * route's path parameters must have their documented form, so `/applications/decision` (an id "." folded away)
 * is no resource of the API and stays a 404.
 */
export function methodsServing(routes: readonly RouteDoc[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) if (pathPattern(r).test(path)) methods.add(r.method).add(r.method === 'GET' ? 'HEAD' : r.method);
  return [...methods].sort();
}

const pathPatterns = new WeakMap<RouteDoc, RegExp>();
/** A route's path as a regular expression, each parameter by the pattern of its schema. */
function pathPattern(route: RouteDoc): RegExp {
  let pattern = pathPatterns.get(route);
  if (!pattern) {
    const segments = route.url.split('/').map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const param = route.params?.[segment.slice(1)];
      const schema = typeof param === 'object' ? param.schema : CASE_ID_SCHEMA;
      return typeof schema.pattern === 'string' ? `(?:${schema.pattern.replace(/^\^|\$$/g, '')})` : '[^/]+';
    });
    pattern = new RegExp(`^${segments.join('/')}$`);
    pathPatterns.set(route, pattern);
  }
  return pattern;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the authenticated caller */
    apiClient?: ApiClient;
    /** the idempotency record this request answers, when it carries a key */
    idempotencyId?: string;
  }
}

/**
 * Builds the API (not yet listening): every route of routes/ registered from its definition, with its key and
 * scope checked before the body is used, idempotent routes answering a repeated key once, and every refusal in
 * the shape `{ error: { code, field, rule, message } }` with its status from refusals.ts.
 */
export function buildApi(options: ApiDeps): FastifyInstance {
  const deps: ApiRoutes['deps'] = {
    now: () => new Date(),
    submissionMaxDelayMs: DEFAULT_SUBMISSION_MAX_DELAY_MS,
    campaignWindows: [],
    standardSchedule: SHIPPED_SCHEDULE,
    ...options,
    units: options.units ?? shippedProviderUnits(),
    authorisedPersons: options.authorisedPersons ?? loadAuthorisedPersons(SHIPPED_AUTHORISED_PERSONS_FILE, options.units ?? shippedProviderUnits()),
    signatureVerifier: options.signatureVerifier ?? new LocalSignatureVerifier(() => options.trustAnchorsPem?.() ?? ''),
  };
  const { store, apiKeys, codec, codecCorsOrigins = ['http://localhost:8233', 'http://127.0.0.1:8233'] } = deps;
  // Behind a load balancer the caller's address is the one it forwards (TRUST_PROXY), or every caller would share
  // the balancer's: the rate limits and the failed-authentication limit count by it.
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 1_048_576, trustProxy: deps.trustProxy ?? false });
  const routes: RouteDoc[] = [];
  // Issue 36: every answer counted and timed, for the alerts on the error rate and the latency.
  deps.metrics?.observe(app);
  // Browser sessions under a secret of their own, each bound to the key that opened it and honoured while that key
  // is configured with the scope: a key removed from the configuration ends its sessions (issue 32).
  const sessions = new BrowserSessions(
    deps.codecSessionSecret ?? `codec-session|${deps.identitySecret}`,
    (client, keyTag) => apiKeys.find((k) => k.client === client && keyTagOf(k.digest) === keyTag),
    deps.secureCookies ?? false,
  );

  // Per client, counted after its key is checked (the route's own onRequest runs first): an authenticated
  // caller by its client name, whatever address it comes from, at its key's own limit if it has one; anyone
  // else by address. 429 with Retry-After.
  const perMinute = deps.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  app.register(rateLimit, {
    global: true,
    max: (request) => request.apiClient?.rateLimitPerMinute ?? perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.apiClient ? `client:${request.apiClient.client}` : `address:${request.ip}`),
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      refusal: {
        code: 'rate-limited',
        field: null,
        rule: null,
        message: `${request.apiClient ? `client ${request.apiClient.client}` : 'this address'} sent more than ${context.max} requests in a minute; retry in ${context.after}`,
      } satisfies ApiRefusal,
    }),
  });
  // Routes are added once the limiter is loaded, so each gets its hook.
  let scope: FastifyInstance = app;
  /** Counts a failed authentication of the request's address: exceeded once it made more than its minute allows. */
  let countAuthFailure: ReturnType<FastifyInstance['createRateLimit']>;

  // JSON as Fastify parses it (prototype poisoning refused), and no deeper than a request of ours can be: a body
  // nested deeper is refused before anything walks it (a deep one would overflow the stack of what does).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      if (nestedDeeperThan(value, MAX_BODY_DEPTH)) {
        return done(Object.assign(new Error(`the body is nested deeper than ${MAX_BODY_DEPTH} levels`), { statusCode: 400 }), undefined);
      }
      done(null, value);
    }),
  );

  // The console's sign-out is a plain HTML form: its (empty) form body is accepted and not read.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));

  /**
   * Registers a route from its definition: the caller's key is checked for the route's scope before its body is
   * read (an unknown caller costs no parsing), an idempotent route answers a repeated key once, and the
   * definition joins the OpenAPI document.
   */
  function route(doc: RouteDoc, handler: Handler): void {
    routes.push(doc);
    scope.route<{ Params: Record<string, string> }>({
      method: doc.method,
      url: doc.url,
      // A load balancer's probe is never turned away.
      ...(doc.url === '/healthz' && { config: { rateLimit: false } }),
      onRequest: async (request, reply) => {
        if (doc.scope === null) return;
        let caller = authenticate(request.headers.authorization, apiKeys);
        if (!caller && doc.session && !request.headers.authorization) {
          caller = sessions.verify(doc.session, request.headers.cookie);
          // a session its holder signed out of is ended on every API process (issue 32)
          const token = caller && sessions.tokenIn(doc.session, request.headers.cookie);
          if (token && (await isSessionRevoked(store, sessionId(token)))) caller = null;
        }
        // A page asked for by a browser without a session: to its sign-in page, back here afterwards.
        if (!caller && doc.signInPage && !request.headers.authorization)
          return reply.redirect(`${doc.signInPage}?${new URLSearchParams({ then: request.url })}`, 303);
        if (!caller) {
          // Issue 32: an address that keeps failing is held back, whatever keys it tries (never one that knows a key).
          const failures = await countAuthFailure(request);
          if (!failures.isAllowed && failures.isExceeded) {
            reply.header('retry-after', String(failures.ttlInSeconds));
            return refuse(reply, {
              code: 'rate-limited',
              field: 'Authorization',
              rule: null,
              message: `this address failed to authenticate more than ${deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE} times in a minute; retry in ${failures.ttlInSeconds} s`,
            });
          }
          reply.header('www-authenticate', 'Bearer');
          return refuse(reply, { code: 'unauthenticated', field: 'Authorization', rule: null, message: 'send Authorization: Bearer <API key>' });
        }
        if (!caller.scopes.includes(doc.scope)) {
          return refuse(reply, {
            code: 'forbidden',
            field: 'Authorization',
            rule: null,
            message: `client ${caller.client} lacks the ${doc.scope} scope this route needs`,
          });
        }
        // OWASP API5: the support views, the console, the codec and their sign-ins are the service's staff's.
        const notStaff = doc.tag === 'support' ? mayUseStaffViews(caller) : null;
        if (notStaff) return refuse(reply, notStaff);
        request.apiClient = caller;
      },
      preHandler: async (request, reply) => {
        if (doc.scope === null || !doc.idempotent) return;
        const caller = request.apiClient!;
        const found = await claim(store, request, caller.client);
        if (found.kind === 'refused') return refuse(reply, found.refusal);
        if (found.kind === 'replay') return reply.code(found.status).header('idempotent-replayed', 'true').send(found.body);
        if (found.kind === 'first') request.idempotencyId = found.id;
      },
      // Issue 36: the request's span, the parent of what it asks of a workflow (infra/tracing.ts); a caller that
      // sends its own `traceparent` gets its trace continued. Named by the route's pattern: no id, no IIN.
      handler: (request, reply) =>
        inSpan(
          `${doc.method} ${doc.url}`,
          {
            kind: SpanKind.SERVER,
            attributes: { 'http.request.method': doc.method, 'http.route': doc.url },
            traceparent: typeof request.headers.traceparent === 'string' ? request.headers.traceparent : null,
          },
          async (span) => {
            const answer = await handler(request, reply);
            span.setAttribute('http.response.status_code', reply.statusCode);
            return answer;
          },
        ),
    });
  }

  const updateApplication: ApiRoutes['updateApplication'] = async (
    id,
    reply,
    send,
    refused,
    closedMessage = (state) => `the application is closed (${state})`,
    answered = 200,
    whenFinished,
  ) => {
    if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
    // The case store tells a finished case's state, read once for both the refusal and another way in.
    let stored: Promise<string | null> | undefined;
    const state = () => (stored ??= recordedState(store, id));
    const message = async () => closedMessage((await state()) ?? 'finished');
    const finished = whenFinished && (async () => whenFinished(await state()));
    return sendUpdate(
      deps.client,
      reply,
      { workflowId: workflowIdFor(id), what: 'application', id, closed: { ...refused, message }, ...(finished && { finished }) },
      send,
      answered,
    );
  };

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.idempotencyId) await settle(store, request.idempotencyId, reply, payload);
    return payload;
  });

  // Every answer (issue 32): its type is the one declared, never sniffed; and a browser that met the service over
  // HTTPS (behind its TLS proxy) keeps to HTTPS.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });

  // A body that is not JSON is refused with the same error shape as any other bad input.
  app.setErrorHandler((error: { statusCode?: number; message: string; refusal?: ApiRefusal }, _request, reply) => {
    if (error.refusal) {
      if (error.refusal.code === 'unavailable') app.log.warn({ err: error }, error.message);
      return refuse(reply, error.refusal);
    }
    // Temporal not answering, or not set up for the service: the request was fine, the server is not ready (503).
    const notReady = temporalNotReady(error);
    if (notReady) {
      app.log.warn({ err: error }, 'Temporal is not ready');
      return refuse(reply, { code: 'unavailable', field: null, rule: null, message: notReady });
    }
    // Fastify's own refusals of a body, in the one table (refusals.ts) like every other.
    if (error.statusCode === 413)
      return refuse(reply, { code: 'body-too-large', field: 'body', rule: null, message: 'the body is larger than 1 MiB' });
    if (error.statusCode === 415) {
      return refuse(reply, { code: 'unsupported-media-type', field: 'Content-Type', rule: null, message: 'send the body as application/json' });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      app.log.error(error);
      return refuse(reply, { code: 'internal', field: null, rule: null, message: 'internal error' });
    }
    return reply.code(status).send({
      error: { code: 'malformed-body', field: null, rule: null, message: `the body could not be read as JSON: ${error.message.slice(0, 300)}` },
    });
  });

  // A path the API serves, asked with a method it does not take: 405 with the methods it does (RFC 9110 §15.5.6),
  // before the body is read — whatever the method, a body of its own or none.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const allowed = methodsServing(routes, request.url.split('?')[0]);
    if (allowed.length === 0) return;
    reply.header('allow', allowed.join(', '));
    return refuse(reply, {
      code: 'method-not-allowed',
      field: 'method',
      rule: null,
      message: `${request.method.slice(0, 20)} is not a method of this path; it takes ${allowed.join(', ')}`,
    });
  });

  // A route the API does not have answers in the API's own shape: a mistyped path, or an id such as "." that the
  // caller's URL handling folded away (/applications/./decision reaches the server as /applications/decision).
  app.setNotFoundHandler((request, reply) =>
    refuse(reply, { code: 'not-found', field: 'path', rule: null, message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}` }),
  );

  app.register(async (api) => {
    scope = api;
    countAuthFailure = api.createRateLimit({
      max: deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (request) => `auth-failure:${request.ip}`,
    });
    const modules: ApiRoutes = { route, deps, routes, updateApplication, sessions };
    applicationRoutes(modules);
    cabinetRoutes(modules);
    contactCentreRoutes(modules);
    stateCorporationRoutes(modules);
    complaintRoutes(modules);
    if (codec) registerCodecServer({ app: api, route, codec, sessions, corsOrigins: codecCorsOrigins, store });
    supportRoutes(modules);
    supportConsoleRoutes(modules);
    serviceRoutes(modules);
  });
  return app;
}
