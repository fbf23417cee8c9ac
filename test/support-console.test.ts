/** The support console's pages as functions (issue 17): escaped, in the language asked for, in time order. */
import { localTime, storyPage, stuckPage, type CaseStory } from '../client/api/console/pages';
import { languageOf } from '../client/api/console/words';
import type { StuckCase } from '../client/inspector';

const HOSTILE = '<script>alert(1)</script>"\'&';

const stuck = (overrides: Partial<StuckCase> = {}): StuckCase => ({
  reason: 'activity-retrying',
  applicationId: '11111111-1111-8111-8111-111111111111',
  complaintId: null,
  workflowId: 'application-11111111-1111-8111-8111-111111111111',
  detail: 'lookUpStateRecords has failed 3 time(s)',
  nextStep: 'the e-government gateway does not answer',
  since: '2026-12-01T04:00:00.000Z',
  lastError: HOSTILE,
  ...overrides,
});

const story: CaseStory = {
  applicationId: '22222222-2222-8222-8222-222222222222',
  state: 'under-review',
  overdue: true,
  category: 'moderator',
  channel: 'platform',
  standard: 'standard-2',
  providerUnit: 'almaty-city-education-department',
  round: 1,
  custody: null,
  identity: { register: 'name-differs', registerName: HOSTILE, submittedName: 'Нурланова Айгуль' },
  deadlines: {
    submittedAt: '2026-11-30T05:00:00.000Z',
    registeredAt: '2026-11-30T05:00:00.000Z',
    decisionDueAt: '2026-12-01T13:30:00.000Z',
    complaintPeriodEndsAt: null,
    preTrialCompletedAt: null,
  },
  decision: null,
  stages: [
    { stage: 'decision-overdue', complaintId: null, at: '2026-12-01T13:30:01.000Z', delivered: false },
    { stage: 'under-review', complaintId: null, at: '2026-11-30T05:00:02.000Z', delivered: true },
  ],
  complaints: [],
  documents: [],
  outbox: [{ key: 'stage:x:under-review', channel: 'monitoring', status: 'delivered', attempts: 1, lastError: null }],
  gatewayExchanges: [
    {
      at: '2026-11-30T05:00:01.000Z',
      interaction: 'education',
      serviceId: HOSTILE,
      messageId: '33333333-3333-4333-8333-333333333333',
      answerMessageId: null,
      statusCode: 'SERVICE_UNAVAILABLE',
    },
  ],
  workflows: [],
};

describe('the support console pages', () => {
  test('show every value from a case as text, never as markup', () => {
    const page = stuckPage('ru', { total: 1, page: 1, pageSize: 50, truncated: false, checkedAt: '2026-12-03T01:00:00.000Z', cases: [stuck()] });
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });

  test('name the reason and the next step in the language asked for, Russian unless told', () => {
    const listing = { total: 1, page: 1, pageSize: 50, truncated: false, checkedAt: '2026-12-03T01:00:00.000Z', cases: [stuck()] };
    expect(stuckPage(languageOf(undefined), listing)).toContain('Шаг повторяется с ошибкой');
    expect(stuckPage(languageOf('kk'), listing)).toContain('Қадам қатемен қайталануда');
    expect(stuckPage(languageOf('en'), listing)).toContain('A step keeps failing');
    expect(languageOf('de')).toBe('ru');
  });

  test('page the listing: a link to the next page only while there is one, the languages keeping the page', () => {
    const listing = (page: number) => ({ total: 120, page, pageSize: 50, truncated: false, checkedAt: '2026-12-03T01:00:00.000Z', cases: [stuck()] });
    expect(stuckPage('en', listing(1))).toContain('href="/support/console?page=2&amp;lang=en" rel="next"');
    expect(stuckPage('en', listing(3))).not.toContain('rel="next"');
    expect(stuckPage('en', listing(3))).toContain('Page 3 / 3');
    expect(stuckPage('en', listing(2))).toContain('href="/support/console?page=2&amp;lang=kk" hreflang="kk"');
  });

  test("tell a case's story in time order, with the applicant's clock and the terms still ahead", () => {
    const page = storyPage('ru', story, new Date('2026-12-01T10:00:00.000Z'), () => 'Управление образования города Алматы');
    const timeline = page.slice(page.indexOf('id="timeline"'), page.indexOf('</ol>'));
    const order = ['Подано', 'Зарегистрировано', 'на рассмотрении', 'предстоит: Решение до', 'решение просрочено'].map((t) => timeline.indexOf(t));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(timeline).toContain('30.11.2026 10:00'); // 05:00 UTC is 10:00 in Almaty
    expect(page).toContain('Управление образования города Алматы');
    expect(page).toContain('ПРОСРОЧЕНО');
    // once the term has passed, it is no longer ahead
    expect(storyPage('ru', story, new Date('2026-12-02T00:00:00.000Z'))).not.toContain('предстоит');
    expect(localTime(null)).toBe('—');
  });
});
