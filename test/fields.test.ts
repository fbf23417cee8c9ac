/**
 * What a text of a case may hold, and the bounds of a caller's `submittedAt` (issue 16): pure rules, tested
 * without the service; test/fuzz-past-the-api.test.ts sends the same values through the real API.
 */
import { DEFAULT_SUBMISSION_MAX_DELAY_MS, decisionSchema, submissionSchema, submittedAtRefusal } from '../domain/application';
import { complaintSchema } from '../domain/complaint';
import { DOCUMENT_KINDS } from '../domain/documents';
import { asOneLine, characterProblem } from '../domain/fields';
import { parseInput } from '../domain/refusals';
import { sampleSubmission } from './helpers/applications';

describe('the characters a text may hold', () => {
  test.each([
    ['a NUL', 'a\u0000b', 'character 2 is a control character (U+0000)'],
    ['an escape', '\u001b[31m', 'character 1 is a control character (U+001B)'],
    ['a C1 control', 'ab\u0085', 'character 3 is a control character (U+0085)'],
    ['a right-to-left override', 'exe\u202Etxt', 'character 4 is a bidirectional control (U+202E)'],
    ['an isolate', '\u2067x', 'character 1 is a bidirectional control (U+2067)'],
    ['a right-to-left mark', 'x\u200F', 'character 2 is a bidirectional control (U+200F)'],
    ['a lone high surrogate', 'x\uD83D', 'character 2 is half of a surrogate pair (U+D83D)'],
    ['a lone low surrogate', '\uDE00x', 'character 1 is half of a surrogate pair (U+DE00)'],
    ['a line separator', 'a\u2028b', 'character 2 is a line break (U+2028)'],
  ])('refuses %s in any text, naming the character and where it stands', (_name, text, words) => {
    expect(characterProblem(text, false)).toBe(`must be one line of text: ${words}, which is not allowed`);
    expect(characterProblem(text, true)).toBe(`must be text: ${words}, which is not allowed`);
  });

  test('line breaks and tabs only in a free text', () => {
    expect(characterProblem('one\ntwo', false)).toBe('must be one line of text: character 4 is a line break (U+000A), which is not allowed');
    expect(characterProblem('one\ttwo', false)).toBe('must be one line of text: character 4 is a tab (U+0009), which is not allowed');
    expect(characterProblem('one\r\ntwo\tthree', true)).toBeNull();
  });

  test('takes what people write: Kazakh letters, emoji (a surrogate pair), combining marks, a zero-width joiner, markup', () => {
    for (const text of ['Әлия Жүнісқызы Өмірбекова', 'Учитель 👩‍🏫', 'Аи\u0306гуль', '<b>"O\'Brien"</b>', 'مريم']) {
      expect(characterProblem(text, false)).toBeNull();
    }
  });

  test('a stored text from before the rule prints on one line', () => {
    expect(asOneLine('Отдел\nобразования\u202E  города\u0000')).toBe('Отдел образования города');
  });
});

describe('every door refuses them, naming the field', () => {
  test('a submission: the name, the essay, a document name', () => {
    const nul = parseInput(submissionSchema(), sampleSubmission({ fullName: 'Ерлан\u0000Жаксылыков' }));
    expect(nul).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid-field', field: 'fullName', rule: null }) });
    expect(parseInput(submissionSchema(), sampleSubmission({ fullName: 'Ерлан\nЖаксылыков' })).ok).toBe(false);
    expect(parseInput(submissionSchema(), sampleSubmission({ essay: 'Paragraph one.\n\nParagraph two.' })).ok).toBe(true);
    const documents = [{ kind: DOCUMENT_KINDS[0], fileName: 'diploma\u202Efdp.exe', sha256: 'a'.repeat(64) }];
    expect(parseInput(submissionSchema(), sampleSubmission({ documents }))).toMatchObject({ ok: false, error: { field: 'documents.0.fileName' } });
  });

  test("a decision: a line break in the official, a bidi override in the motivation; grounds at most the standard's, each once", () => {
    const refusal = {
      decision: 'refuse',
      grounds: [2],
      motivation: { kk: 'the certificate is missing (kk)', ru: 'the certificate is missing' },
      official: 'A. Head',
    };
    expect(parseInput(decisionSchema(), { ...refusal, official: 'A. Head\nСогласовано: министр' })).toMatchObject({
      ok: false,
      error: { field: 'official' },
    });
    expect(
      parseInput(decisionSchema(), { ...refusal, motivation: { kk: 'missing \u202Edetacifitrec (kk)', ru: 'missing \u202Edetacifitrec' } }),
    ).toMatchObject({
      ok: false,
      error: { field: 'motivation.kk' },
    });
    expect(parseInput(decisionSchema(), { ...refusal, motivation: { kk: 'first;\nsecond (kk)', ru: 'first;\nsecond' } }).ok).toBe(true);
    const many = parseInput(decisionSchema(), { ...refusal, grounds: Array.from({ length: 20_000 }, () => 1) });
    expect(many).toMatchObject({ ok: false, error: { code: 'invalid-field', field: 'grounds' } });
    expect(parseInput(decisionSchema(), { ...refusal, grounds: [2, 2] })).toEqual({
      ok: false,
      error: { code: 'invalid-field', field: 'grounds', rule: null, message: 'grounds: must name each ground once' },
    });
    expect(parseInput(decisionSchema(), { ...refusal, grounds: [1, 2, 3] }).ok).toBe(true);
  });

  test('a complaint: its grounds are lines, each once', () => {
    const complaint = { addressee: 'provider', text: 'The refusal ignores my diploma.' };
    expect(parseInput(complaintSchema(), { ...complaint, grounds: ['ground one', 'ground one'] })).toMatchObject({
      ok: false,
      error: { field: 'grounds' },
    });
    expect(parseInput(complaintSchema(), { ...complaint, grounds: ['one\ntwo'] })).toMatchObject({ ok: false, error: { field: 'grounds.0' } });
    expect(parseInput(complaintSchema(), { ...complaint, text: 'First.\nSecond.' }).ok).toBe(true);
  });
});

describe("a caller's submittedAt", () => {
  const now = new Date('2026-12-02T10:00:00+05:00');
  const week = DEFAULT_SUBMISSION_MAX_DELAY_MS;

  test('is taken from 7 days back to 5 minutes ahead of the clock', () => {
    expect(submittedAtRefusal('2026-11-25T10:00:00+05:00', now, week)).toBeNull();
    expect(submittedAtRefusal('2026-12-02T10:05:00+05:00', now, week)).toBeNull();
  });

  test('far ahead or far back is refused, naming the field and both bounds', () => {
    const message =
      "submittedAt: must lie between 2026-11-25T10:00:00+05:00 and 2026-12-02T10:05:00+05:00: no more than 5 minutes ahead of the service's clock, nor more than 7 day(s) behind it (SUBMISSION_MAX_DELAY)";
    expect(submittedAtRefusal('2027-03-01T10:00:00+05:00', now, week)).toEqual({ code: 'invalid-field', field: 'submittedAt', rule: null, message });
    expect(submittedAtRefusal('2026-12-02T10:06:00+05:00', now, week)?.field).toBe('submittedAt');
    expect(submittedAtRefusal('2026-11-25T09:59:00+05:00', now, week)?.message).toBe(message);
    expect(submittedAtRefusal('2026-06-01T10:00:00+05:00', now, week)?.field).toBe('submittedAt');
  });

  test('the bound back is configurable', () => {
    expect(submittedAtRefusal('2026-11-01T10:00:00+05:00', now, 40 * 86_400_000)).toBeNull();
  });
});
