/**
 * The shapes every request's fields share (issue 16): an instant, a text, a list. A text reaches the store, a
 * signed document and an operator's screen, so each door refuses in it what no reader should meet: a C0 or C1
 * control character (PostgreSQL cannot store a NUL; the others garble a document), a bidirectional embedding,
 * override, isolate or mark (they make a reader see text in another order than the one signed), and half of a
 * surrogate pair (not Unicode at all). Line breaks and tabs only in free texts that need them (an essay, a
 * motivation, a complaint). Pure: used by the API and inside workflows alike.
 */
import { z } from 'zod';

/** An instant with its zone, as every `submittedAt` is given. */
export const instant = () => z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00+05:00' });

/**
 * When a caller says its request was made: an instant no more than a few minutes ahead of the service's clock nor
 * further behind it than SUBMISSION_MAX_DELAY (submittedAtRefusal, domain/application.ts) — bounds that move with
 * the clock, so the document says them in words.
 */
export const submittedAt = () =>
  instant().meta({
    description:
      "when the caller took the request: ISO 8601 with a zone, no more than 5 minutes ahead of the service's clock nor more than SUBMISSION_MAX_DELAY (7 days by default) behind it (refused with 400 otherwise); the service's clock when absent",
  });

/**
 * A schema a module exports, built once on first use and handed out by a function (issue 19). The worker shares
 * the domain's modules between its workflows (workflows/shared-domain.ts), and the SDK freezes whatever their
 * exports reach; zod completes a schema on its first reads and parses, which a frozen schema refuses. What a
 * function closes over is out of the freeze's reach, so every door still parses with the one schema.
 */
export function schemaOnce<S extends z.ZodType>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}

/** What a character is, when a text may not hold it; undefined when it may. */
function forbidden(text: string, i: number, lineBreaks: boolean): string | undefined {
  const c = text.charCodeAt(i);
  if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return lineBreaks && c < 0x2028 ? undefined : 'a line break';
  if (c === 0x09) return lineBreaks ? undefined : 'a tab';
  if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return 'a control character';
  if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
    return 'a bidirectional control';
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff ? undefined : 'half of a surrogate pair';
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const previous = text.charCodeAt(i - 1);
    return previous >= 0xd800 && previous <= 0xdbff ? undefined : 'half of a surrogate pair';
  }
  return undefined;
}

/**
 * Why a text may not be taken, naming its first forbidden character and where it stands; null when it may.
 * `lineBreaks`: a free text, where line breaks (LF, CR) and tabs are allowed.
 */
export function characterProblem(text: string, lineBreaks: boolean): string | null {
  for (let i = 0; i < text.length; i++) {
    const what = forbidden(text, i, lineBreaks);
    if (what) {
      const code = text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
      return `must be ${lineBreaks ? 'text' : 'one line of text'}: character ${i + 1} is ${what} (U+${code}), which is not allowed`;
    }
  }
  return null;
}

/**
 * A text from before the rule, made fit for one line of a document: each forbidden character becomes a space, so
 * no stored value can forge a line of what is signed.
 */
