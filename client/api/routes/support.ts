/** Routes of the `support` tag: stuck cases and one case's whole story, for support staff. */
import { caseStory, findStuckCases, MAX_PAGE_SIZE } from '../../inspector';
import { refuse, refuseBadId, UUID } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';

/** The largest values the stuck listing takes: a month of retrying, and a year of closed runs (visibility keeps no more). */
const QUERY_BOUNDS = { retryingLongerThanSeconds: 30 * 86_400, closedWithinDays: 366, page: 100_000, pageSize: MAX_PAGE_SIZE } as const;

export function supportRoutes({ route, deps }: ApiRoutes): void {
  const { client, store, now } = deps;

  route(
    {
      method: 'GET',
      url: '/support/stuck',
      operationId: 'stuckCases',
      summary: 'Cases that need a person: overdue decisions and reviews, activities retrying, failing or failed workflows, state mismatches',
      tag: 'support',
      scope: 'read',
      query: {
        retryingLongerThanSeconds: `report an activity retrying for longer than this (default 300, at most ${QUERY_BOUNDS.retryingLongerThanSeconds})`,
        closedWithinDays: `report failed or timed-out runs closed within this many days (default 30, at most ${QUERY_BOUNDS.closedWithinDays})`,
        page: 'which page, from 1 (default 1)',
        pageSize: `cases on a page (default 50, at most ${MAX_PAGE_SIZE})`,
        audit: "'states': also compare every running workflow's state with the case store (reads every open case; seconds per 10 000)",
      },
      responses: {
        200: '{ checkedAt, total, page, pageSize, truncated, cases: [{ reason, applicationId, complaintId, workflowId, detail, nextStep, since, lastError }] }',
        400: 'a bad query parameter',
        401: ERRORS[401],
        403: ERRORS[403],
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const numbers: Record<string, number | undefined> = {};
      for (const [name, most] of Object.entries(QUERY_BOUNDS)) {
        const raw = query[name];
        if (raw === undefined) continue;
        if (!/^\d{1,9}$/.test(raw) || Number(raw) > most) {
          return refuse(reply, { code: 'invalid-field', field: name, rule: null, message: `${name}: must be a whole number from 0 to ${most}` });
        }
        numbers[name] = Number(raw);
      }
      if (query.audit !== undefined && query.audit !== 'states') {
        return refuse(reply, { code: 'invalid-field', field: 'audit', rule: null, message: "audit: must be 'states'" });
      }
      const checkedAt = now();
      const listing = await findStuckCases(client, store, {
        now: () => checkedAt,
        ...(numbers.retryingLongerThanSeconds !== undefined && { activityRetryThresholdMs: numbers.retryingLongerThanSeconds * 1000 }),
        ...(numbers.closedWithinDays !== undefined && { closedWithinMs: numbers.closedWithinDays * 86_400_000 }),
        ...(numbers.page && { page: numbers.page }),
        ...(numbers.pageSize && { pageSize: numbers.pageSize }),
        auditStates: query.audit === 'states',
      });
      return { checkedAt: checkedAt.toISOString(), ...listing };
    },
  );

  route(
    {
      method: 'GET',
      url: '/support/cases/:id',
      operationId: 'caseStory',
      summary: "One case's whole story: state, deadlines, stages with times, pending activities, documents, complaints, outbox",
      tag: 'support',
      scope: 'read',
      params: { id: 'an application id, or a complaint id (its application is shown)' },
      responses: { 200: 'the story', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application or complaint id');
      const story = await caseStory(client, store, id);
      return story ?? refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no application or complaint ${id}` });
    },
  );
}
