import { decisionSchema, submissionSchema } from '../domain/application';
import { parseInput } from '../domain/refusals';
import { iinCheckDigit, isValidIin } from '../domain/iin';
import { countWords } from '../domain/documents';
import { WorkingCalendar } from '../domain/calendar';
import { CATEGORIES } from '../domain/service';
import { STANDARDS, intakeRefusal } from '../domain/standards';
import { sampleIin, sampleSubmission } from './helpers/applications';

describe('IIN check digit', () => {
  test('accepts a computed check digit and refuses every other last digit', () => {
    const iin = sampleIin(7);
    expect(isValidIin(iin)).toBe(true);
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== iin[11]) expect(isValidIin(`${iin.slice(0, 11)}${d}`)).toBe(false);
    }
  });

  test('the sample IINs the bench and the fault suite submit are valid and never repeat (a repeat is a duplicate, R10)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 120_000; i++) {
      const iin = sampleIin(100_000 + i * 7);
      expect(isValidIin(iin)).toBe(true);
      seen.add(iin);
    }
    expect(seen.size).toBe(120_000);
  });

  test('uses the second weight sequence when the first gives 10', () => {
    // a 1 in the tenth place: the first weights give 10, the second (weight 1 there) give 1
    expect(iinCheckDigit('00000000010')).toBe(1);
    expect(isValidIin('12345')).toBe(false);
    expect(isValidIin('85010140001a')).toBe(false);
  });
});

describe('what is not an application (answered at once, nothing started)', () => {
  test('names a missing field', () => {
    const { iin: _, ...rest } = sampleSubmission();
    expect(parseInput(submissionSchema(), rest)).toEqual({ ok: false, error: expect.objectContaining({ code: 'missing-field', field: 'iin' }) });
  });

  test('names an unknown field', () => {
    expect(parseInput(submissionSchema(), { ...sampleSubmission(), nickname: 'x' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unknown-field', field: 'nickname' }),
    });
  });

  test('refuses a body that is not an object', () => {
    expect(parseInput(submissionSchema(), 'hello')).toEqual({ ok: false, error: expect.objectContaining({ code: 'malformed-body', field: null }) });
  });

  const current = STANDARDS['standard-2'];
  const servedBy = (category: string) => (category === 'moderator' || category === 'expert' ? 'platform' : 'portal');
  test.each(CATEGORIES.map((c) => [c, servedBy(c)] as const))(
    'category %s is served only through %s under the current standard (R2)',
    (category, channel) => {
      const other = channel === 'portal' ? 'platform' : 'portal';
      const intake = (ch: 'portal' | 'platform') => ({ category, channel: ch, submittedAt: '2026-11-23T10:00:00+05:00' });
      expect(intakeRefusal(current, intake(channel), new WorkingCalendar())).toBeNull();
      expect(intakeRefusal(current, intake(other), new WorkingCalendar())).toEqual(
        expect.objectContaining({
          field: 'channel',
          rule: 'R2',
          message: `category ${category} is served through the ${channel} channel, not ${other}`,
        }),
      );
    },
  );

  test('an academic year is two consecutive years', () => {
    expect(parseInput(submissionSchema(), sampleSubmission({ academicYear: '2026-2028' }))).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'academicYear' }),
    });
  });
});

describe("the provider's decision (R9)", () => {
  test('a refusal names its grounds and is motivated', () => {
    expect(parseInput(decisionSchema(), { decision: 'refuse', official: 'A' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'grounds', rule: 'R9' }),
    });
    expect(parseInput(decisionSchema(), { decision: 'refuse', grounds: [2], official: 'A' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'motivation', rule: 'R9' }),
    });
    expect(parseInput(decisionSchema(), { decision: 'refuse', grounds: [4], motivation: { kk: 'm (kk)', ru: 'm' }, official: 'A' }).ok).toBe(false);
    expect(parseInput(decisionSchema(), { decision: 'refuse', grounds: [1, 3], motivation: { kk: 'm (kk)', ru: 'm' }, official: 'A' }).ok).toBe(true);
  });

  test('the motivation comes in Kazakh and in Russian, the Kazakh no copy of the Russian (issue 31)', () => {
    const refusal = { decision: 'refuse', grounds: [2], official: 'A' };
    const one = parseInput(decisionSchema(), { ...refusal, motivation: 'Сертификат не представлен.' });
    expect(one).toMatchObject({ ok: false, error: { field: 'motivation' } });
    expect(!one.ok && one.error.message).toContain('is given in Kazakh and in Russian');
    expect(parseInput(decisionSchema(), { ...refusal, motivation: { ru: 'Сертификат не представлен.' } })).toMatchObject({
      ok: false,
      error: { field: 'motivation.kk' },
    });
    const copied = parseInput(decisionSchema(), { ...refusal, motivation: { kk: 'Сертификат не представлен.', ru: 'Сертификат не представлен.' } });
    expect(copied).toMatchObject({ ok: false, error: { field: 'motivation.kk' } });
    expect(!copied.ok && copied.error.message).toContain('in Kazakh repeats the Russian');
    expect(parseInput(decisionSchema(), { ...refusal, motivation: { kk: 'Сертификат ұсынылмаған.', ru: 'Сертификат не представлен.' } }).ok).toBe(
      true,
    );
  });

  test('an acceptance carries no refusal grounds', () => {
    expect(parseInput(decisionSchema(), { decision: 'accept', grounds: [1], official: 'A' }).ok).toBe(false);
    expect(parseInput(decisionSchema(), { decision: 'accept', official: 'A' }).ok).toBe(true);
  });
});

describe('essay words, counted as a person counts them (R8 p. 9)', () => {
  test.each([
    ['Мұғалім — шәкірттің үлгісі.', 3],
    ['что-то новое', 2],
    ['В 2026 году', 3],
    ['  Педагог,   ученик…  ', 2],
    ['— — —', 0],
    ['', 0],
  ])('%j has %i words', (text, words) => {
    expect(countWords(text)).toBe(words);
  });
});
