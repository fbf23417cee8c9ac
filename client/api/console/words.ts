/**
 * The support console's words (issue 17), in Russian and Kazakh for support staff and in English for engineers.
 * One table per kind of word; a missing translation fails the type check, not a page.
 */
import type { ApplicationState } from '../../../domain/lifecycle';
import type { StuckReason } from '../../inspector';

export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `?lang=`, Russian unless one of the others is asked for. */
export const languageOf = (asked: unknown): Language => (LANGUAGES.includes(asked as Language) ? (asked as Language) : 'ru');

type Words = Record<Language, string>;

export const UI = {
  console: { ru: 'Консоль поддержки', kk: 'Қолдау консолі', en: 'Support console' },
  stuckTitle: { ru: 'Дела, которым нужен человек', kk: 'Адамның араласуын қажет ететін істер', en: 'Cases that need a person' },
  noneStuck: { ru: 'Сейчас ни одно дело не ждёт человека.', kk: 'Қазір адамды күтіп тұрған іс жоқ.', en: 'No case needs a person now.' },
  checkedAt: { ru: 'Проверено', kk: 'Тексерілді', en: 'Checked' },
  total: { ru: 'Всего', kk: 'Барлығы', en: 'In all' },
  orMore: { ru: 'или больше', kk: 'немесе одан көп', en: 'or more' },
  page: { ru: 'Страница', kk: 'Бет', en: 'Page' },
  previous: { ru: '← Предыдущая', kk: '← Алдыңғы', en: '← Previous' },
  next: { ru: 'Следующая →', kk: 'Келесі →', en: 'Next →' },
  reason: { ru: 'Причина', kk: 'Себебі', en: 'Reason' },
  case: { ru: 'Дело', kk: 'Іс', en: 'Case' },
  since: { ru: 'С', kk: 'Бастап', en: 'Since' },
  lastError: { ru: 'Последняя ошибка', kk: 'Соңғы қате', en: 'Last error' },
  nextStep: { ru: 'Что сделать', kk: 'Не істеу керек', en: 'Next step' },
  forEngineers: { ru: 'Подробности для инженера', kk: 'Инженерге арналған толығырақ', en: 'Details' },
  search: { ru: 'Найти дело', kk: 'Істі табу', en: 'Find a case' },
  searchHint: { ru: 'номер заявления или жалобы', kk: 'өтініштің немесе шағымның нөмірі', en: 'an application or complaint id' },
  find: { ru: 'Найти', kk: 'Табу', en: 'Find' },
  signIn: { ru: 'Войти', kk: 'Кіру', en: 'Sign in' },
  signOut: { ru: 'Выйти', kk: 'Шығу', en: 'Sign out' },
  signInTitle: { ru: 'Вход в консоль поддержки', kk: 'Қолдау консоліне кіру', en: 'Sign in to the support console' },
  signInHint: {
    ru: 'Вставьте ключ API с правом read. Браузер хранит сеанс 8 часов; сам ключ не сохраняется.',
    kk: 'read құқығы бар API кілтін қойыңыз. Браузер сеансты 8 сағат сақтайды; кілттің өзі сақталмайды.',
    en: 'Paste an API key with the read scope. The browser keeps a session for 8 hours; the key itself is not kept.',
  },
  apiKey: { ru: 'Ключ API', kk: 'API кілті', en: 'API key' },
  backToList: { ru: '← К списку', kk: '← Тізімге', en: '← Back to the list' },
  notFound: { ru: 'Дело не найдено', kk: 'Іс табылмады', en: 'No such case' },
  notFoundHint: {
    ru: 'Нет заявления или жалобы с таким номером. Проверьте номер (36 знаков, с дефисами).',
    kk: 'Мұндай нөмірлі өтініш немесе шағым жоқ. Нөмірді тексеріңіз (сызықшалары бар 36 таңба).',
    en: 'No application or complaint has this id. Check it (36 characters, with hyphens).',
  },
  application: { ru: 'Заявление', kk: 'Өтініш', en: 'Application' },
  state: { ru: 'Состояние', kk: 'Күйі', en: 'State' },
  overdue: { ru: 'ПРОСРОЧЕНО', kk: 'МЕРЗІМІ ӨТТІ', en: 'OVERDUE' },
  round: { ru: 'рассмотрение №', kk: 'қарау №', en: 'round' },
  category: { ru: 'Категория', kk: 'Санат', en: 'Category' },
  channel: { ru: 'Канал', kk: 'Арна', en: 'Channel' },
  provider: { ru: 'Услугодатель', kk: 'Көрсетілетін қызметті беруші', en: 'Provider' },
  standard: { ru: 'Стандарт', kk: 'Стандарт', en: 'Standard' },
  deadlines: { ru: 'Сроки', kk: 'Мерзімдер', en: 'Dates and terms' },
  submittedAt: { ru: 'Подано', kk: 'Берілді', en: 'Submitted' },
  registeredAt: { ru: 'Зарегистрировано', kk: 'Тіркелді', en: 'Registered' },
  decisionDueAt: { ru: 'Решение до', kk: 'Шешім мерзімі', en: 'Decision due' },
  complaintPeriodEndsAt: { ru: 'Жалобу можно подать до', kk: 'Шағымды беру мерзімі', en: 'Complaints until' },
  preTrialCompletedAt: { ru: 'Досудебный порядок завершён', kk: 'Сотқа дейінгі тәртіп аяқталды', en: 'Pre-trial stage ended' },
  decision: { ru: 'Решение', kk: 'Шешім', en: 'Decision' },
  timeline: { ru: 'Ход дела', kk: 'Істің барысы', en: 'Timeline' },
  document: { ru: 'документ', kk: 'құжат', en: 'document' },
  complaintRegistered: { ru: 'жалоба зарегистрирована', kk: 'шағым тіркелді', en: 'complaint registered' },
  ahead: { ru: 'предстоит', kk: 'алда', en: 'ahead' },
  reportPending: { ru: 'отчёт ещё не доставлен', kk: 'есеп әлі жеткізілмеді', en: 'report not yet delivered' },
  complaint: { ru: 'жалоба', kk: 'шағым', en: 'complaint' },
  working: { ru: 'Что выполняется сейчас', kk: 'Қазір не орындалуда', en: 'Pending work' },
  nothingRunning: {
    ru: 'Ничего не выполняется: дело ждёт человека или срока.',
    kk: 'Ештеңе орындалмайды: іс адамды немесе мерзімді күтуде.',
    en: 'Nothing is running: the case waits for a person or a term.',
  },
  attempt: { ru: 'попытка', kk: 'әрекет', en: 'attempt' },
  documents: { ru: 'Документы в кабинете', kk: 'Кабинеттегі құжаттар', en: 'Documents in the cabinet' },
  superseded: { ru: 'утратил силу', kk: 'күшін жойды', en: 'superseded' },
  complaints: { ru: 'Жалобы', kk: 'Шағымдар', en: 'Complaints' },
  addressee: { ru: 'Кому', kk: 'Кімге', en: 'To' },
  dueAt: { ru: 'Срок', kk: 'Мерзімі', en: 'Due' },
  outcome: { ru: 'Итог', kk: 'Нәтижесі', en: 'Outcome' },
  outbox: { ru: 'Уведомления и отчёты', kk: 'Хабарламалар мен есептер', en: 'Notices and reports' },
  identity: { ru: 'Личность (ГБД ФЛ)', kk: 'Жеке басы (ЖТ МДҚ)', en: 'Identity (person register)' },
  identityConfirmed: { ru: 'подтверждена реестром', kk: 'тізілім растады', en: 'confirmed by the register' },
  identityDiffers: {
    ru: 'в реестре другое ФИО — в документах указано ФИО из реестра; подано:',
    kk: 'тізілімде басқа аты-жөні — құжаттарда тізілімдегі аты-жөні көрсетілген; берілгені:',
    en: 'the register holds another name, which the documents print; submitted:',
  },
  identityNotFound: {
    ru: 'в реестре нет лица с этим ИИН — услугодатель проверяет документ, удостоверяющий личность',
    kk: 'тізілімде осы ЖСН бар тұлға жоқ — көрсетілетін қызметті беруші жеке басын куәландыратын құжатты тексереді',
    en: 'the register holds no person with this IIN: the provider checks the identity document',
  },
  gateway: {
    ru: 'Запросы через шлюз электронного правительства',
    kk: 'Электрондық үкімет шлюзі арқылы сұраулар',
    en: 'E-government gateway messages',
  },
  allDelivered: { ru: 'Все доставлены', kk: 'Барлығы жеткізілді', en: 'All delivered' },
  notDelivered: { ru: 'не доставлено', kk: 'жеткізілмеді', en: 'not delivered' },
  none: { ru: 'нет', kk: 'жоқ', en: 'none' },
  workflows: { ru: 'Процессы Temporal', kk: 'Temporal процестері', en: 'Temporal workflows' },
  events: { ru: 'событий', kk: 'оқиға', en: 'events' },
} satisfies Record<string, Words>;

