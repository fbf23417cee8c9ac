/**
 * The texts of the documents in the applicant's cabinet, each entirely in Kazakh or in Russian: the
 * notification of acceptance (Appendix 3), the receipt (Appendix 8) and the motivated refusal (Appendix 4)
 * (R5), the State Corporation's receipt for a package, a complaint's decision and the record that the pre-trial
 * stage has ended (R13). Written for the teacher who reads them: dates in words, the applicant named, the
 * grounds in the standard's own words, the defects of a refusal by rule worded in each language (with the
 * numerals agreeing), and no internal rule ids. Rendering only: signing and delivery are separate steps.
 */
import { DateTime } from 'luxon';
import type { Defect } from './admissibility';
import { ZONE } from './calendar';
import type { Addressee, ComplaintDecider, ComplaintOutcome, ComplaintSubject, Forwarder } from './complaint';
import type { DocumentKind, Purpose } from './documents';
import type { Bilingual } from './fields';
import type { Category } from './service';

/** R5: a result: the notification of acceptance (Appendix 3), the receipt (Appendix 8, earlier standard), a refusal. */
export type ResultKind = 'acceptance' | 'receipt' | 'refusal';
export const RESULT_KINDS: readonly ResultKind[] = ['acceptance', 'receipt', 'refusal'];
/** `intake-receipt`: the State Corporation's receipt for the package, against which the result is collected (R5). */
export type NoticeKind = ResultKind | 'intake-receipt' | 'complaint-decision' | 'pre-trial-record';
export const NOTICE_KINDS: readonly NoticeKind[] = [...RESULT_KINDS, 'intake-receipt', 'complaint-decision', 'pre-trial-record'];
export type Language = 'kk' | 'ru';
export const LANGUAGES: readonly Language[] = ['kk', 'ru'];

/**
 * Issue 31: the documents of a decision as the official who took it signed them — checked by the API (the bytes
 * prepared, the certificate trusted and current, its holder the authorised person named) and stored as they are.
 */
export interface SignedDecisionDocuments {
  /** the authorised person who signed: the registry's id and name */
  person: { id: string; name: string };
  /** the decision date the documents print */
  decidedAt: string;
  /** the signer's certificate (PEM), read from the signatures */
  certificatePem: string;
  documents: Array<{ language: Language; body: string; signature: string; certificateFingerprint: string }>;
}

/** What a document states; instants as Dates (worded in the document's language), absent ones null. */
export interface NoticeFacts {
  applicationNumber: string;
  applicantName: string;
  /** the applicant's IIN, which every document names beside her (issue 31) */
  iin: string;
  category: string;
  /** null: an application from before the field (the title's "assign (confirm)" then) */
  purpose: Purpose | null;
  /** R1: the body that issues the document (the provider unit, or the body that reviewed a complaint), named in each language */
  issuer: Record<Language, string>;
  /**
   * R5: the key that certifies it, the issuing body's own (issue 31): its holder named in each language, and its
   * certificate's fingerprint (GET /signing-certificates/:fingerprint)
   */
  signer: { holder: Record<Language, string>; fingerprint: string } | null;
  /**
   * issue 31: the authorised person who took the decision and signs it with their own certificate, named with
   * their position in each language as the registry holds them (the document then names no body's key)
   */
  authorisedPerson?: { name: string; position: Bilingual } | null;
  /** the earlier standard (003) words its basis as a "standard"; the current one as the Rules' list (002 §13) */
  standard: 'standard-1' | 'standard-2';
  submittedAt: Date;
  registeredAt: Date | null;
  /** R3: the end of the service's term */
  dueAt: Date | null;
  decidedAt: Date | null;
  /** the deciding authorised person; null for an act the system issues by rule (a refusal by rule) */
  official: string | null;
  grounds: number[];
  /** the provider's own words in each language; a refusal by rule has its defects instead */
  motivation: Bilingual | null;
  defects: Defect[] | null;
  /** a complaint's decision: the complaint it answers */
  complaint?: ComplaintFacts;
  /** the pre-trial record: every complaint and when the stage ended */
  complaints?: ComplaintFacts[];
  preTrialCompletedAt?: Date | null;
}

