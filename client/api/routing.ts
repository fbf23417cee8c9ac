/** What the API's modules of routes share: the registrar, the dependencies, the way to update a case. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignWindow } from '../../domain/campaign';
import type { StandardInForce } from '../../domain/standards';
import type { UpdateTarget } from './cases';
import type { RouteDoc } from './openapi';
import type { ApiDeps } from './server';

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
  deps: ApiDeps & { now: () => Date; campaignWindows: readonly CampaignWindow[]; standardSchedule: readonly StandardInForce[] };
  /** every route registered so far, for the OpenAPI document */
  routes: readonly RouteDoc[];
  /**
   * Sends an update to an application's workflow: 400 for an id that is not one, 404 for an unknown case, the
   * refusal given for a closed case (`closedMessage` in words of its state), the guard's own refusal otherwise.
   */
  updateApplication<T>(
    id: string,
    reply: FastifyReply,
    send: (workflowId: string) => Promise<T>,
    refused: Omit<UpdateTarget['closed'], 'message'>,
    closedMessage?: (state: string) => string,
    answered?: number,
  ): Promise<unknown>;
}
