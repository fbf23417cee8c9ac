/**
 * The API's routes as one definition (issue 6): each route is registered from its `RouteDoc`, and the OpenAPI
 * document served at `/openapi.json` is built from the same list and the same zod schemas that validate the
 * requests, so the document cannot describe an API that is not there.
 */
import { z } from 'zod';
import type { Scope } from './auth';
import { SESSION_KINDS, type SessionKind } from './sessions';
import { UUID } from '../../domain/case-ids';

/** A JSON Schema, as the OpenAPI document carries it. */
export type JsonSchema = Record<string, unknown>;

/** A parameter of the path or the query: what it is, and its schema (a path's is a case id unless said). */
export interface ParamDoc {
  description: string;
  schema: JsonSchema;
}

/** A case's id in a path: a UUID in lower case (domain/case-ids.ts), the form the API takes and nothing else. */
export const CASE_ID_SCHEMA: JsonSchema = { type: 'string', format: 'uuid', pattern: UUID.source };

export interface RouteDoc {
  method: 'GET' | 'POST';
  /** fastify style: /applications/:id */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'applications' | 'state-corporation' | 'complaints' | 'cabinets' | 'contact-centre' | 'support' | 'service';
  /** the scope a caller's key needs; null for public routes */
  scope: Scope | null;
  /** a path parameter in words is a case id (CASE_ID_SCHEMA); one of another form gives its schema */
  params?: Record<string, string | ParamDoc>;
  /** a query parameter in words is any text; one of a narrower form gives its schema */
  query?: Record<string, string | ParamDoc>;
  body?: z.ZodType;
  /**
   * status → the schema of its JSON answer (answers.ts): each success, and an error status that does not answer
   * the Error schema (the health check's 503); an HTML page or a PEM file is a string, a 204 or 303 has none
   */
  answers?: Partial<Record<number, z.ZodType>>;
  /** also accepts a browser session of this kind (sessions.ts) in place of a bearer key */
  session?: SessionKind;
  /** an HTML page: a browser without a session is sent to this sign-in page instead of a 401 */
  signInPage?: string;
  /** takes an Idempotency-Key (or X-Request-Id): the same request twice is answered once */
  idempotent?: boolean;
  /** status → what it means; error statuses answer the Error schema (413, 415, 429 and 503 are added: see ANSWERED_BY_EVERY_ROUTE) */
  responses: Record<number, string>;
  /** the media type of a successful answer, JSON unless said */
  produces?: string;
  /**
   * OpenAPI links of a successful answer: the operations its ids lead to (an integrator's generator and the
   * conformance fuzzer follow them), each parameter named by where in the answer its value is
   */
  links?: ReadonlyArray<{ status: number; to: readonly string[]; parameters: Record<string, string> }>;
  /** error statuses answered with a page of `produces` (a console's "no such case") rather than the Error JSON */
  errorPages?: readonly number[];
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'field', 'rule', 'message'],
      properties: {
        code: {
          type: 'string',
          description:
            'stable, machine-readable: invalid-field, missing-field, unknown-field, malformed-body, duplicate-application, outside-campaign, decision-not-allowed, complaint-not-allowed, unauthenticated, forbidden, idempotency-key-reused, request-in-progress, not-found, …',
        },
        field: { type: ['string', 'null'], description: 'the field of the request at fault, dotted (documents.0.sha256)' },
        rule: { type: ['string', 'null'], description: 'the rule of the service standard broken (R2, R10, R13 …)' },
        message: { type: 'string', description: 'in words, for a person' },
      },
    },
  },
};

const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

/** The refusals any route may give, whatever it is: the rate limit, and Temporal or the store not answering. */
const ANSWERED_BY_EVERY_ROUTE: Record<number, string> = {
  429: 'the client sent more requests in a minute than its limit (RATE_LIMIT_PER_MINUTE); Retry-After says when to try again',
};
/** What a route that reads a case or a body may also answer. */
const ANSWERED_BY_CASE_ROUTES: Record<number, string> = {
  503: 'Temporal or the case store is not answering, or the case is being recorded: the request was fine, try again shortly',
};
const ANSWERED_WITH_A_BODY: Record<number, string> = {
  413: 'the body is larger than 1 MiB',
  415: 'the body is not application/json',
};
/** Statuses that carry no body: 204 No Content, and a redirect (its Location says where). */
const WITHOUT_BODY = new Set([204, 303]);