export interface ComplaintFacts {
  complaintId: string;
  addressee: Addressee;
  subject: ComplaintSubject;
  late: boolean;
  /** filed through the provider to the body above it (APPK art. 91 §4); false on complaints from before */
  throughProvider: boolean;
  /** who sent it on to the body above: the provider, or the service when the provider's 3 days ended */
  forwardedBy: Forwarder | null;
  /** who decided: the provider satisfying it in full, or the body reviewing it */
  decidedBy: ComplaintDecider | null;
  /** APPK art. 92 §2: the applicant petitioned to restore the missed period */
  petitioned: boolean;
  periodRestored: boolean | null;
  submittedAt: Date;
  registeredAt: Date;
  outcome: ComplaintOutcome | null;
  /** in each language */
  motivation: Bilingual | null;
  official: string | null;
  decidedAt: Date | null;
  /** R10: a newer application of the teacher holds the year, so an upheld complaint does not reopen this one */
  yearHeldBy: string | null;
  /**
   * R13: the result it contests is no longer the one in force when it is decided (another upheld complaint took the
   * case back to review, or a new result was taken): upheld, it reopens nothing
   */
  resultSuperseded: boolean;
}

/** Category names as 002 §15 (kk) and the Rules in Russian give them. */
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
    'head-1': 'бірінші санаттағы басшы',
    'head-2': 'екінші санаттағы басшы',
    'head-3': 'үшінші санаттағы басшы',
    'deputy-head-1': 'бірінші санаттағы басшы орынбасары',
    'deputy-head-2': 'екінші санаттағы басшы орынбасары',
    'deputy-head-3': 'үшінші санаттағы басшы орынбасары',
  },
};

/**
 * R9's grounds in the standard's own words: the current standard's (000 §9, Russian; ground 2 is not legible in the
 * source text and keeps the Rules' wording) and the earlier standard's (003 §9, Kazakh), each in both languages.
 */
const GROUNDS: Record<NoticeFacts['standard'], Record<Language, Record<number, string>>> = {
  'standard-2': {
    ru: {
      1: 'установление недостоверности документов, представленных услугополучателем для получения государственной услуги, и (или) данных (сведений), содержащихся в них',
      2: 'несоответствие услугополучателя и (или) представленных материалов требованиям Правил',
      3: 'отсутствие согласия услугополучателя, предоставляемого в соответствии со статьей 8 Закона Республики Казахстан «О персональных данных и их защите», на доступ к персональным данным ограниченного доступа, которые требуются для оказания государственной услуги',
    },
    kk: {
      1: 'көрсетілетін қызметті алушы мемлекеттік көрсетілетін қызметті алу үшін ұсынған құжаттардың және (немесе) олардағы деректердің (мәліметтердің) анық еместігін анықтау',
      2: 'көрсетілетін қызметті алушының және (немесе) ұсынылған материалдардың Қағидалар талаптарына сәйкес келмеуі',
      3: 'мемлекеттік қызметті көрсету үшін талап етілетін, қолжетімділігі шектеулі дербес деректерге қол жеткізуге Қазақстан Республикасының «Дербес деректер және оларды қорғау туралы» Заңының 8-бабына сәйкес берілетін көрсетілетін қызметті алушы келісімінің болмауы',
    },
  },
  'standard-1': {
    ru: {
      1: 'установление недостоверности документов, представленных услугополучателем для получения государственной услуги, и (или) данных (сведений), содержащихся в них',
      2: 'несоответствие услугополучателя и (или) представленных материалов, данных и сведений, необходимых для оказания государственной услуги, требованиям',
    },
    kk: {
      1: 'көрсетілетін қызметті алушы мемлекеттік көрсетілетін қызметті алу үшін ұсынған құжаттардың және (немесе) олардағы деректердің (мәліметтердің) анық еместігін анықтау',
      2: 'көрсетілетін қызметті алушының және (немесе) мемлекеттік қызметті көрсету үшін қажетті ұсынылған материалдардың, деректер мен мәліметтердің талаптарға сәйкес келмеуі',
    },
  },
};

/** R8: a document not submitted, as a whole phrase (the verb agrees with the document in Russian). */
const MISSING_DOCUMENT: Record<Language, Record<DocumentKind, string>> = {
  ru: {
    diploma: 'не представлен документ об образовании',
    retraining: 'не представлен документ о прохождении курсов переподготовки',
    employment: 'не представлен документ, подтверждающий трудовую деятельность',
    'courses-certificate': 'не представлен сертификат о прохождении курсов повышения квалификации',
    'category-certificate': 'не представлены удостоверение и приказ о присвоенной квалификационной категории',
    'professional-achievements': 'не представлены документы, подтверждающие профессиональные достижения и обобщение опыта',
    'student-achievements': 'не представлены документы, подтверждающие достижения обучающихся',
  },
  kk: {
    diploma: 'білімі туралы құжат ұсынылмаған',
    retraining: 'қайта даярлау курстарынан өткені туралы құжат ұсынылмаған',
    employment: 'еңбек қызметін растайтын құжат ұсынылмаған',
    'courses-certificate': 'біліктілікті арттыру курстарынан өткені туралы сертификат ұсынылмаған',
    'category-certificate': 'берілген біліктілік санаты туралы куәлік пен бұйрық ұсынылмаған',
    'professional-achievements': 'кәсіби жетістіктерін және тәжірибені жинақтауын растайтын құжаттар ұсынылмаған',
    'student-achievements': 'білім алушылардың жетістіктерін растайтын құжаттар ұсынылмаған',
  },
};

