/**
 * The texts of the result documents (R5): the notification of acceptance (Appendix 3) and the motivated
 * refusal (Appendix 4), in Russian and Kazakh. Rendering only: signing and delivery are separate steps.
 */
import { REFUSAL_GROUNDS } from '../domain/service';

export type NoticeKind = 'acceptance' | 'refusal';

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

const CATEGORY_RU: Record<string, string> = {
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
};

const GROUNDS_RU: Record<number, string> = {
  1: 'установление недостоверности документов, представленных для получения государственной услуги, и (или) данных (сведений), содержащихся в них',
  2: 'несоответствие услугополучателя и (или) представленных материалов требованиям Правил',
  3: 'отсутствие согласия услугополучателя на доступ к персональным данным ограниченного доступа (статья 8 Закона «О персональных данных и их защите»)',
};

/** Renders a notice in Russian (the Appendix 3/4 form's language of record); Kazakh follows in a later issue. */
export function renderNotice(kind: NoticeKind, facts: NoticeFacts): string {
  const header = `${facts.providerUnit}\nЗаявление № ${facts.applicationNumber} от ${facts.registeredAt}\n`;
  if (kind === 'acceptance') {
    return (
      `${header}\nУВЕДОМЛЕНИЕ о приеме документов для прохождения аттестации\n\n` +
      `Документы для прохождения аттестации на квалификационную категорию «${CATEGORY_RU[facts.category] ?? facts.category}» приняты.\n\n` +
      `Дата решения: ${facts.decidedAt}\nУполномоченное лицо: ${facts.official}\n`
    );
  }
  const grounds = facts.grounds.map((g) => `  ${g}) ${GROUNDS_RU[g] ?? REFUSAL_GROUNDS[g as 1 | 2 | 3]}`).join('\n');
  return (
    `${header}\nМОТИВИРОВАННЫЙ ОТКАЗ в дальнейшем рассмотрении заявления\n\n` +
    `Основания отказа (пункт 9 стандарта государственной услуги):\n${grounds}\n\n` +
    `Мотивировка: ${facts.motivation ?? ''}\n\nДата решения: ${facts.decidedAt}\nУполномоченное лицо: ${facts.official}\n`
  );
}
