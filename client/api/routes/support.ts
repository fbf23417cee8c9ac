/** Routes of the `support` tag: stuck cases and one case's whole story, for support staff. */
import { CaseReadsAnswer, RestartedAnswer, StoryAnswer, StuckAnswer } from '../answers';
import { caseReads, recordedState } from '../../../infra/case-store';
import { parseInput } from '../../../domain/refusals';
import { restartCase, restartSchema } from '../restart';
import { caseStory, findStuckCases, MAX_PAGE_SIZE } from '../../inspector';
import { recordRead } from '../entitlement';
import { refuse, refuseBadId, UUID } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';

/** The largest values the stuck listing takes: a month of retrying, and a year of closed runs (visibility keeps no more). */
const QUERY_BOUNDS = {
  retryingLongerThanSeconds: { least: 0, most: 30 * 86_400 },
  closedWithinDays: { least: 0, most: 366 },
  page: { least: 1, most: 100_000 },
  pageSize: { least: 1, most: MAX_PAGE_SIZE },
} as const;

/** A whole number of the stuck listing's query, in its bounds, as the document gives it. */
const wholeNumber = (name: keyof typeof QUERY_BOUNDS, description: string) => ({
  description,
  schema: { type: 'integer', minimum: QUERY_BOUNDS[name].least, maximum: QUERY_BOUNDS[name].most },
});

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
        retryingLongerThanSeconds: wholeNumber('retryingLongerThanSeconds', 'report an activity retrying for longer than this (default 300)'),
        closedWithinDays: wholeNumber('closedWithinDays', 'report failed or timed-out runs closed within this many days (default 30)'),
        page: wholeNumber('page', 'which page, from 1 (default 1)'),
        pageSize: wholeNumber('pageSize', 'cases on a page (default 50)'),
        audit: {
          description: "'states': also compare every running workflow's state with the case store (reads every open case; seconds per 10 000)",
          schema: { type: 'string', enum: ['states'] },
        },
      },
      answers: { 200: StuckAnswer },
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
      for (const [name, { least, most }] of Object.entries(QUERY_BOUNDS)) {
        const raw = query[name];
        if (raw === undefined) continue;
        // Written as the document's integer is: digits without a sign or leading zeros.
        if (typeof raw !== 'string' || !/^(0|[1-9]\d{0,8})$/.test(raw) || Number(raw) < least || Number(raw) > most) {
          return refuse(reply, {
            code: 'invalid-field',
            field: name,
            rule: null,
            message: `${name}: must be a whole number from ${least} to ${most}`,
          });
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

  // An operator's remedy for a case whose run ended abnormally (the stuck listing's workflow-failed,
  // workflow-timed-out, a termination by mistake): the same application, under the same id, once.
  route(
    {
      method: 'POST',
      url: '/support/cases/:id/restart',
      operationId: 'restartCase',
      summary:
        'Start a case whose run failed, timed out or was terminated again, from the application its run was started with, under the same id (once: never a case that runs or completed)',
      tag: 'support',
      scope: 'operate',
      params: { id: 'the application id' },
      body: restartSchema(),
      answers: { 202: RestartedAnswer },
      responses: {
        202: 'started again: { applicationId, workflowId, runId, endedRun: { status, closedAt } }',
        ...ERRORS,
        409: 'restart-not-allowed: the case runs, or its run completed; nothing to start again',
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
      const parsed = parseInput(restartSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const restarted = await restartCase(deps, id, { ...parsed.value, client: request.apiClient!.client });
      return restarted.ok ? reply.code(202).send(restarted.restarted) : refuse(reply, restarted.refusal);
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
      answers: { 200: StoryAnswer },
      responses: { 200: 'the story', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application or complaint id');
      const story = await caseStory(client, store, id);
      if (!story) return refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no application or complaint ${id}` });
      await recordRead(store, request, [story.applicationId]);
      return story;
    },
  );

  // Who read a case's personal data (issue 32): for an operator answering a teacher's or an inspector's question.
  route(
    {
      method: 'GET',
      url: '/support/cases/:id/reads',
      operationId: 'caseReads',
      summary: "Who read an application's case, through which route and when, newest first (at most 500)",
      tag: 'support',
      scope: 'operate',
      params: { id: 'the application id' },
      answers: { 200: CaseReadsAnswer },
      responses: { 200: '{ applicationId, reads: [{ client, role, route, at }] }', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
      if (!(await recordedState(store, id))) return refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no application ${id}` });
      const reads = await caseReads(store, id);
      return { applicationId: id, reads: reads.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  );
}