/** Russian nouns after a numeral: one (1, 21, 301), few (2–4, 22–24), many (5–20, 25–30, 250). */
const RU_PLURAL = new Intl.PluralRules('ru');
const WORD_RU: Record<string, string> = { one: 'слово', few: 'слова', many: 'слов', other: 'слова' };
function wordsRu(n: number): string {
  return `${n} ${WORD_RU[RU_PLURAL.select(n)]}`;
}
/** After "до" (genitive): "до 301 слова", "до 300 слов", "до 22 слов". */
function wordsGenitiveRu(n: number): string {
  return `${n} ${RU_PLURAL.select(n) === 'one' ? 'слова' : 'слов'}`;
}

/** R8, R9: the defects of a refusal by rule, one phrase each, in the document's language. */
export function defectsInWords(defects: readonly Defect[], language: Language): string[] {
  return defects.map((d) => {
    switch (d.code) {
      case 'no-consent':
        return language === 'ru'
          ? 'не дано согласие на доступ к персональным данным ограниченного доступа, необходимым для оказания государственной услуги'
          : 'мемлекеттік қызмет көрсету үшін қажетті қолжетімділігі шектеулі дербес деректерге қол жеткізуге келісім берілмеген';
      case 'essay-length':
        // Kazakh nouns do not change after a numeral: "301 сөз", "250 сөз".
        return language === 'ru'
          ? `эссе содержит ${wordsRu(d.words)}, тогда как должно содержать от ${d.min} до ${wordsGenitiveRu(d.max)}`
          : `эссе ${d.words} сөзден тұрады, ал ${d.min}–${d.max} сөз болуы тиіс`;
      case 'missing-document': {
        const absent =
          language === 'ru'
            ? ' (сведения в государственных информационных системах отсутствуют)'
            : ' (мемлекеттік ақпараттық жүйелерде мәліметтер жоқ)';
        return `${MISSING_DOCUMENT[language][d.document]}${d.notInStateSystems ? absent : ''}`;
      }
    }
  });
}

const MONTHS: Record<Language, readonly string[]> = {
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  kk: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
};

/** An instant's date in words and its time, in Kazakhstan's time: "3 декабря 2026 г." and "18:30". */
function partsInWords(instant: Date, language: Language): { date: string; time: string } {
  const t = DateTime.fromJSDate(instant, { zone: ZONE });
  const month = MONTHS[language][t.month - 1];
  return { date: language === 'ru' ? `${t.day} ${month} ${t.year} г.` : `${t.year} жылғы ${t.day} ${month}`, time: t.toFormat('HH:mm') };
}

/** An instant as a person writes it, in Kazakhstan's time: "3 декабря 2026 г., 18:30", "2026 жылғы 3 желтоқсан, 18:30". */
export function dateTimeInWords(instant: Date, language: Language): string {
  const { date, time } = partsInWords(instant, language);
  return `${date}, ${time}`;
}

/**
 * The Kazakh dative ending after a time read aloud ("сағат 18:30-ға дейін", "сағат 12:00-ге дейін"): it follows the
 * last number word spoken — the minutes', or the hour's on the hour — by its final sound and vowel harmony.
 */
const DATIVE_AFTER_UNITS: Record<number, string> = { 1: 'ге', 2: 'ге', 3: 'ке', 4: 'ке', 5: 'ке', 6: 'ға', 7: 'ге', 8: 'ге', 9: 'ға' };
const DATIVE_AFTER_TENS: Record<number, string> = { 1: 'ға', 2: 'ға', 3: 'ға', 4: 'қа', 5: 'ге' };
export function untilSuffix(time: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  const spoken = minutes === 0 ? hours : minutes;
  if (spoken === 0) return 'ге';
  return spoken % 10 !== 0 ? DATIVE_AFTER_UNITS[spoken % 10] : DATIVE_AFTER_TENS[spoken / 10];
}

