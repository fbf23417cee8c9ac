/**
 * R11: the Unified Contact Centre (1414) tells a teacher where her application stands. Its operator gives the
 * application's number and the teacher's IIN and reads back, in Kazakh and Russian, what happens next and by when:
 * no documents, no other case (client/api/routes/contact-centre.ts). Pure: no I/O.
 */
import type { ApplicationStatus } from './case-status';
import { dateTimeInWords, type Language } from './notices';

type Words = Record<Language, string>;

const at = (iso: string | null | undefined, language: Language) => (iso ? dateTimeInWords(new Date(iso), language) : '—');

/** What happens next in the case, and by when, as the contact centre says it to the teacher. */
export function nextStepForTheTeacher(view: ApplicationStatus): Words {
  const due = (l: Language) => at(view.decisionDueAt, l);
  const complaintsUntil = (l: Language) => at(view.complaintPeriodEndsAt, l);
  switch (view.state) {
    case 'received':
    case 'waiting-for-registration':
      return {
        ru: 'Заявление принято и будет зарегистрировано в ближайшее рабочее время.',
        kk: 'Өтініш қабылданды және жақын жұмыс уақытында тіркеледі.',
      };
    case 'registered':
    case 'under-review':
      return view.overdue
        ? {
            ru: `Срок решения (${due('ru')}) истёк; вышестоящий орган уведомлён. Можно подать жалобу на бездействие.`,
            kk: `Шешім шығару мерзімі (${due('kk')}) өтті; жоғары тұрған органға хабарланды. Әрекетсіздікке шағым беруге болады.`,
          }
        : {
            ru: `Заявление рассматривается услугодателем. Срок решения — ${due('ru')}.`,
            kk: `Өтінішті көрсетілетін қызметті беруші қарап жатыр. Шешім шығару мерзімі — ${due('kk')}.`,
          };
    case 'accepted':
    case 'refused':
    case 'notified':
      return view.complaintPeriodEndsAt
        ? {
            ru: `Решение вынесено, результат — в личном кабинете. Срок подачи жалобы — ${complaintsUntil('ru')}.`,
            kk: `Шешім шығарылды, нәтиже жеке кабинетте. Шағым беру мерзімі — ${complaintsUntil('kk')}.`,
          }
        : { ru: 'Решение вынесено, результат — в личном кабинете.', kk: 'Шешім шығарылды, нәтиже жеке кабинетте.' };
    case 'awaiting-collection':
      return {
        ru: `Результат можно получить в Государственной корпорации. Срок хранения — ${at(view.custody?.storageEndsAt, 'ru')}.`,
        kk: `Нәтижені Мемлекеттік корпорациядан алуға болады. Сақтау мерзімі — ${at(view.custody?.storageEndsAt, 'kk')}.`,
      };
    case 'returned-to-provider':
      return {
        ru: 'Результат возвращён услугодателю; его можно запросить через Государственную корпорацию.',
        kk: 'Нәтиже көрсетілетін қызметті берушіге қайтарылды; оны Мемлекеттік корпорация арқылы сұратуға болады.',
      };
    case 'requested-again':
      return {
        ru: `Результат запрошен повторно; услугодатель направит его в Государственную корпорацию. Срок — ${at(view.custody?.resendDueAt, 'ru')}.`,
        kk: `Нәтиже қайта сұратылды; көрсетілетін қызметті беруші оны Мемлекеттік корпорацияға жібереді. Мерзімі — ${at(view.custody?.resendDueAt, 'kk')}.`,
      };
    case 'contested':
      return {
        ru: 'Подана жалоба; она рассматривается, решение по ней поступит в личный кабинет.',
        kk: 'Шағым берілді; ол қаралуда, ол бойынша шешім жеке кабинетке түседі.',
      };
    case 'closed':
      return { ru: 'Рассмотрение завершено; результат — в личном кабинете.', kk: 'Қарау аяқталды; нәтиже жеке кабинетте.' };
    case 'withdrawn':
      return {
        ru: 'Заявление отозвано. Новое заявление можно подать в период приёма заявлений.',
        kk: 'Өтініш кері қайтарылды. Жаңа өтінішті өтініштер қабылдау кезеңінде беруге болады.',
      };
  }
}