export type UiWord = keyof typeof UI;

/** Each reason of the stuck listing: its name and what support staff do about it (the command is the engineers'). */
export const REASONS: Record<StuckReason, { name: Words; todo: Words }> = {
  'decision-overdue': {
    name: { ru: 'Решение просрочено', kk: 'Шешім мерзімі өтті', en: 'Decision overdue' },
    todo: {
      ru: 'Попросите услугодателя принять решение; вышестоящий орган уже уведомлён (R3).',
      kk: 'Көрсетілетін қызметті берушіден шешім шығаруын сұраңыз; жоғары тұрған орган хабардар етілді (R3).',
      en: 'Ask the provider to decide; the supervising unit has been told (R3).',
    },
  },
  'complaint-review-overdue': {
    name: { ru: 'Срок рассмотрения жалобы истёк', kk: 'Шағымды қарау мерзімі өтті', en: 'Complaint review overdue' },
    todo: {
      ru: 'Попросите орган, рассматривающий жалобу, вынести решение (R13).',
      kk: 'Шағымды қарайтын органнан шешім шығаруын сұраңыз (R13).',
      en: 'Ask the reviewing body to decide (R13).',
    },
  },
  'result-resend-overdue': {
    name: { ru: 'Результат не направлен повторно', kk: 'Нәтиже қайта жіберілмеді', en: 'Result not sent again' },
    todo: {
      ru: 'Попросите услугодателя направить результат в Госкорпорацию (R14).',
      kk: 'Көрсетілетін қызметті берушіден нәтижені Мемлекеттік корпорацияға жіберуін сұраңыз (R14).',
      en: 'Ask the provider to send the result to the State Corporation (R14).',
    },
  },
  'activity-retrying': {
    name: { ru: 'Шаг повторяется с ошибкой', kk: 'Қадам қатемен қайталануда', en: 'A step keeps failing' },
    todo: {
      ru: 'Устраните то, что названо в последней ошибке (шлюз, база данных, подпись); шаг повторится сам.',
      kk: 'Соңғы қатеде аталған себепті жойыңыз (шлюз, дерекқор, қолтаңба); қадам өзі қайталанады.',
      en: 'Fix what the last error names (gateway, database, signer); the step retries by itself.',
    },
  },
  'workflow-task-failing': {
    name: { ru: 'Ошибка в коде процесса', kk: 'Процесс кодындағы қате', en: "The workflow's code fails" },
    todo: {
      ru: 'Передайте разработчикам; после исправления дело продолжится само.',
      kk: 'Әзірлеушілерге беріңіз; түзетілгеннен кейін іс өзі жалғасады.',
      en: 'Hand it to the developers; the case resumes by itself after the fix.',
    },
  },
  'state-mismatch': {
    name: { ru: 'Состояния расходятся', kk: 'Күйлер сәйкес емес', en: 'State mismatch' },
    todo: {
      ru: 'Сравните ход дела с процессом в Temporal UI и сообщите о дефекте.',
      kk: 'Істің барысын Temporal UI-дағы процеспен салыстырып, ақау туралы хабарлаңыз.',
      en: 'Compare the timeline with the workflow in the Temporal UI, and report a defect.',
    },
  },
  'workflow-failed': {
    name: { ru: 'Процесс завершился с ошибкой', kk: 'Процесс қатемен аяқталды', en: 'Workflow failed' },
    todo: {
      ru: 'Прочитайте ошибку; после устранения причины дело запускает заново сотрудник.',
      kk: 'Қатені оқыңыз; себебі жойылғаннан кейін істі қызметкер қайта бастайды.',
      en: 'Read the failure; once its cause is fixed, a person starts the case again.',
    },
  },
  'workflow-timed-out': {
    name: { ru: 'Время процесса истекло', kk: 'Процестің уақыты бітті', en: 'Workflow timed out' },
    todo: {
      ru: 'Прочитайте причину в Temporal UI; дело запускает заново сотрудник.',
      kk: 'Себебін Temporal UI-дан оқыңыз; істі қызметкер қайта бастайды.',
      en: 'Read why in the Temporal UI; a person starts the case again.',
    },
  },
  'publication-overdue': {
    name: { ru: 'Изменение стандарта не опубликовано', kk: 'Стандарттың өзгерісі жарияланбады', en: 'Change of the standard unpublished' },
    todo: {
      ru: 'Единый контакт-центр не получил изменение стандарта в течение трёх рабочих дней (R12): устраните причину из последней ошибки.',
      kk: 'Бірыңғай байланыс орталығы стандарттың өзгерісін үш жұмыс күні ішінде алмады (R12): соңғы қатедегі себепті жойыңыз.',
      en: 'The Unified Contact Centre has not had the change of the standard within three working days (R12): fix what the last error names.',
    },
  },
  'message-undelivered': {
    name: { ru: 'Сообщение не доставлено', kk: 'Хабарлама жеткізілмеді', en: 'Message undelivered' },
    todo: {
      ru: 'Устраните причину из последней ошибки (адрес получателя, общий секрет), затем отправьте снова: cli outbox requeue.',
      kk: 'Соңғы қатедегі себепті жойыңыз (алушының мекенжайы, ортақ құпия), содан кейін қайта жіберіңіз: cli outbox requeue.',
      en: 'Fix what the last error names (the receiver, its address, its shared secret), then cli outbox requeue.',
    },
  },
};