const WORDS = {
  ru: {
    application: (n: string, date: string) => `Заявление № ${n} от ${date}`,
    applicant: 'Услугополучатель',
    iin: 'ИИН',
    purpose: { assign: 'присвоение', confirm: 'подтверждение', unknown: 'присвоение (подтверждение)' },
    request: (purpose: string, category: string) => `Предмет заявления: ${purpose} квалификационной категории «${category}».`,
    registered: 'Дата регистрации',
    acceptanceTitle: 'УВЕДОМЛЕНИЕ о приеме документов для прохождения аттестации',
    accepted: 'Документы для прохождения аттестации приняты.',
    receiptTitle: 'РАСПИСКА о приеме заявления для присвоения (подтверждения) квалификационной категории педагогам',
    receiptAccepted: 'Заявление и документы для прохождения аттестации приняты.',
    intakeTitle: 'РАСПИСКА о приеме пакета документов',
    intakeText:
      'Пакет документов принят и передан услугодателю. Готовые документы выдаются в Государственной корпорации при предъявлении документа, удостоверяющего личность (либо нотариально удостоверенной доверенности представителя), и настоящей расписки. Невостребованные в срок документы хранятся один месяц, затем возвращаются услугодателю.',
    due: (date: string, time: string) => `Срок оказания услуги — до ${date}, ${time}`,
    // 000 §4, 002 §16 (Appendix 4); the earlier standard's result was a motivated refusal of the service (003 §5)
    refusalTitle: {
      'standard-2': 'УВЕДОМЛЕНИЕ об отказе в дальнейшем рассмотрении заявления',
      'standard-1': 'МОТИВИРОВАННЫЙ ОТКАЗ в оказании государственной услуги',
    },
    groundsBasis: {
      'standard-2': 'Основания отказа (пункт 9 Перечня основных требований к оказанию государственной услуги):',
      'standard-1': 'Основания отказа (пункт 9 стандарта государственной услуги):',
    },
    defects: 'Выявленные несоответствия',
    motivation: 'Мотивировка',
    decided: 'Дата решения',
    official: 'Уполномоченное лицо',
    // issue 31: an act the system issues by rule says so, and is certified by the body's own key
    automatic: 'Решение принято автоматически по результатам проверки заявления информационной системой; удостоверено ЭЦП услугодателя.',
    signed: 'Документ удостоверен электронной цифровой подписью услугодателя.',
    signedPersonally: 'Документ удостоверен электронной цифровой подписью уполномоченного лица.',
    signedByReviewer: 'Документ удостоверен электронной цифровой подписью органа, рассмотревшего жалобу.',
    signedByStateCorporation: 'Документ удостоверен электронной цифровой подписью Государственной корпорации.',
    preTrialIssued: 'Справка сформирована информационной системой; удостоверена ЭЦП услугодателя.',
    signer: (holder: string, fingerprint: string) => `Подписант: ${holder}; сертификат ЭЦП ${fingerprint}`,
    // APPK art. 91, 92: through the provider to the body above it, or to the quality-control authority, within
    // three months; the court after the pre-trial stage
    appealRefusal:
      'Порядок обжалования: решение может быть обжаловано в течение трех месяцев со дня его получения — жалобой в вышестоящий административный орган, поданной через услугодателя, либо в уполномоченный орган по оценке и контролю за качеством оказания государственных услуг (статьи 91 и 92 Административного процедурно-процессуального кодекса Республики Казахстан). Обращение в суд допускается после досудебного обжалования (часть 5 статьи 91).',
    appealComplaint:
      'Порядок обжалования: решение по жалобе может быть обжаловано в суде; досудебный порядок обжалования по нему соблюден (часть 5 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    // R10: a refusal frees the academic year
    applyAgain:
      'После устранения причин отказа услугополучатель вправе подать заявление повторно в сроки приема заявлений, определенные уполномоченным органом в области образования (аттестация проводится один раз в учебном году).',
    // R11
    status: 'Статус заявления можно узнать в личном кабинете и в Едином контакт-центре: 1414, 8 800 080 7777.',
    complaintTitle: 'РЕШЕНИЕ по жалобе',
    complaint: (n: string, filed: string, registered: string) => `Жалоба № ${n}, подана ${filed}, зарегистрирована ${registered}`,
    reviewedBy: 'Орган, рассмотревший жалобу',
    superiorBody: 'вышестоящий административный орган услугодателя',
    satisfiedByProvider:
      'Жалоба удовлетворена в полном объеме услугодателем, действие которого обжаловано, в течение трех рабочих дней со дня ее регистрации (часть 4 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    forwardedByProvider:
      'Жалоба подана через услугодателя и направлена им в вышестоящий орган вместе с материалами дела (часть 4 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    forwardedByService:
      'Жалоба подана через услугодателя; услугодатель не удовлетворил ее в течение трех рабочих дней, и информационная система направила ее в вышестоящий орган вместе с материалами дела (часть 4 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    subject: 'Предмет жалобы',
    subjects: {
      result: 'результат оказания государственной услуги',
      inaction: 'бездействие услугодателя: решение не принято в установленный срок',
      lateness: 'нарушение срока оказания государственной услуги',
    },
    late: 'Жалоба подана по истечении трехмесячного срока обжалования (часть 1 статьи 92 Административного процедурно-процессуального кодекса Республики Казахстан); пропуск срока не является основанием для отказа в принятии жалобы, жалоба рассмотрена по существу (часть 3 статьи 92).',
    petitioned: 'Заявлено ходатайство о восстановлении пропущенного срока (часть 2 статьи 92).',
    restored: 'Пропущенный срок обжалования восстановлен по уважительной причине.',
    notRestored:
      'Пропущенный срок обжалования не восстановлен; причины его пропуска, выясненные при рассмотрении жалобы, являются основанием для отказа в ее удовлетворении (часть 3 статьи 92 Административного процедурно-процессуального кодекса Республики Казахстан).',
    outcome: 'Результат рассмотрения',
    reopened: 'Заявление направлено на повторное рассмотрение; прежний результат оказания услуги утрачивает силу.',
    notReopened: (n: string) =>
      `Прежний результат оказания услуги признан неправомерным. Повторное рассмотрение заявления не проводится: на тот же учебный год рассматривается или принято новое заявление услугополучателя № ${n}.`,
    superseded:
      'Обжалованный результат оказания услуги признан неправомерным. Повторное рассмотрение заявления по нему не проводится: заявление уже рассматривается повторно или по нему принят новый результат.',
    ordered: 'Услугодателю предписано незамедлительно принять решение по заявлению.',
    latenessFound: 'Нарушение срока оказания государственной услуги признано; результат оказания услуги остается в силе.',
    preTrialTitle: 'СПРАВКА о завершении досудебного (административного) порядка обжалования',
    preTrialEnded: 'Досудебный порядок обжалования завершен',
    complaints: 'Поданные жалобы',
    court:
      'После досудебного обжалования допускается обращение в суд (часть 5 статьи 91 Административного процедурно-процессуального кодекса Республики Казахстан).',
    none: 'не рассмотрена',
  },
  kk: {
    application: (n: string, date: string) => `Өтініш № ${n}, берілген күні: ${date}`,
    applicant: 'Көрсетілетін қызметті алушы',
    iin: 'ЖСН',
    purpose: { assign: 'беру', confirm: 'растау', unknown: 'беру (растау)' },
    request: (purpose: string, category: string) => `Өтініштің мәні: «${category}» біліктілік санатын ${purpose}.`,
    registered: 'Тіркелген күні',
    // 002 §16 (Appendix 3)
    acceptanceTitle: 'Аттестаттаудан өтуге өтінішті қабылдау туралы ХАБАРЛАМА',
    accepted: 'Аттестаттаудан өту үшін құжаттар қабылданды.',
    receiptTitle: 'Педагогтерге біліктілік санатын беру (растау) үшін өтінішті қабылдау туралы ҚОЛХАТ',
    receiptAccepted: 'Аттестаттаудан өту үшін өтініш пен құжаттар қабылданды.',
    intakeTitle: 'Құжаттар топтамасын қабылдағаны туралы ҚОЛХАТ',
    intakeText:
      'Құжаттар топтамасы қабылданып, көрсетілетін қызметті берушіге жіберілді. Дайын құжаттар Мемлекеттік корпорацияда жеке басын куәландыратын құжатты (не нотариат куәландырған сенімхатты) және осы қолхатты ұсынған кезде беріледі. Мерзімінде талап етілмеген құжаттар бір ай сақталады, содан кейін көрсетілетін қызметті берушіге қайтарылады.',
    due: (date: string, time: string) => `Қызмет көрсету мерзімі — ${date}, сағат ${time}-${untilSuffix(time)} дейін`,
    refusalTitle: {
      'standard-2': 'Өтінішті одан әрі қараудан бас тарту туралы ХАБАРЛАМА',
      'standard-1': 'Мемлекеттік қызмет көрсетуден ДӘЛЕЛДІ БАС ТАРТУ',
    },
    groundsBasis: {
      'standard-2': 'Бас тарту негіздері (Мемлекеттік қызмет көрсетуге қойылатын негізгі талаптар тізбесінің 9-тармағы):',
      'standard-1': 'Бас тарту негіздері (мемлекеттік көрсетілетін қызмет стандартының 9-тармағы):',
    },
    defects: 'Анықталған сәйкессіздіктер',
    motivation: 'Негіздеме',
    decided: 'Шешім күні',
    official: 'Уәкілетті тұлға',
    automatic:
      'Шешім өтінішті ақпараттық жүйенің тексеруі нәтижесінде автоматты түрде қабылданды; көрсетілетін қызметті берушінің ЭЦҚ-мен куәландырылды.',
    signed: 'Құжат көрсетілетін қызметті берушінің электрондық цифрлық қолтаңбасымен куәландырылған.',
    signedPersonally: 'Құжат уәкілетті тұлғаның электрондық цифрлық қолтаңбасымен куәландырылған.',
    signedByReviewer: 'Құжат шағымды қараған органның электрондық цифрлық қолтаңбасымен куәландырылған.',
    signedByStateCorporation: 'Құжат Мемлекеттік корпорацияның электрондық цифрлық қолтаңбасымен куәландырылған.',
    preTrialIssued: 'Анықтаманы ақпараттық жүйе қалыптастырды; көрсетілетін қызметті берушінің ЭЦҚ-мен куәландырылды.',
    signer: (holder: string, fingerprint: string) => `Қол қойған: ${holder}; ЭЦҚ сертификаты ${fingerprint}`,
    appealRefusal:
      'Шағымдану тәртібі: шешімге ол алынған күннен бастап үш ай ішінде көрсетілетін қызметті беруші арқылы жоғары тұрған әкімшілік органға не мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті органға шағым жасалуы мүмкін (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91 және 92-баптары). Сотқа дейінгі шағымданудан кейін сотқа жүгінуге жол беріледі (91-баптың 5-бөлігі).',
    appealComplaint:
      'Шағымдану тәртібі: шағым бойынша шешімге сотқа шағым жасалуы мүмкін; ол бойынша сотқа дейінгі шағымдану тәртібі сақталды (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91-бабының 5-бөлігі).',
    applyAgain:
      'Бас тарту себептері жойылғаннан кейін көрсетілетін қызметті алушы білім беру саласындағы уәкілетті орган айқындаған өтініштерді қабылдау мерзімінде өтінішті қайта беруге құқылы (аттестаттау оқу жылында бір рет өткізіледі).',
    status: 'Өтініштің мәртебесін жеке кабинеттен және Бірыңғай байланыс орталығынан білуге болады: 1414, 8 800 080 7777.',
    complaintTitle: 'Шағым бойынша ШЕШІМ',
    complaint: (n: string, filed: string, registered: string) => `Шағым № ${n}, берілген күні: ${filed}, тіркелген күні: ${registered}`,
    reviewedBy: 'Шағымды қараған орган',
    superiorBody: 'көрсетілетін қызметті берушінің жоғары тұрған әкімшілік органы',
    satisfiedByProvider:
      'Шағымды әрекетіне шағым жасалған көрсетілетін қызметті беруші ол тіркелген күннен бастап үш жұмыс күні ішінде толық көлемде қанағаттандырды (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91-бабының 4-бөлігі).',
    forwardedByProvider:
      'Шағым көрсетілетін қызметті беруші арқылы берілді және ол іс материалдарымен бірге жоғары тұрған органға жіберілді (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91-бабының 4-бөлігі).',
    forwardedByService:
      'Шағым көрсетілетін қызметті беруші арқылы берілді; көрсетілетін қызметті беруші оны үш жұмыс күні ішінде қанағаттандырмады, сондықтан ақпараттық жүйе оны іс материалдарымен бірге жоғары тұрған органға жіберді (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 91-бабының 4-бөлігі).',
    subject: 'Шағымның мәні',
    subjects: {
      result: 'мемлекеттік қызмет көрсету нәтижесі',
      inaction: 'көрсетілетін қызметті берушінің әрекетсіздігі: шешім белгіленген мерзімде қабылданбаған',
      lateness: 'мемлекеттік қызмет көрсету мерзімінің бұзылуы',
    },
    late: 'Шағым үш айлық шағымдану мерзімі өткеннен кейін берілді (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 92-бабының 1-бөлігі); мерзімнің өткізіп алынуы шағымды қабылдаудан бас тартуға негіз болып табылмайды, шағым мәні бойынша қаралды (92-баптың 3-бөлігі).',
    petitioned: 'Өткізіп алған мерзімді қалпына келтіру туралы өтінішхат мәлімделді (92-баптың 2-бөлігі).',
    restored: 'Өткізіп алған шағымдану мерзімі дәлелді себеппен қалпына келтірілді.',
    notRestored:
      'Өткізіп алған шағымдану мерзімі қалпына келтірілмеді; шағымды қарау кезінде анықталған оны өткізіп алу себептері шағымды қанағаттандырудан бас тартуға негіз болып табылады (Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 92-бабының 3-бөлігі).',
    outcome: 'Қарау нәтижесі',
    reopened: 'Өтініш қайта қарауға жіберілді; қызмет көрсетудің бұрынғы нәтижесі күшін жояды.',
    notReopened: (n: string) =>
      `Қызмет көрсетудің бұрынғы нәтижесі заңсыз деп танылды. Өтініш қайта қаралмайды: сол оқу жылына көрсетілетін қызметті алушының № ${n} жаңа өтініші қаралуда немесе қабылданды.`,
    superseded:
      'Шағымданған қызмет көрсету нәтижесі заңсыз деп танылды. Өтініш ол бойынша қайта қаралмайды: өтініш қазірдің өзінде қайта қаралуда немесе ол бойынша жаңа нәтиже қабылданды.',
    ordered: 'Көрсетілетін қызметті берушіге өтініш бойынша шешімді дереу қабылдау тапсырылды.',
    latenessFound: 'Мемлекеттік қызмет көрсету мерзімінің бұзылғаны танылды; қызмет көрсету нәтижесі күшінде қалады.',
    preTrialTitle: 'Сотқа дейінгі (әкімшілік) шағымдану тәртібінің аяқталғаны туралы АНЫҚТАМА',
    preTrialEnded: 'Сотқа дейінгі шағымдану тәртібі аяқталды',
    complaints: 'Берілген шағымдар',
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
  ru: {
    upheld: 'жалоба удовлетворена',
    'partly-upheld': 'жалоба удовлетворена частично',
    rejected: 'жалоба оставлена без удовлетворения',
    'left-without-consideration': 'жалоба оставлена без рассмотрения',
  },
  kk: {
    upheld: 'шағым қанағаттандырылды',
    'partly-upheld': 'шағым ішінара қанағаттандырылды',
    rejected: 'шағым қанағаттандырусыз қалдырылды',
    'left-without-consideration': 'шағым қараусыз қалдырылды',
  },
};

/** What an upheld complaint does to the case, in words (R10, R13). */
function consequence(c: ComplaintFacts, language: Language): string | null {
  const w = WORDS[language];
  if (c.outcome !== 'upheld' && c.outcome !== 'partly-upheld') return null;
  if (c.subject === 'inaction') return w.ordered;
  if (c.subject === 'lateness') return w.latenessFound;
  if (c.outcome !== 'upheld') return null;
  // in a running case or a closed one alike (APPK art. 92: a closed case is taken back to review, complaint.ts)
  if (c.resultSuperseded) return w.superseded;
  return c.yearHeldBy ? w.notReopened(c.yearHeldBy) : w.reopened;
}

/** Renders a document of the cabinet in one language. */
export function renderNotice(kind: NoticeKind, language: Language, facts: NoticeFacts): string {
  const w = WORDS[language];
  const when = (d: Date | null | undefined) => (d ? dateTimeInWords(d, language) : '—');
  const category = CATEGORY_NAMES[language][facts.category as Category] ?? facts.category;
  const purpose = w.purpose[facts.purpose ?? 'unknown'];
  const motivation = (m: Bilingual | null) => `${w.motivation}: ${m?.[language] ?? ''}`;
  const header = (title: string) =>
    [
      facts.issuer[language],
      '',
      title,
      '',
      w.application(facts.applicationNumber, when(facts.submittedAt)),
      `${w.applicant}: ${facts.applicantName}, ${w.iin} ${facts.iin}`,
    ].join('\n');
  const request = w.request(purpose, category);
  const signer = facts.signer ? w.signer(facts.signer.holder[language], facts.signer.fingerprint) : '';
  // issue 31: a decision an official took is signed by them and names them with their position; an act the system
  // issued by rule says so, certified by the body's key (a decision from before named the official beside the key)
  const person = facts.authorisedPerson;
  const personally = person ? `${w.official}: ${person.name}, ${person.position[language]}\n${w.signedPersonally}` : null;
  const footer = personally
    ? `${w.decided}: ${when(facts.decidedAt)}\n${personally}\n`
    : facts.official
      ? `${w.decided}: ${when(facts.decidedAt)}\n${w.official}: ${facts.official}\n${w.signed}\n${signer}\n`
      : `${w.decided}: ${when(facts.decidedAt)}\n${w.automatic}\n${signer}\n`;
  const complaintLine = (c: ComplaintFacts) => w.complaint(c.complaintId, when(c.submittedAt), when(c.registeredAt));
  // APPK art. 91 §4: a complaint filed through the provider is satisfied by it, or decided by the body above it.
  const reviewer = (c: ComplaintFacts) =>
    `${w.reviewedBy}: ${c.throughProvider && c.decidedBy !== 'provider' ? w.superiorBody : BODIES[language][c.addressee]}`;
  const road = (c: ComplaintFacts): string[] => {
    if (!c.throughProvider) return [];
    if (c.decidedBy === 'provider') return [w.satisfiedByProvider];
    return c.forwardedBy === 'service' ? [w.forwardedByService] : c.forwardedBy === 'provider' ? [w.forwardedByProvider] : [];
  };

  switch (kind) {
    case 'acceptance':
      return `${header(w.acceptanceTitle)}\n${request}\n${w.registered}: ${when(facts.registeredAt)}\n\n${w.accepted}\n${w.status}\n\n${footer}`;
    case 'receipt':
      return `${header(w.receiptTitle)}\n${request}\n${w.registered}: ${when(facts.registeredAt)}\n\n${w.receiptAccepted}\n${w.status}\n\n${footer}`;
    case 'intake-receipt': {
      const due = facts.dueAt ? partsInWords(facts.dueAt, language) : null;
      return `${header(w.intakeTitle)}\n${request}\n\n${w.intakeText}\n${due ? w.due(due.date, due.time) : ''}\n${w.status}\n\n${w.signedByStateCorporation}\n${signer}\n`;
    }
    case 'refusal': {
      const grounds = facts.grounds.map((g) => `  ${g}) ${GROUNDS[facts.standard][language][g] ?? GROUNDS['standard-2'][language][g]}`).join('\n');
      const why = facts.defects
        ? `${w.defects}:\n${defectsInWords(facts.defects, language)
            .map((d, i) => `  ${i + 1}) ${d}`)
            .join(';\n')}.`
        : motivation(facts.motivation);
      return `${header(w.refusalTitle[facts.standard])}\n${request}\n${w.registered}: ${when(facts.registeredAt)}\n\n${w.groundsBasis[facts.standard]}\n${grounds}\n\n${why}\n\n${w.appealRefusal}\n${w.applyAgain}\n${w.status}\n\n${footer}`;
    }
    case 'complaint-decision': {
      const c = facts.complaint!;
      const lines = [header(w.complaintTitle), '', complaintLine(c), reviewer(c), ...road(c), `${w.subject}: ${w.subjects[c.subject]}`];
      if (c.late) {
        lines.push(w.late, ...(c.petitioned ? [w.petitioned] : []));
        lines.push(...(c.periodRestored === true ? [w.restored] : c.periodRestored === false ? [w.notRestored] : []));
      }
      lines.push(`${w.outcome}: ${c.outcome ? OUTCOME_WORDS[language][c.outcome] : w.none}`, motivation(c.motivation));
      const then = consequence(c, language);
      if (then) lines.push('', then);
      lines.push('', w.appealComplaint, w.status);
      lines.push(
        '',
        `${w.decided}: ${when(c.decidedAt)}`,
        ...(personally ? [personally] : [`${w.official}: ${c.official ?? ''}`, w.signedByReviewer, signer]),
      );
      return `${lines.join('\n')}\n`;
    }
    case 'pre-trial-record': {
      const lines = (facts.complaints ?? []).map(
        (c, i) =>
          `  ${i + 1}) ${complaintLine(c)}\n     ${reviewer(c)}; ${w.outcome.toLowerCase()}: ${c.outcome ? `${OUTCOME_WORDS[language][c.outcome]}, ${when(c.decidedAt)}` : w.none}`,
      );
      return `${header(w.preTrialTitle)}\n\n${w.preTrialEnded}: ${when(facts.preTrialCompletedAt)}\n${w.complaints}:\n${lines.join('\n')}\n\n${w.court}\n\n${w.preTrialIssued}\n${signer}\n`;
    }
  }
}
