/**
 * R11: what the contact centre says to a teacher about what happens next, in each state, in Kazakh and Russian. The
 * sentences are written out here; each names the moment it depends on, in Kazakhstan's time.
 */
import type { ApplicationStatus } from '../domain/case-status';
import { nextStepForTheTeacher } from '../domain/contact-centre';
import { APPLICATION_STATES } from '../domain/lifecycle';

const view = (over: Partial<ApplicationStatus>): ApplicationStatus =>
  ({
    applicationId: '0f0e0d0c-0b0a-4909-8807-060504030201',
    state: 'under-review',
    decisionDueAt: '2026-12-09T13:30:00.000Z',
    complaintPeriodEndsAt: null,
    overdue: false,
    custody: null,
    ...over,
  }) as ApplicationStatus;

test('under review: the term of the decision; overdue: that it passed, and the complaint against inaction', () => {
  expect(nextStepForTheTeacher(view({}))).toEqual({
    ru: 'Заявление рассматривается услугодателем. Срок решения — 9 декабря 2026 г., 18:30.',
    kk: 'Өтінішті көрсетілетін қызметті беруші қарап жатыр. Шешім шығару мерзімі — 2026 жылғы 9 желтоқсан, 18:30.',
  });
  expect(nextStepForTheTeacher(view({ overdue: true })).ru).toBe(
    'Срок решения (9 декабря 2026 г., 18:30) истёк; вышестоящий орган уведомлён. Можно подать жалобу на бездействие.',
  );
});

test('decided: the cabinet and the last moment to complain', () => {
  expect(nextStepForTheTeacher(view({ state: 'notified', complaintPeriodEndsAt: '2027-03-09T13:30:00.000Z' }))).toEqual({
    ru: 'Решение вынесено, результат — в личном кабинете. Срок подачи жалобы — 9 марта 2027 г., 18:30.',
    kk: 'Шешім шығарылды, нәтиже жеке кабинетте. Шағым беру мерзімі — 2027 жылғы 9 наурыз, 18:30.',
  });
});

test('the State Corporation keeps the result until its storage ends (R14)', () => {
  const awaiting = view({ state: 'awaiting-collection', custody: { storageEndsAt: '2027-01-09T13:30:00.000Z' } as ApplicationStatus['custody'] });
  expect(nextStepForTheTeacher(awaiting).ru).toBe('Результат можно получить в Государственной корпорации. Срок хранения — 9 января 2027 г., 18:30.');
});

test('every state has a sentence in each language, the Kazakh one with no Russian word in it', () => {
  for (const state of APPLICATION_STATES) {
    const { kk, ru } = nextStepForTheTeacher(view({ state }));
    expect([state, kk.length > 20, ru.length > 20]).toEqual([state, true, true]);
    expect([state, /(Срок|Заявление|Решение|результат|жалоб|истёк)/.test(kk)]).toEqual([state, false]);
    expect([state, /[әғқңөұүһі]/i.test(ru)]).toEqual([state, false]);
  }
});
