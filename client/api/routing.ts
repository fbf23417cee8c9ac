/** What the API's modules of routes share: the registrar, the dependencies, the way to update a case. */
import type { ApiMetrics } from './metrics';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignWindow } from '../../domain/campaign';
import type { StandardInForce } from '../../domain/standards';
import type { UpdateTarget } from './cases';
import type { RouteDoc } from './openapi';

/** What the API is built over (buildApi in server.ts). */
export interface ApiDeps {
  client: Client;
  store: Store;
  taskQueue: string;
  /** the key of the application-id hash (see infra/identity.ts) */
  identitySecret: string;
  /** the clock for submissions that carry no `submittedAt` */
  now?: () => Date;
  /** how far back a caller's `submittedAt` may lie (SUBMISSION_MAX_DELAY; 7 days by default) */
  submissionMaxDelayMs?: number;
  /** requests a client may send per minute before 429 (RATE_LIMIT_PER_MINUTE); unauthenticated callers count by address */
  rateLimitPerMinute?: number;
  /** failed authentications an address may make per minute before 429 (AUTH_FAILURES_PER_MINUTE; 10 by default) */
  authFailuresPerMinute?: number;
  /** whose X-Forwarded-For to believe (TRUST_PROXY: true, or the balancers' addresses, comma-separated), Fastify's trustProxy */
  trustProxy?: boolean | string;
  /** R10: the campaign windows the authorised body set (the whole academic year where none is set) */
  campaignWindows?: readonly CampaignWindow[];
  /** which standard is in force from when (STANDARD_SCHEDULE; the shipped schedule by default) */
  standardSchedule?: readonly StandardInForce[];
  /** pino options for one JSON line per request (no personal data: ids only, never bodies); off by default */
  logger?: boolean | { level: string };
  /** every answer counted and timed for Prometheus (client/api/metrics.ts); none by default */
  metrics?: ApiMetrics;
  /** R1: the registry of provider units (the shipped one by default) */
  units?: ProviderUnits;
  /** R5: the certificates that verify the documents' signatures (the CA's, PEM), as published */
  trustAnchorsPem?: () => string;
  /** issue 31: who may sign a unit's decision (the shipped development registry by default) */
  authorisedPersons?: AuthorisedPersons;
  /** issue 31: how an official's signature is verified (in this process against trustAnchorsPem by default; NCANode) */
  signatureVerifier?: SignatureVerifier;
  /** the signing certificates configured (their files, not their keys), for /healthz's warning of one near its end */
  signingCertificates?: () => SigningCertificateInUse[];
  /** how many days before a unit's signing ends /healthz warns (SIGNING_CERTIFICATE_WARNING_DAYS; 30 by default) */
  certificateWarningDays?: number;
  /** the API keys accepted, each with its scopes (auth.ts) */
  apiKeys: readonly ApiKeyEntry[];
  /** the payload codec: when given, the API serves the codec server for the Temporal UI at /codec */
  codec?: EncryptionCodec;
  /** the secret that signs codec sessions (CODEC_SESSION_SECRET); derived from the identity secret in development */
  codecSessionSecret?: string;
  /** browser session cookies are `Secure` (HTTPS only): SESSION_COOKIE_SECURE, on in production; off by default */
  secureCookies?: boolean;
  /** the Temporal UI's origins allowed to call the codec server from a browser */
  codecCorsOrigins?: readonly string[];
}

import type { Client } from '@temporalio/client';
import type { EncryptionCodec } from '../../infra/payload-codec';
import type { Store } from '../../infra/store';
import type { ProviderUnits } from '../../domain/provider-units';
import type { AuthorisedPersons } from '../../domain/authorised-persons';
import type { SignatureVerifier } from '../../infra/signature-verifier';
import type { ApiKeyEntry } from './auth';
import type { SigningCertificateInUse } from '../../infra/certificate-expiry';
import type { BrowserSessions } from './sessions';

export type Handler = (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => Promise<unknown>;

/** The error answers every route may give, for its OpenAPI entry. */
export const ERRORS = {
  400: 'malformed input: bad JSON, a missing or unknown field, a value of the wrong form (the field is named)',
  401: 'no API key, or an unknown one',
  403: "the key's client lacks the scope this route needs",
  404: 'no such case',
} as const;

/** What a module of routes gets: the route registrar, the dependencies, and the way to update a case. */
export interface ApiRoutes {
  route: (doc: RouteDoc, handler: Handler) => void;
  deps: ApiDeps & {
    now: () => Date;
    submissionMaxDelayMs: number;
    campaignWindows: readonly CampaignWindow[];
    standardSchedule: readonly StandardInForce[];
    units: ProviderUnits;
    authorisedPersons: AuthorisedPersons;
    signatureVerifier: SignatureVerifier;
  };
  /** every route registered so far, for the OpenAPI document */
  routes: readonly RouteDoc[];
  /** the browser sessions of the codec server and the support console */
  sessions: BrowserSessions;
  /**
   * Sends an update to an application's workflow: 400 for an id that is not one, 404 for an unknown case, the
   * refusal given for a closed case (`closedMessage` in words of its state) unless `whenFinished`, given the
   * case's stored state, answers it another way; the guard's own refusal otherwise.
   */
  updateApplication<T>(
    id: string,
    reply: FastifyReply,
    send: (workflowId: string) => Promise<T>,
    refused: Omit<UpdateTarget['closed'], 'message'>,
    closedMessage?: (state: string) => string,
    answered?: number,
    whenFinished?: (state: string | null) => Promise<unknown>,
  ): Promise<unknown>;
}
