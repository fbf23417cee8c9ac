/**
 * The documents a teacher reads (R5, R13), in Kazakh and in Russian: each kind is rendered from fixed facts and
 * compared with its golden file in test/golden/ (read by a person when it changes: `UPDATE_GOLDEN=1 npx jest
 * test/documents.test.ts` rewrites them). None may carry Latin words, internal rule ids or ISO timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect } from '../domain/admissibility';
import {
  LANGUAGES,
  NOTICE_KINDS,
  dateTimeInWords,
  defectsInWords,
  renderNotice,
  untilSuffix,
  type ComplaintFacts,
  type NoticeFacts,
  type NoticeKind,
} from '../domain/notices';

const GOLDEN = path.join(__dirname, 'golden');
const APPLICATION = '5f0c2a9e-1b7d-8e4a-9c3f-2d6b8a1e4c70';
const COMPLAINT = '7a3e9b12-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const NEWER = '9b1d4e7a-2c3f-8a5b-8d6e-1f2a3b4c5d6e';

const defects: Defect[] = [
  { ground: 3, code: 'no-consent' },
  { ground: 2, code: 'essay-length', words: 301, min: 250, max: 300 },
  { ground: 2, code: 'missing-document', document: 'category-certificate', notInStateSystems: false },
  { ground: 2, code: 'missing-document', document: 'diploma', notInStateSystems: true },
];

/** The Almaty department's own key: what signs the acts the system issues by rule (issue 31). */
const almatyKey: NoticeFacts['signer'] = {
  holder: { ru: 'Управление образования города Алматы', kk: 'Алматы қаласының білім басқармасы' },
  fingerprint: '3f9a0c41d2e87b56a1c04e9f7d2b38c6e5a10f49b7c2d863e1f0a95b4c7d2e18',
};

/** A decision a person takes is signed by them and names them with their position in each language (issue 31). */
const person = (name: string, ru: string, kk: string) => ({ official: name, authorisedPerson: { name, position: { ru, kk } }, signer: null });

const base: NoticeFacts = {
  applicationNumber: APPLICATION,
  applicantName: 'Нурланова Айгуль Сериккызы',
  iin: '860209400040',
  category: 'researcher',
  purpose: 'confirm',
  issuer: { ru: 'Управление образования города Алматы', kk: 'Алматы қаласының білім басқармасы' },
  standard: 'standard-2',
  submittedAt: new Date('2026-12-03T13:30:00Z'),
  registeredAt: new Date('2026-12-04T04:00:00Z'),
  dueAt: new Date('2026-12-04T13:30:00Z'),
  decidedAt: new Date('2026-12-04T09:15:00Z'),
  ...person('Ахметова Динара Кайратовна', 'руководитель управления образования', 'білім басқармасының басшысы'),
  grounds: [],
  motivation: null,
  defects: null,
};

/** A school's case: a complaint through it is satisfied by the school, or decided by the district above it. */
type Issuer = Pick<NoticeFacts, 'issuer' | 'signer' | 'official' | 'authorisedPerson'>;
const school: Issuer = {
  issuer: { ru: 'КГУ «Общеобразовательная школа № 12» города Алматы', kk: 'Алматы қаласының № 12 жалпы білім беретін мектебі' },
  ...person('Касымова Гульнара Ериковна', 'директор школы', 'мектеп директоры'),
};
const district: Issuer = {
  issuer: { ru: 'Отдел образования Алмалинского района города Алматы', kk: 'Алматы қаласы Алмалы ауданының білім бөлімі' },
  ...person('Жумабеков Ерлан Маратович', 'руководитель отдела образования', 'білім бөлімінің басшысы'),
};
const throughProvider = { addressee: 'provider' as const, throughProvider: true };

/** A complaint to the authority is decided, and its decision signed, by the authority's department (R13). */
const byAuthority: Issuer = {
  issuer: {
    ru: 'Департамент Агентства Республики Казахстан по делам государственной службы по городу Алматы',
    kk: 'Қазақстан Республикасы Мемлекеттік қызмет істері агенттігінің Алматы қаласы бойынша департаменті',
  },
  ...person('Серикбаев Нурлан Асетович', 'руководитель департамента', 'департамент басшысы'),
};

const complaint: ComplaintFacts = {
  complaintId: COMPLAINT,
  addressee: 'quality-authority',
  subject: 'result',
  late: false,
  throughProvider: false,
  forwardedBy: null,
  decidedBy: 'reviewing-body',
  petitioned: false,
  periodRestored: null,
  submittedAt: new Date('2026-12-07T05:00:00Z'),
  registeredAt: new Date('2026-12-07T05:00:00Z'),
  outcome: 'upheld',
  motivation: {
    kk: 'Білімі туралы құжат мемлекеттік ақпараттық жүйеде бар.',
    ru: 'Документ об образовании имеется в государственной информационной системе.',
  },
  official: 'Серикбаев Нурлан Асетович',
  decidedAt: new Date('2026-12-18T10:00:00Z'),
  yearHeldBy: null,
  resultSuperseded: false,
};

