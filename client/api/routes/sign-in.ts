/** Signing a browser in (issues 6 and 17): the route each kind of browser session is opened by (sessions.ts). */
import type { ApiRoutes } from '../routing';
import { SESSION_KINDS, type SessionKind } from '../sessions';

/** The route that signs a browser in: a key with the kind's scope as the bearer, the session's cookie back (204). */
export function sessionRoute(
  { route, sessions }: Pick<ApiRoutes, 'route' | 'sessions'>,
  kind: SessionKind,
  doc: { url: string; operationId: string; summary: string },
): void {
  const { scope } = SESSION_KINDS[kind];
  route(
    { ...doc, method: 'POST', tag: 'support', scope, responses: { 204: 'signed in (Set-Cookie)', 401: 'no key', 403: `no ${scope} scope` } },
    async (request, reply) =>
      reply
        .header('set-cookie', sessions.cookie(kind, sessions.issue(kind, request.apiClient!)))
        .code(204)
        .send(),
  );
}
