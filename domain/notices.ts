/**
 * The texts of the documents in the applicant's cabinet, in Kazakh and Russian: the notification of acceptance
 * (Appendix 3), the receipt (Appendix 8) and the motivated refusal (Appendix 4) (R5), the State Corporation's
 * receipt for a package, a complaint's decision and the record that the pre-trial stage has ended (R13). Rendering only: signing and delivery are separate steps.
 */
import type { Addressee, ComplaintOutcome } from './complaint';
import type { Category } from './service';

/** R5: a result: the notification of acceptance (Appendix 3), the receipt (Appendix 8, earlier standard), a refusal. */
export type ResultKind = 'acceptance' | 'receipt' | 'refusal';
export const RESULT_KINDS: readonly ResultKind[] = ['acceptance', 'receipt', 'refusal'];
/** `intake-receipt`: the State Corporation's receipt for the package, against which the result is collected (R5). */
export type NoticeKind = ResultKind | 'intake-receipt' | 'complaint-decision' | 'pre-trial-record';
export type Language = 'kk' | 'ru';
export const LANGUAGES: readonly Language[] = ['kk', 'ru'];

export interface NoticeFacts {
  applicationNumber: string;
  category: string;
  providerUnit: string;
  registeredAt: string;
  /** R3: the end of the service's term */
  dueAt: string;
  decidedAt: string;
  official: string;
  grounds: number[];
  motivation: string | null;
  /** a complaint's decision: the complaint it answers */
  complaint?: ComplaintFacts;
  /** the pre-trial record: every complaint and when the stage ended */
  complaints?: ComplaintFacts[];
  preTrialCompletedAt?: string;
}

export interface ComplaintFacts {
  complaintId: string;
  addressee: Addressee;
  submittedAt: string;
  registeredAt: string;
  outcome: ComplaintOutcome | null;
  motivation: string | null;
  official: string | null;
  decidedAt: string;
}

const CATEGORY_NAMES: Record<Language, Record<Category, string>> = {
  ru: {
    moderator: 'педагог-модератор',
    expert: 'педагог-эксперт',
    researcher: 'педагог-исследователь',
    master: 'педагог-мастер',
    'head-1': 'руководитель первой категории',
    'head-2': 'руководитель второй категории',
    'head-3': 'руководитель третьей категории',
    'deputy-head-1': 'заместитель руководителя первой категории',
    'deputy-head-2': 'заместитель руководителя второй категории',
    'deputy-head-3': 'заместитель руководителя третьей категории',
  },
  kk: {
    moderator: 'педагог-модератор',
    expert: 'педагог-сарапшы',
    researcher: 'педагог-зерттеуші',
    master: 'педагог-шебер',
    'head-1': 'бірінші санатты басшы',
    'head-2': 'екінші санатты басшы',
    'head-3': 'үшінші санатты басшы',
    'deputy-head-1': 'бірінші санатты басшының орынбасары',
    'deputy-head-2': 'екінші санатты басшының орынбасары',
    'deputy-head-3': 'үшінші санатты басшының орынбасары',
  },
};

/** R9's grounds as the standard words them. */
const GROUNDS: Record<Language, Record<number, string>> = {
  ru: {
    1: 'установление недостоверности документов, представленных для получения государственной услуги, и (или) данных (сведений), содержащихся в них',
    2: 'несоответствие услугополучателя и (или) представленных материалов требованиям Правил',
    3: 'отсутствие согласия услугополучателя на доступ к персональным данным ограниченного доступа (статья 8 Закона «О персональных данных и их защите»)',
  },
  kk: {
    1: 'мемлекеттік көрсетілетін қызметті алу үшін ұсынылған құжаттардың және (немесе) олардағы деректердің (мәліметтердің) анық еместігін анықтау',
    2: 'көрсетілетін қызметті алушының және (немесе) ұсынылған материалдардың Қағидалар талаптарына сәйкес келмеуі',
    3: 'көрсетілетін қызметті алушының қолжетімділігі шектеулі дербес деректерге қол жеткізуге келісімінің болмауы («Дербес деректер және оларды қорғау туралы» Заңның 8-бабы)',
  },
};