/** Every document kind, and the variants whose words differ, with the facts each is rendered from. */
const CASES: Array<[string, NoticeKind, NoticeFacts]> = [
  ['acceptance', 'acceptance', base],
  ['receipt', 'receipt', { ...base, standard: 'standard-1', purpose: 'assign', category: 'head-2' }],
  [
    'intake-receipt',
    'intake-receipt',
    {
      ...base,
      standard: 'standard-1',
      decidedAt: null,
      official: null,
      authorisedPerson: null,
      issuer: {
        ru: 'НАО «Государственная корпорация „Правительство для граждан“»',
        kk: '«„Азаматтарға арналған үкімет“ мемлекеттік корпорациясы» КЕАҚ',
      },
      signer: {
        holder: {
          ru: 'НАО «Государственная корпорация „Правительство для граждан“»',
          kk: '«„Азаматтарға арналған үкімет“ мемлекеттік корпорациясы» КЕАҚ',
        },
        fingerprint: 'c1d2e3f40a5b6c7d8e9f00112233445566778899aabbccddeeff001122334455',
      },
    },
  ],
  // the system decided: the body's own key signs, and the document says so
  ['refusal-by-rule', 'refusal', { ...base, grounds: [2, 3], official: null, authorisedPerson: null, signer: almatyKey, defects }],
  [
    'refusal-by-provider',
    'refusal',
    {
      ...base,
      grounds: [1],
      motivation: {
        kk: 'Курстардан өткені туралы сертификатты мұндай құқығы жоқ ұйым берген.',
        ru: 'Сертификат о прохождении курсов выдан организацией, не имеющей соответствующего права.',
      },
    },
  ],
  ['refusal-earlier-standard', 'refusal', { ...base, standard: 'standard-1', purpose: null, grounds: [2], defects: defects.slice(2) }],
  ['complaint-upheld', 'complaint-decision', { ...base, ...byAuthority, complaint }],
  ['complaint-upheld-newer-application', 'complaint-decision', { ...base, ...byAuthority, complaint: { ...complaint, yearHeldBy: NEWER } }],
  // decided after another upheld complaint took the case back to review: it reopens nothing, and says so
  ['complaint-upheld-result-superseded', 'complaint-decision', { ...base, ...byAuthority, complaint: { ...complaint, resultSuperseded: true } }],
  [
    'complaint-inaction',
    'complaint-decision',
    {
      ...base,
      ...district,
      decidedAt: null,
      complaint: {
        ...complaint,
        ...throughProvider,
        forwardedBy: 'provider',
        subject: 'inaction',
        outcome: 'upheld',
        official: 'Жумабеков Ерлан Маратович',
      },
    },
  ],
  [
    'complaint-satisfied-by-provider',
    'complaint-decision',
    {
      ...base,
      ...school,
      complaint: { ...complaint, ...throughProvider, decidedBy: 'provider', outcome: 'upheld', official: 'Касымова Гульнара Ериковна' },
    },
  ],
  [
    'complaint-forwarded-on-expiry',
    'complaint-decision',
    {
      ...base,
      ...district,
      complaint: {
        ...complaint,
        ...throughProvider,
        forwardedBy: 'service',
        outcome: 'rejected',
        official: 'Жумабеков Ерлан Маратович',
      },
    },
  ],
  [
    'complaint-late-not-restored',
    'complaint-decision',
    { ...base, ...byAuthority, complaint: { ...complaint, late: true, petitioned: true, periodRestored: false, outcome: 'rejected' } },
  ],
  [
    'complaint-late-upheld-closed-case',
    'complaint-decision',
    { ...base, ...byAuthority, complaint: { ...complaint, late: true, petitioned: true, periodRestored: true } },
  ],
  [
    'complaint-late-restored',
    'complaint-decision',
    {
      ...base,
      ...byAuthority,
      complaint: { ...complaint, late: true, petitioned: true, periodRestored: true, subject: 'lateness', outcome: 'partly-upheld' },
    },
  ],
  [
    'complaint-late-without-petition',
    'complaint-decision',
    { ...base, ...byAuthority, complaint: { ...complaint, late: true, periodRestored: false, outcome: 'rejected' } },
  ],
  [
    'pre-trial-record',
    'pre-trial-record',
    {
      ...base,
      // formed by the system when the stage ends: the provider's own key
      official: null,
      authorisedPerson: null,
      signer: almatyKey,
      complaints: [complaint, { ...complaint, complaintId: NEWER, addressee: 'provider', outcome: null, decidedAt: null }],
      preTrialCompletedAt: new Date('2027-03-05T18:59:59Z'),
    },
  ],
];

