/**
 * Kazakhstan's working-time calendar as data (issue 3; R3, R7, R13 count working days by it).
 *
 * Three layers, each with its legal basis:
 * 1. statutory holidays of the Law "On holidays in the Republic of Kazakhstan" (art. 1–2, 5) and the Labour
 *    Code (art. 84–85), with the years each was in force — the list itself changes (2022: 25 October added,
 *    1 December and 17 December dropped; 2026: Constitution Day moved from 30 August to 15 March);
 * 2. the weekend-transfer rule (Law "On holidays" art. 5, Labour Code art. 85 p. 2): a holiday on a Saturday or
 *    Sunday makes the next working day after it a day off; religious holidays are excepted;
 * 3. Kurban Ait dates and the transfers of days off ordered for each year (a Government decree or, since 2023,
 *    an order of the Minister of Labour and Social Protection under Labour Code art. 85 p. 3).
 *
 * Each year's facts were checked against the official calendar published on the e-government portal and the
 * press reports of it cited below (checked 2026-11-23). Operators add later orders without a release through
 * calendar overrides in the database (see `calendar add-override` in the CLI).
 */

export type LocalDate = string; // YYYY-MM-DD in Asia/Almaty

export interface StatutoryHoliday {
  /** month-day, e.g. "03-21" */
  monthDay: string;
  name: string;
  /** religious holidays are days off but never move to the next working day (Labour Code art. 84 p. 5) */
  religious?: boolean;
  /** first and last calendar year in which the day is a holiday (inclusive) */
  fromYear?: number;
  toYear?: number;
  basis: string;
}

const LAW_ON_HOLIDAYS = 'Law of the RK "On holidays in the Republic of Kazakhstan" of 13.12.2001 No. 267-II, art. 1–2';
const LAW_2022 = 'Law of the RK of 29.06.2022 No. 134-VII (amending the Law "On holidays"): 25 October added; 1 December and 17 December excluded';
const CONSTITUTION_2026 =
  'Constitution of the RK adopted at the republican referendum of 15.03.2026 (in force 01.07.2026), art. 94: the day of its adoption is Constitution Day; the Ministry of Labour confirmed on 18.03.2026 that 30 August is no longer a holiday from 2026 and 15 March is celebrated from 2027 (taspanews.kz, 18.03.2026)';

export const STATUTORY_HOLIDAYS: readonly StatutoryHoliday[] = [
  { monthDay: '01-01', name: 'New Year', basis: LAW_ON_HOLIDAYS },
  { monthDay: '01-02', name: 'New Year', basis: LAW_ON_HOLIDAYS },
  { monthDay: '01-07', name: 'Orthodox Christmas', religious: true, basis: `${LAW_ON_HOLIDAYS}; Labour Code art. 84 p. 5` },
  { monthDay: '03-08', name: "International Women's Day", basis: LAW_ON_HOLIDAYS },
  { monthDay: '03-15', name: 'Constitution Day', fromYear: 2027, basis: CONSTITUTION_2026 },
  { monthDay: '03-21', name: 'Nauryz meirami', basis: LAW_ON_HOLIDAYS },
  { monthDay: '03-22', name: 'Nauryz meirami', basis: LAW_ON_HOLIDAYS },
  { monthDay: '03-23', name: 'Nauryz meirami', basis: LAW_ON_HOLIDAYS },
  { monthDay: '05-01', name: 'Unity Day of the People of Kazakhstan', basis: LAW_ON_HOLIDAYS },
  { monthDay: '05-07', name: 'Defender of the Fatherland Day', basis: LAW_ON_HOLIDAYS },
  { monthDay: '05-09', name: 'Victory Day', basis: LAW_ON_HOLIDAYS },
  { monthDay: '07-06', name: 'Capital Day', basis: LAW_ON_HOLIDAYS },
  { monthDay: '08-30', name: 'Constitution Day', toYear: 2025, basis: `${LAW_ON_HOLIDAYS}; ended by ${CONSTITUTION_2026}` },
  { monthDay: '10-25', name: 'Republic Day', fromYear: 2022, basis: LAW_2022 },
  { monthDay: '12-01', name: 'Day of the First President', toYear: 2021, basis: `${LAW_ON_HOLIDAYS}; ended by ${LAW_2022}` },
  { monthDay: '12-16', name: 'Independence Day', basis: LAW_ON_HOLIDAYS },
  { monthDay: '12-17', name: 'Independence Day', toYear: 2021, basis: `${LAW_ON_HOLIDAYS}; ended by ${LAW_2022}` },
];

/** Labour Code art. 84 p. 5: the first day of Kurban Ait is a day off, with no transfer; its date follows the lunar calendar. */
export interface KurbanAit {
  date: LocalDate;
  basis: string;
  /** true while the Spiritual Administration of Muslims of Kazakhstan has not announced the date */
  provisional?: boolean;
}

export const KURBAN_AIT: readonly KurbanAit[] = [
  { date: '2024-06-16', basis: 'Official calendar for 2024 (egov.kz; mgorod.kz, 04.01.2024)' },
  { date: '2025-06-06', basis: 'Official calendar for 2025 (egov.kz)' },
  { date: '2026-05-27', basis: 'Official calendar for 2026 (egov.kz; inform.kz, 02.01.2026)' },
  {
    date: '2027-05-16',
    provisional: true,
    basis: 'Astronomical estimate of 10 Dhu al-Hijjah 1448; to be confirmed by the Spiritual Administration of Muslims of Kazakhstan',
  },
  {
    date: '2028-05-05',
    provisional: true,
    basis: 'Astronomical estimate of 10 Dhu al-Hijjah 1449; to be confirmed by the Spiritual Administration of Muslims of Kazakhstan',
  },
  {
    date: '2029-04-24',
    provisional: true,
    basis: 'Astronomical estimate of 10 Dhu al-Hijjah 1450; to be confirmed by the Spiritual Administration of Muslims of Kazakhstan',
  },
];

/** A transfer of a day off ordered for one year: `workingDay` (a weekend day) is worked, `dayOff` is rested. */
export interface OrderedTransfer {
  workingDay: LocalDate;
  dayOff: LocalDate;
  basis: string;
}

export const ORDERED_TRANSFERS: readonly OrderedTransfer[] = [
  {
    workingDay: '2024-05-04',
    dayOff: '2024-05-08',
    basis: 'Transfer of the day off from Saturday 4 May 2024 to Wednesday 8 May 2024, adopted in April 2024 (alataunews.kz; smartnews.kz)',
  },
  {
    workingDay: '2025-01-05',
    dayOff: '2025-01-03',
    basis:
      'Order of the Minister of Labour and Social Protection of 21.11.2024: the day off moved from Sunday 5 January 2025 to Friday 3 January 2025 (energy-city.kz; smartnews.kz)',
  },
];

/**
 * How far the shipped data can be trusted, year by year. `confirmed`: checked against the published official
 * calendar; `provisional`: statutory holidays and the transfer rule are known but orders for the year (and
 * perhaps Kurban Ait) are not yet published — deadlines are computed and an alert is raised. A year not listed
 * here is unknown: the calendar falls back to the rule-based days off and raises an alert on every use.
 */
export const YEAR_COVERAGE: Readonly<Record<number, 'confirmed' | 'provisional'>> = {
  2024: 'confirmed',
  2025: 'confirmed',
  2026: 'confirmed',
  2027: 'provisional',
  2028: 'provisional',
  2029: 'provisional',
};