const paramDoc = (param: string | ParamDoc, words: JsonSchema): ParamDoc =>
  typeof param === 'string' ? { description: param, schema: words } : param;

/** A successful answer's content: its schema from the route's `answer`, text for a page or a file, none for 204/303. */
function successContent(r: RouteDoc, status: number) {
  if (status === 303) return { headers: { Location: { description: 'where to go', schema: { type: 'string' } } } };
  if (WITHOUT_BODY.has(status)) return {};
  // An error status with a schema of its own (the health check's 503) answers JSON whatever the route produces.
  const answer = r.answers?.[status];
  const mediaType = status >= 400 && !r.errorPages?.includes(status) ? 'application/json' : (r.produces ?? 'application/json');
  const { $schema: _dialect, ...schema } = (
    mediaType === 'application/json' ? (answer ? z.toJSONSchema(answer, { io: 'output', unrepresentable: 'any' }) : {}) : { type: 'string' }
  ) as JsonSchema;
  return { content: { [mediaType]: { schema } } };
}

/** An idempotency key as idempotency.ts takes it: 1 to 200 visible ASCII characters. */
const IDEMPOTENCY_KEY_SCHEMA: JsonSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[!-~]+$' };

/** A status's links, one per operation it leads to. */
function linksOf(links: NonNullable<RouteDoc['links']>) {
  return Object.fromEntries(links.flatMap(({ to, parameters }) => to.map((operationId) => [operationId, { operationId, parameters }])));
}

/** The OpenAPI 3.1 document of the routes. */
export function openApiDocument(routes: readonly RouteDoc[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, param]) => ({ name, in: 'path', required: true, ...paramDoc(param, CASE_ID_SCHEMA) })),
      ...Object.entries(r.query ?? {}).map(([name, param]) => ({ name, in: 'query', required: false, ...paramDoc(param, { type: 'string' }) })),
      ...(r.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'the same key with the same body is answered with the first answer, once; with another body, 422',
              schema: IDEMPOTENCY_KEY_SCHEMA,
            },
            {
              name: 'X-Request-Id',
              in: 'header',
              required: false,
              description: "the upstream's own request id, used as the Idempotency-Key when that header is absent",
              schema: IDEMPOTENCY_KEY_SCHEMA,
            },
          ]
        : []),
    ];
    const answered = {
      ...r.responses,
      ...(r.body && ANSWERED_WITH_A_BODY),
      ...((r.params || r.body) && r.scope && ANSWERED_BY_CASE_ROUTES),
      ...(r.url !== '/healthz' && ANSWERED_BY_EVERY_ROUTE),
    };
    const responses = Object.fromEntries(
      Object.entries(answered).map(([status, description]) => [
        status,
        Number(status) >= 400 && !r.answers?.[Number(status)] && !r.errorPages?.includes(Number(status))
          ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
          : {
              description,
              ...successContent(r, Number(status)),
              ...(r.links?.some((l) => l.status === Number(status)) && { links: linksOf(r.links.filter((l) => l.status === Number(status))) }),
            },
      ]),
    );
    paths[openApiPath(r.url)] ??= {};
    paths[openApiPath(r.url)][r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description && { description: r.description }),
      tags: [r.tag],
      security: r.scope ? [{ apiKey: [r.scope] }, ...(r.session ? [{ [`${r.session}Session`]: [r.scope] }] : [])] : [],
      ...(parameters.length > 0 && { parameters }),
      ...(r.body && {
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } },
      }),
      responses,
      ...(r.scope && { 'x-required-scope': r.scope }),
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    // Relative: the document is served by the API it describes, wherever that is deployed.
    servers: [{ url: '/', description: 'the API that serves this document' }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API key; each key has scopes: submit, decide, read, decode (x-required-scope names the one a route needs)',
        },
        codecSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_KINDS.codec.cookie,
          description: 'set by POST /codec/session, for the Temporal UI in a browser',
        },
        supportSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_KINDS.support.cookie,
          description: 'set by POST /support/session, for the support console in a browser',
        },
      },
    },
  };
}