describe('the documents a teacher reads, in each language (R5, R13)', () => {
  for (const [name, kind, facts] of CASES) {
    for (const language of LANGUAGES) {
      test(`${name} in ${language} is its golden file`, () => {
        const text = renderNotice(kind, language, facts);
        const file = path.join(GOLDEN, `${name}.${language}.txt`);
        if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, text);
        expect(text).toBe(fs.readFileSync(file, 'utf8'));
      });
    }
  }

  test('every kind of document has a golden file', () => {
    expect(new Set(CASES.map(([, kind]) => kind))).toEqual(new Set(NOTICE_KINDS));
  });

  test('every golden file is in its language only: no Latin words, no rule ids, no ISO timestamps', () => {
    const files = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.txt'));
    expect(files).toHaveLength(CASES.length * LANGUAGES.length);
    for (const file of files) {
      const text = fs.readFileSync(path.join(GOLDEN, file), 'utf8');
      // ids aside: application and complaint numbers (UUIDs) and certificate fingerprints (64 hex digits)
      const withoutNumbers = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{64}\b/g, '№');
      expect({ file, latin: withoutNumbers.match(/[A-Za-z]+/g) }).toEqual({ file, latin: null });
      expect({ file, ruleIds: text.match(/\bR\d+\b/g) }).toEqual({ file, ruleIds: null });
      expect({ file, iso: text.match(/\d{4}-\d{2}-\d{2}T/g) }).toEqual({ file, iso: null });
      // the Russian document carries none of the Kazakh letters (Russian wording in a Kazakh one needs a word list:
      // Kazakh's alphabet holds every Russian letter)
      if (file.endsWith('.ru.txt')) expect({ file, kazakh: text.match(/[әғқңөұүһі]/gi) }).toEqual({ file, kazakh: null });
    }
  });
});

/**
 * Russian wording in a Kazakh document, found by a word list: Kazakh's alphabet holds every Russian letter, so the
 * letters alone cannot tell. The words are Russian's own function words and the word forms of documents that
 * Kazakh does not use (a position, an institution's name, a motivation written in Russian); «не» is left out, being
 * Kazakh's «or» too. Persons' names are names in either language and are taken out first.
 */
const RUSSIAN_ONLY = new Set(
  (
    'и в во на по о об от до для из при с со что или как это который которые также выдан выдана выдано ' +
    'организацией имеющей соответствующего права руководитель председатель директор начальник управления ' +
    'комитета отдела школы документ документы документа документов образовании имеется государственной ' +
    'информационной системе заявление заявления жалоба жалобы решение услугодателя услугополучателя'
  ).split(' '),
);
const RUSSIAN_ENDING = /^[а-яё]{4,}(ого|ому|ыми|ими|ение|ения|ении|ание|ания|ании|ость|ости|ться|ется|ются|ный|ной|ных|ным|ные)$/;

/** The Russian words in a Kazakh text, the names of `persons` aside. */
function russianIn(text: string, persons: string[]): string[] {
  const unnamed = persons.reduce((t, p) => t.split(p).join(' '), text);
  const words = unnamed.toLowerCase().match(/[а-яёәғқңөұүһі]+/g) ?? [];
  return words.filter((w) => RUSSIAN_ONLY.has(w) || (RUSSIAN_ENDING.test(w) && !/[әғқңөұүһі]/.test(w)));
}

/** The persons the fixtures name: applicants, signers, officials (a name in either language is the same name). */
const PERSONS = [
  'Нурланова Айгуль Сериккызы',
  'Ахметова Динара Кайратовна',
  'Серикбаев Нурлан Асетович',
  'Жумабеков Ерлан Маратович',
  'Касымова Гульнара Ериковна',
];

describe('each document wholly in its language (issue 31)', () => {
  test('a Kazakh document carries no Russian wording, inserted values included', () => {
    const kazakh = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.kk.txt'));
    expect(kazakh).toHaveLength(CASES.length);
    const persons = [...PERSONS, ...CASES.map(([, , f]) => f.applicantName)];
    const found = kazakh.map((file) => ({ file, russian: russianIn(fs.readFileSync(path.join(GOLDEN, file), 'utf8'), persons) }));
    expect(found.filter((f) => f.russian.length > 0)).toEqual([]);
  });

  test('the word list finds Russian where there is some, and none in Kazakh', () => {
    expect(russianIn('Дәлелдеме: Сертификат о прохождении курсов выдан организацией.', [])).toEqual(['о', 'прохождении', 'выдан', 'организацией']);
    expect(russianIn('Уәкілетті тұлға: Ахметова Д. К., руководитель управления', ['Ахметова Д. К.'])).toEqual(['руководитель', 'управления']);
    expect(russianIn('Негіздеме: біліктілікті арттыру курстарынан өткені туралы сертификат ұсынылмаған.', [])).toEqual([]);
  });
});