export function asOneLine(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += forbidden(text, i, false) ? ' ' : text[i];
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * The character rule as a JSON Schema pattern (issue 34), for the OpenAPI document an integrator's generator
 * reads: the characters `forbidden` refuses, as one class. Half of a surrogate pair is not in it: a pattern reads
 * code points, where a lone half is no character at all (and regex engines such as Rust's refuse to name one).
 */
const FORBIDDEN_IN_TEXT = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';
const FORBIDDEN_IN_LINE = `${FORBIDDEN_IN_TEXT}\\t\\n\\r`;
/** What String.prototype.trim takes away: a filled text holds something else. */
const TRIMMED = '\\s\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** The pattern of a text: only allowed characters, and (`filled`) at least one that trimming keeps. */
export function characterPattern(lineBreaks: boolean, filled: boolean): string {
  const forbidden = lineBreaks ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE;
  return filled ? `^[^${forbidden}]*[^${forbidden}${TRIMMED}][^${forbidden}]*$` : `^[^${forbidden}]*$`;
}

/** Options of a text's rule: `filled` when the schema trims it and asks for at least one character. */
export interface TextOptions {
  filled?: boolean;
}

/** Adds the character rule to a string's schema, and says it in the schema's JSON Schema as a pattern. */
function withCharacters(schema: z.ZodString, lineBreaks: boolean, { filled = false }: TextOptions = {}): z.ZodString {
  return schema
    .check((ctx) => {
      const problem = characterProblem(ctx.value, lineBreaks);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .meta({ pattern: characterPattern(lineBreaks, filled) });
}

/** How a schema's texts are checked: one line (a name, an official, a file name), or a free text. */
export interface CharacterRule {
  line(schema: z.ZodString, options?: TextOptions): z.ZodString;
  text(schema: z.ZodString, options?: TextOptions): z.ZodString;
}

/** The rule of every door since issue 16. */
export const CHECKED: CharacterRule = { line: (s, o) => withCharacters(s, false, o), text: (s, o) => withCharacters(s, true, o) };

/** One line of text. */
export const line = CHECKED.line;
/** A free text: line breaks and tabs allowed. */
export const text = CHECKED.text;

/** A list that names each item once. */
export function distinct<T extends z.ZodType>(items: z.ZodArray<T>, what: string): z.ZodArray<T> {
  return items
    .refine((list) => new Set(list.map((i) => JSON.stringify(i))).size === list.length, `must name each ${what} once`)
    .meta({ uniqueItems: true });
}

/** A free text in both languages of the documents (issue 31): a Kazakh document carries the Kazakh, a Russian one the Russian. */
export type Bilingual = { kk: string; ru: string };

/**
 * A free text given in Kazakh and in Russian, each checked by `schema`: each document is wholly in its own language
 * (issue 31), so a decision's motivation comes in both; the Kazakh one is no copy of the Russian.
 */
export function bilingual(schema: z.ZodString, what: string) {
  return (
    z
      .strictObject(
        { kk: schema, ru: schema },
        { error: `${what} is given in Kazakh and in Russian: {"kk": "…", "ru": "…"} (each document is wholly in its language)` },
      )
      // a rule of the documents' languages, not of the body's form: 422, as the API's other rules
      .refine((t) => t.kk !== t.ru, { path: ['kk'], message: `${what} in Kazakh repeats the Russian: give it in Kazakh`, params: { rule: 'R5' } })
  );
}

/**
 * A text as both documents carry it. A decision taken before issue 31 holds one text (the provider's own words,
 * printed in both documents then); it stays as it was.
 */
export function inBothLanguages(value: Bilingual | string): Bilingual {
  return typeof value === 'string' ? { kk: value, ru: value } : value;
}

/**
 * Issue 31: a decision's official, by their id in the registry of authorised persons; one the registry does not
 * know is refused by the registry (official-unknown), after the caller's entitlement.
 */
export const authorisedPersonId = () =>
  line(z.string().max(300).trim().min(1, 'must name the deciding official: their id in the registry of authorised persons'), {
    filled: true,
  }).describe('the deciding official: their id in the registry of authorised persons (GET /authorised-persons)');

/** A signature as a request carries it: a detached CMS, DER, base64. */
const cms = () =>
  z
    .string()
    .max(64_000)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be a detached CMS signature, DER in base64')
    .describe("a detached CMS (PKCS#7) over the prepared document's UTF-8 bytes, DER, base64, carrying the signer's certificate");

/**
 * Issue 31: what a decision adds to its prepared documents: when they were prepared (the date they print) and the
 * official's signature of each language's document.
 */
export const officialSignature = () => ({
  preparedAt: instant().describe('as the prepared documents answered it: the decision date they print'),
  signatures: z.strictObject(
    { kk: cms(), ru: cms() },
    { error: 'the signatures of the prepared documents, one per language: {"kk": "<CMS>", "ru": "<CMS>"} (issue 31)' },
  ),
});