const WORDS = {
  ru: {
    application: 'Заявление №',
    of: 'от',
    acceptanceTitle: 'УВЕДОМЛЕНИЕ о приеме документов для прохождения аттестации',
    accepted: (category: string) => `Документы для прохождения аттестации на квалификационную категорию «${category}» приняты.`,
    receiptTitle: 'РАСПИСКА о приеме заявления для присвоения (подтверждения) квалификационной категории педагогам',
    receiptAccepted: (category: string) => `Заявление и документы для прохождения аттестации на квалификационную категорию «${category}» приняты.`,
    intakeTitle: 'РАСПИСКА о приеме пакета документов Государственной корпорацией «Правительство для граждан»',
    intakeText:
      'Пакет документов принят и передан услугодателю. Готовые документы выдаются в Государственной корпорации при предъявлении документа, удостоверяющего личность (либо нотариально удостоверенной доверенности представителя), и настоящей расписки. Невостребованные в срок документы хранятся один месяц, затем возвращаются услугодателю.',
    due: 'Срок оказания услуги — до',
    refusalTitle: 'МОТИВИРОВАННЫЙ ОТКАЗ в дальнейшем рассмотрении заявления',
    grounds: 'Основания отказа (пункт 9 стандарта государственной услуги):',
    motivation: 'Мотивировка',
    decided: 'Дата решения',
    official: 'Уполномоченное лицо',
    signed: 'Документ удостоверен ЭЦП уполномоченного лица услугодателя.',
    complaintTitle: 'РЕШЕНИЕ по жалобе на результат оказания государственной услуги',
    complaint: 'Жалоба №',
    registered: 'зарегистрирована',
    reviewedBy: 'Рассмотрена',
    outcome: 'Результат рассмотрения',
    reopened: 'Заявление направлено на повторное рассмотрение; прежний результат оказания услуги утрачивает силу.',
    preTrialTitle: 'СПРАВКА о завершении досудебного (административного) порядка обжалования',
    preTrialEnded: 'Досудебный порядок обжалования завершен',
    complaints: 'Поданные жалобы',
    filed: 'подана',
    court:
      'После досудебного обжалования допускается обращение в суд (часть 5 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    none: 'не рассмотрена',
  },
  kk: {
    application: '№',
    of: 'өтініш, күні',
    acceptanceTitle: 'Аттестаттаудан өту үшін құжаттарды қабылдау туралы ХАБАРЛАМА',
    accepted: (category: string) => `«${category}» біліктілік санатына аттестаттаудан өту үшін құжаттар қабылданды.`,
    receiptTitle: 'Педагогтерге біліктілік санатын беру (растау) үшін өтінішті қабылдау туралы ҚОЛХАТ',
    receiptAccepted: (category: string) => `«${category}» біліктілік санатына аттестаттаудан өту үшін өтініш пен құжаттар қабылданды.`,
    intakeTitle: '«Азаматтарға арналған үкімет» мемлекеттік корпорациясының құжаттар топтамасын қабылдағаны туралы ҚОЛХАТ',
    intakeText:
      'Құжаттар топтамасы қабылданып, көрсетілетін қызметті берушіге жіберілді. Дайын құжаттар Мемлекеттік корпорацияда жеке басын куәландыратын құжатты (не нотариат куәландырған сенімхатты) және осы қолхатты ұсынған кезде беріледі. Мерзімінде талап етілмеген құжаттар бір ай сақталады, содан кейін көрсетілетін қызметті берушіге қайтарылады.',
    due: 'Қызмет көрсету мерзімі —',
    refusalTitle: 'Өтінішті одан әрі қараудан ДӘЛЕЛДІ БАС ТАРТУ',
    grounds: 'Бас тарту негіздері (мемлекеттік көрсетілетін қызмет стандартының 9-тармағы):',
    motivation: 'Дәлелдеме',
    decided: 'Шешім күні',
    official: 'Уәкілетті тұлға',
    signed: 'Құжат көрсетілетін қызметті берушінің уәкілетті тұлғасының ЭЦҚ-мен куәландырылған.',
    complaintTitle: 'Мемлекеттік қызмет көрсету нәтижесіне шағым бойынша ШЕШІМ',
    complaint: 'Шағым №',
    registered: 'тіркелді',
    reviewedBy: 'Қараған',
    outcome: 'Қарау нәтижесі',
    reopened: 'Өтініш қайта қарауға жіберілді; қызмет көрсетудің бұрынғы нәтижесі күшін жояды.',
    preTrialTitle: 'Сотқа дейінгі (әкімшілік) шағымдану тәртібінің аяқталғаны туралы АНЫҚТАМА',
    preTrialEnded: 'Сотқа дейінгі шағымдану тәртібі аяқталды',
    complaints: 'Берілген шағымдар',
    filed: 'берілді',
    court:
      'Сотқа дейінгі шағымданудан кейін сотқа жүгінуге жол беріледі (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91-бабының 5-бөлігі).',
    none: 'қаралмады',
  },
} as const;

