/**
 * The support console (issue 17): web pages for support staff, signed in with a `read` key — the stuck cases with
 * the reason in words, the last error and the next step, a search by id, and one case's story as a timeline. The
 * pages read what the JSON routes of support.ts read (client/inspector/); console/pages.ts renders them.
 */
import { sendPage } from '../html';
import { caseStory, findStuckCases } from '../../inspector';
import { recordRead } from '../entitlement';
import { CONSOLE_PATH, SESSION_URL, notFoundPage, signInPage, storyPage, stuckPage } from '../console/pages';
import { languageOf } from '../console/words';
import { UUID } from '../refusals';
import type { ApiRoutes } from '../routing';
import { endSession, sessionRoute } from './sign-in';

const SIGN_IN = `${CONSOLE_PATH}/sign-in`;
const PAGE = { tag: 'support', scope: 'read', session: 'support', signInPage: SIGN_IN, produces: 'text/html' } as const;

/**
 * Where to go after signing in: a page of the console, matched whole — the listing or a case's story, with its
 * language and page — and nothing else (issue 32: any other value, whatever it starts with, goes to the listing).
 */
const CONSOLE_PAGE =
  /^\/support\/console(?:\/cases\/[0-9a-f-]{36})?(?:\?(?:lang=(?:ru|kk|en)|page=\d{1,6})(?:&(?:lang=(?:ru|kk|en)|page=\d{1,6}))?)?$/;
const consolePage = (then: unknown) => (typeof then === 'string' && CONSOLE_PAGE.test(then) ? then : CONSOLE_PATH);

export function supportConsoleRoutes({ route, deps, sessions }: ApiRoutes): void {
  const { client, store, now } = deps;

  route(
    {
      ...PAGE,
      method: 'GET',
      url: CONSOLE_PATH,
      operationId: 'supportConsole',
      summary: 'The support console: the stuck cases, a page at a time, with the reason in words, the last error and the next step',
      query: { lang: 'ru (default), kk or en', page: 'which page, from 1' },
      responses: {
        200: 'the page',
        303: 'to the sign-in page, without a session',
        401: 'an unknown bearer key',
        403: 'a key without the read scope',
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const page = /^\d{1,6}$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
      const checkedAt = now();
      const listing = await findStuckCases(client, store, { now: () => checkedAt, page });
      return sendPage(reply, stuckPage(languageOf(query.lang), { ...listing, checkedAt: checkedAt.toISOString() }));
    },
  );

  route(
    {
      ...PAGE,
      method: 'GET',
      url: `${CONSOLE_PATH}/cases`,
      operationId: 'supportConsoleSearch',
      summary: "The console's search: to the story of the application or complaint with this id",
      query: { id: 'an application or complaint id', lang: 'ru (default), kk or en' },
      responses: {
        303: "to the case's story (to the sign-in page, without a session)",
        401: 'an unknown bearer key',
        403: 'a key without the read scope',
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const id = (query.id ?? '').trim().toLowerCase();
      return reply.redirect(`${CONSOLE_PATH}/cases/${encodeURIComponent(id)}?${new URLSearchParams({ lang: languageOf(query.lang) })}`, 303);
    },
  );

  route(
    {
      ...PAGE,
      method: 'GET',
      url: `${CONSOLE_PATH}/cases/:id`,
      operationId: 'supportConsoleCase',
      summary: "One case's story as a timeline: stages with times, deadlines, pending work, documents, complaints",
      params: { id: 'an application id, or a complaint id (its application is shown)' },
      query: { lang: 'ru (default), kk or en' },
      responses: {
        200: 'the page',
        303: 'to the sign-in page, without a session',
        401: 'an unknown bearer key',
        403: 'a key without the read scope',
        404: 'no such case (a page saying so)',
      },
      errorPages: [404],
    },
    async (request, reply) => {
      const lang = languageOf((request.query as Record<string, string | undefined>).lang);
      const { id } = request.params;
      const story = UUID.test(id) ? await caseStory(client, store, id) : null;
      // The unit's name as the registry gives it in the page's language (English pages take the Russian one).
      const unitName = (unit: string) => deps.units.find(unit)?.names[lang === 'kk' ? 'kk' : 'ru'] ?? unit;
      if (!story) return sendPage(reply, notFoundPage(lang, id), 404);
      await recordRead(store, request, [story.applicationId]);
      return sendPage(reply, storyPage(lang, story, now(), unitName));
    },
  );

  route(
    {
      method: 'GET',
      url: SIGN_IN,
      operationId: 'supportConsoleSignIn',
      summary: 'The page where support staff sign the browser in with a read key',
      tag: 'support',
      scope: null,
      produces: 'text/html',
      query: { then: 'the console page to return to', lang: 'ru (default), kk or en' },
      responses: { 200: 'the page' },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const then = consolePage(query.then);
      const lang = languageOf(query.lang ?? new URLSearchParams(then.split('?')[1] ?? '').get('lang'));
      return sendPage(reply, signInPage(lang, then));
    },
  );

  sessionRoute({ route, sessions }, 'support', {
    url: SESSION_URL,
    operationId: 'supportSession',
    summary: 'Signs the browser in to the support console: sets its session cookie',
  });

  route(
    {
      method: 'POST',
      url: `${CONSOLE_PATH}/sign-out`,
      operationId: 'supportConsoleSignOut',
      summary: "Ends the browser's console session",
      tag: 'support',
      scope: null,
      produces: 'text/html',
      responses: { 303: 'to the sign-in page' },
    },
    async (request, reply) => reply.header('set-cookie', await endSession(store, sessions, 'support', request.headers.cookie)).redirect(SIGN_IN, 303),
  );
}
