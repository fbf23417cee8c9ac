/**
 * The texts of the result documents (R5): the notification of acceptance (Appendix 3) and the motivated
 * refusal (Appendix 4), in Kazakh and Russian. Rendering only: signing and delivery are separate steps.
 */
import type { Category } from '../domain/service';

export type NoticeKind = 'acceptance' | 'refusal';
export type Language = 'kk' | 'ru';
export const LANGUAGES: readonly Language[] = ['kk', 'ru'];

export interface NoticeFacts {
  applicationNumber: string;
  category: string;
  providerUnit: string;
  registeredAt: string;
  decidedAt: string;
  official: string;
  grounds: number[];
  motivation: string | null;
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
    refusalTitle: 'МОТИВИРОВАННЫЙ ОТКАЗ в дальнейшем рассмотрении заявления',
    grounds: 'Основания отказа (пункт 9 стандарта государственной услуги):',
    motivation: 'Мотивировка',
    decided: 'Дата решения',
    official: 'Уполномоченное лицо',
    signed: 'Документ удостоверен ЭЦП уполномоченного лица услугодателя.',
  },
  kk: {
    application: '№',
    of: 'өтініш, күні',
    acceptanceTitle: 'Аттестаттаудан өту үшін құжаттарды қабылдау туралы ХАБАРЛАМА',
    accepted: (category: string) => `«${category}» біліктілік санатына аттестаттаудан өту үшін құжаттар қабылданды.`,
    refusalTitle: 'Өтінішті одан әрі қараудан ДӘЛЕЛДІ БАС ТАРТУ',
    grounds: 'Бас тарту негіздері (мемлекеттік көрсетілетін қызмет стандартының 9-тармағы):',
    motivation: 'Дәлелдеме',
    decided: 'Шешім күні',
    official: 'Уәкілетті тұлға',
    signed: 'Құжат көрсетілетін қызметті берушінің уәкілетті тұлғасының ЭЦҚ-мен куәландырылған.',
  },
} as const;

/** Renders a result document in one language. */
export function renderNotice(kind: NoticeKind, language: Language, facts: NoticeFacts): string {
  const w = WORDS[language];
  const category = CATEGORY_NAMES[language][facts.category as Category] ?? facts.category;
  const header = `${facts.providerUnit}\n${w.application} ${facts.applicationNumber} ${w.of} ${facts.registeredAt}\n\n`;
  const footer = `\n${w.decided}: ${facts.decidedAt}\n${w.official}: ${facts.official}\n${w.signed}\n`;
  if (kind === 'acceptance') return `${header}${w.acceptanceTitle}\n\n${w.accepted(category)}\n${footer}`;
  const grounds = facts.grounds.map((g) => `  ${g}) ${GROUNDS[language][g]}`).join('\n');
  return `${header}${w.refusalTitle}\n\n${w.grounds}\n${grounds}\n\n${w.motivation}: ${facts.motivation ?? ''}\n${footer}`;
}
