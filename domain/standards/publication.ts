/**
 * R12, its second sentence: the central authorised body updates the information on the service within three
 * working days of a change of the standard and sends it to the Unified Contact Centre (1414). A change is an entry
 * of the standard schedule (schedule.ts) that records when its order was adopted (`adopted`): the duty runs from
 * then. This module says what each duty is — its term and its words; the outbox carries it to the contact centre
 * (infra/schedule-publication.ts), and the stuck listing flags one whose term passed undelivered.
 */
import type { WorkingCalendar } from '../calendar';
import { dateTimeInWords } from '../notices';
import type { StandardInForce } from './schedule';

/** R12: the working days the central body has to publish a change of the standard. */
export const PUBLICATION_WORKING_DAYS = 3;

/** The service as the standard names it. */
const SERVICE_NAME = {
  kk: 'Педагогтерді аттестаттаудан өткізу үшін құжаттар қабылдау',
  ru: 'Прием документов для прохождения аттестации педагогов',
};

/** The duty to publish one change of the standard to the contact centre. */
export interface PublicationDuty {
  standard: StandardInForce['standard'];
  /** from when the standard applies */
  from: string;
  /** when its order was adopted: the duty runs from then */
  adopted: string;
  /** the close of the third working day after the adoption (R12) */
  dueAt: string;
  basis: string;
  /** what the contact centre is told, in Kazakh and Russian */
  text: { kk: string; ru: string };
}

/** R12: the duties a schedule creates, one for each change that records its adoption. */
export function publicationDuties(schedule: readonly StandardInForce[], calendar: WorkingCalendar): PublicationDuty[] {
  return schedule.flatMap((entry) => {
    if (!entry.adopted || entry.from === null) return [];
    const from = { kk: dateTimeInWords(new Date(entry.from), 'kk'), ru: dateTimeInWords(new Date(entry.from), 'ru') };
    return [
      {
        standard: entry.standard,
        from: entry.from,
        adopted: entry.adopted,
        dueAt: calendar.deadline(new Date(entry.adopted), PUBLICATION_WORKING_DAYS).toISOString(),
        basis: entry.basis,
        text: {
          kk: `«${SERVICE_NAME.kk}» мемлекеттік көрсетілетін қызмет стандарты өзгерді: ${from.kk} бастап берілген өтініштер жаңа стандарт бойынша қаралады. Негіздеме: ${entry.basis}.`,
          ru: `Изменён стандарт государственной услуги «${SERVICE_NAME.ru}»: заявления, поданные с ${from.ru}, рассматриваются по новому стандарту. Основание: ${entry.basis}.`,
        },
      },
    ];
  });
}