/** The application's states and the other stages a case reports (R12), as support staff say them. */
export const STAGES: Record<ApplicationState, Words> & Record<string, Words> = {
  received: { ru: 'принято', kk: 'қабылданды', en: 'received' },
  'waiting-for-registration': { ru: 'ожидает регистрации', kk: 'тіркеуді күтуде', en: 'waiting for registration' },
  registered: { ru: 'зарегистрировано', kk: 'тіркелді', en: 'registered' },
  'under-review': { ru: 'на рассмотрении', kk: 'қаралуда', en: 'under review' },
  accepted: { ru: 'документы приняты', kk: 'құжаттар қабылданды', en: 'accepted' },
  refused: { ru: 'отказ', kk: 'бас тартылды', en: 'refused' },
  'awaiting-collection': { ru: 'ожидает выдачи', kk: 'беруді күтуде', en: 'awaiting collection' },
  'returned-to-provider': { ru: 'возвращено услугодателю', kk: 'көрсетілетін қызметті берушіге қайтарылды', en: 'returned to the provider' },
  'requested-again': { ru: 'запрошено повторно', kk: 'қайта сұратылды', en: 'requested again' },
  notified: { ru: 'результат в кабинете', kk: 'нәтиже кабинетте', en: 'result in the cabinet' },
  contested: { ru: 'обжалуется', kk: 'шағымдануда', en: 'contested' },
  closed: { ru: 'завершено', kk: 'аяқталды', en: 'closed' },
  withdrawn: { ru: 'отозвано заявителем', kk: 'өтініш беруші кері қайтарды', en: 'withdrawn' },
  'decision-overdue': { ru: 'решение просрочено', kk: 'шешім мерзімі өтті', en: 'decision overdue' },
  'under-review-overdue': { ru: 'рассмотрение просрочено', kk: 'қарау мерзімі өтті', en: 'review overdue' },
  decided: { ru: 'решение вынесено', kk: 'шешім шығарылды', en: 'decided' },
};

export const stageWords = (stage: string | null, lang: Language): string => (stage ? (STAGES[stage]?.[lang] ?? stage) : '—');