const BODIES: Record<Language, Record<Addressee, string>> = {
  ru: {
    provider: 'услугодатель',
    'quality-authority': 'уполномоченный орган по оценке и контролю за качеством оказания государственных услуг',
  },
  kk: {
    provider: 'көрсетілетін қызметті беруші',
    'quality-authority': 'мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті орган',
  },
};

const OUTCOME_WORDS: Record<Language, Record<ComplaintOutcome, string>> = {
  ru: { upheld: 'жалоба удовлетворена', 'partly-upheld': 'жалоба удовлетворена частично', rejected: 'жалоба оставлена без удовлетворения' },
  kk: { upheld: 'шағым қанағаттандырылды', 'partly-upheld': 'шағым ішінара қанағаттандырылды', rejected: 'шағым қанағаттандырусыз қалдырылды' },
};

/** Renders a document of the cabinet in one language. */
export function renderNotice(kind: NoticeKind, language: Language, facts: NoticeFacts): string {
  const w = WORDS[language];
  const category = CATEGORY_NAMES[language][facts.category as Category] ?? facts.category;
  const header = `${facts.providerUnit}\n${w.application} ${facts.applicationNumber} ${w.of} ${facts.registeredAt}\n\n`;
  const footer = `\n${w.decided}: ${facts.decidedAt}\n${w.official}: ${facts.official}\n${w.signed}\n`;
  const complaintLine = (c: ComplaintFacts) =>
    `${w.complaint} ${c.complaintId}, ${w.filed} ${c.submittedAt}, ${w.registered} ${c.registeredAt}; ${w.reviewedBy}: ${BODIES[language][c.addressee]}`;
  if (kind === 'complaint-decision') {
    const c = facts.complaint!;
    const reopened = c.outcome === 'upheld' ? `\n${w.reopened}\n` : '';
    return `${header}${w.complaintTitle}\n\n${complaintLine(c)}\n${w.outcome}: ${c.outcome ? OUTCOME_WORDS[language][c.outcome] : w.none}\n${w.motivation}: ${c.motivation ?? ''}\n${reopened}\n${w.decided}: ${c.decidedAt}\n${w.official}: ${c.official ?? ''}\n${w.signed}\n`;
  }
  if (kind === 'pre-trial-record') {
    const lines = (facts.complaints ?? []).map(
      (c, i) => `  ${i + 1}) ${complaintLine(c)}; ${c.outcome ? `${OUTCOME_WORDS[language][c.outcome]} ${c.decidedAt}` : w.none}`,
    );
    return `${header}${w.preTrialTitle}\n\n${w.preTrialEnded}: ${facts.preTrialCompletedAt ?? ''}\n${w.complaints}:\n${lines.join('\n')}\n\n${w.court}\n${w.signed}\n`;
  }
  if (kind === 'acceptance') return `${header}${w.acceptanceTitle}\n\n${w.accepted(category)}\n${footer}`;
  if (kind === 'receipt') return `${header}${w.receiptTitle}\n\n${w.receiptAccepted(category)}\n${footer}`;
  if (kind === 'intake-receipt') return `${header}${w.intakeTitle}\n\n${w.intakeText}\n${w.due} ${facts.dueAt}\n${w.signed}\n`;
  const grounds = facts.grounds.map((g) => `  ${g}) ${GROUNDS[language][g]}`).join('\n');
  return `${header}${w.refusalTitle}\n\n${w.grounds}\n${grounds}\n\n${w.motivation}: ${facts.motivation ?? ''}\n${footer}`;
}
