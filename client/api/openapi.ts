/**
 * The API's routes as one definition (issue 6): each route is registered from its `RouteDoc`, and the OpenAPI
 * document served at `/openapi.json` is built from the same list and the same zod schemas that validate the
 * requests, so the document cannot describe an API that is not there.
 */
import { z } from 'zod';
import type { Scope } from './auth';
import { SESSION_KINDS, type SessionKind } from './sessions';

export interface RouteDoc {
  method: 'GET' | 'POST';
  /** fastify style: /applications/:id */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'applications' | 'state-corporation' | 'complaints' | 'cabinets' | 'support' | 'service';
  /** the scope a caller's key needs; null for public routes */
  scope: Scope | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: z.ZodType;
  /** also accepts a browser session of this kind (sessions.ts) in place of a bearer key */
  session?: SessionKind;
  /** an HTML page: a browser without a session is sent to this sign-in page instead of a 401 */
  signInPage?: string;
  /** takes an Idempotency-Key (or X-Request-Id): the same request twice is answered once */
  idempotent?: boolean;
  /** status → what it means; error statuses answer the Error schema */
  responses: Record<number, string>;
  /** the media type of a successful answer, JSON unless said */
  produces?: string;
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

/** The OpenAPI 3.1 document of the routes. */
export function openApiDocument(routes: readonly RouteDoc[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, description]) => ({
        name,
        in: 'path',
        required: true,
        description,
        schema: { type: 'string', format: 'uuid' },
      })),
      ...Object.entries(r.query ?? {}).map(([name, description]) => ({
        name,
        in: 'query',
        required: false,
        description,
        schema: { type: 'string' },
      })),
      ...(r.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'the same key with the same body is answered with the first answer, once; with another body, 422',
              schema: { type: 'string', maxLength: 200 },
            },
            {
              name: 'X-Request-Id',
              in: 'header',
              required: false,
              description: "the upstream's own request id, used as the Idempotency-Key when that header is absent",
              schema: { type: 'string', maxLength: 200 },
            },
          ]
        : []),
    ];
    const responses = Object.fromEntries(
      Object.entries(r.responses).map(([status, description]) => [
        status,
        Number(status) >= 400
          ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
          : { description, content: { [r.produces ?? 'application/json']: {} } },
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