describe("a late complaint's decision (APPK art. 92)", () => {
  const decisionOn = (c: Partial<ComplaintFacts>, language: 'ru' | 'kk' = 'ru') =>
    renderNotice('complaint-decision', language, {
      ...base,
      ...byAuthority,
      complaint: { ...complaint, late: true, periodRestored: false, outcome: 'rejected', ...c },
    });

  test('names a petition to restore the period only where one was made (§2)', () => {
    expect(decisionOn({ petitioned: true })).toContain('ходатайство о восстановлении');
    expect(decisionOn({ petitioned: false })).not.toContain('ходатайство');
    expect(decisionOn({ petitioned: true }, 'kk')).toContain('өтінішхат');
    expect(decisionOn({ petitioned: false }, 'kk')).not.toContain('өтінішхат');
  });

  test('says it was considered on its merits, and never that it was left without consideration for lateness (§3)', () => {
    for (const language of LANGUAGES) {
      const text = decisionOn({ petitioned: true }, language);
      expect(text).toContain(language === 'ru' ? 'рассмотрена по существу' : 'мәні бойынша қаралды');
      expect(text).toMatch(language === 'ru' ? /част[ьи] 3 статьи 92/ : /92-ба[бп][а-яәіңғүұқөһ]* 3-бөлігі/);
      expect(text).not.toMatch(/без рассмотрения|қараусыз/);
    }
    expect(decisionOn({ petitioned: true })).toContain('Результат рассмотрения: жалоба оставлена без удовлетворения');
  });
});

describe('words a person writes', () => {
  test('a time in Kazakh takes the dative ending of the last number word read aloud', () => {
    // он сегіз отыз → -ға, он екі → -ге, тоғыз → -ға, он жеті қырық бес → -ке, қырық → -қа, елу → -ге, нөл → -ге
    expect(['18:30', '12:00', '09:00', '17:45', '17:40', '13:50', '00:00'].map(untilSuffix)).toEqual(['ға', 'ге', 'ға', 'ке', 'қа', 'ге', 'ге']);
  });

  test('dates and times in the local zone, in words', () => {
    const instant = new Date('2026-12-03T13:30:00Z'); // 18:30 in Kazakhstan (UTC+5)
    expect(dateTimeInWords(instant, 'ru')).toBe('3 декабря 2026 г., 18:30');
    expect(dateTimeInWords(instant, 'kk')).toBe('2026 жылғы 3 желтоқсан, 18:30');
    expect(dateTimeInWords(new Date('2027-01-01T00:05:00+05:00'), 'ru')).toBe('1 января 2027 г., 00:05');
  });

  test('the essay words agree with the numeral in Russian', () => {
    const essay = (words: number): Defect => ({ ground: 2, code: 'essay-length', words, min: 250, max: 300 });
    expect(defectsInWords([essay(301)], 'ru')[0]).toMatch(/^эссе содержит 301 слово,/);
    expect(defectsInWords([essay(249)], 'ru')[0]).toMatch(/^эссе содержит 249 слов,/);
    expect(defectsInWords([essay(42)], 'ru')[0]).toMatch(/^эссе содержит 42 слова,/);
    expect(defectsInWords([essay(11)], 'ru')[0]).toMatch(/^эссе содержит 11 слов,/);
    expect(defectsInWords([essay(301)], 'ru')[0]).toMatch(/от 250 до 300 слов$/);
    expect(defectsInWords([essay(301)], 'kk')[0]).toBe('эссе 301 сөзден тұрады, ал 250–300 сөз болуы тиіс');
  });

  test('a missing document agrees with its verb in Russian', () => {
    const missing = (document: 'diploma' | 'category-certificate' | 'student-achievements'): Defect => ({
      ground: 2,
      code: 'missing-document',
      document,
      notInStateSystems: false,
    });
    expect(defectsInWords([missing('diploma')], 'ru')[0]).toBe('не представлен документ об образовании');
    expect(defectsInWords([missing('category-certificate')], 'ru')[0]).toMatch(/^не представлены удостоверение и приказ/);
    expect(defectsInWords([missing('student-achievements')], 'ru')[0]).toMatch(/^не представлены документы/);
  });
});
