/**
 * Whether a submission is an application the service takes: its form, the campaign window (R10), and what the
 * standard in force allows — the channel and its categories (R2), the locality (R3), a place's hours with the
 * operators' calendar overrides (R7), a home visit (R11). The API decides it, with the context it fixed at
 * submission, and puts that context into the workflow's input; the workflow trusts what the door admitted.
 */
import { submissionSchema, type ApplicationInput, type Submission } from './application';
import { WorkingCalendar, formatInstant, type CalendarOverride } from './calendar';
import { defaultWindow, withinWindow, type CampaignWindow } from './campaign';
import { parseInput, type Refusal } from './refusals';
import { intakeRefusal, standardOf, type StandardProfile } from './standards';

/** What admission is decided against, fixed once at submission. */
export interface AdmissionContext {
  /** the standard in force at submission (R2, R3, R7, R11) */
  standard: StandardProfile;
  /** when that standard took effect (null: from the start), for the words of a refusal */
  standardSince: string | null;
  /** R10: the campaign window of the academic year */
  window: CampaignWindow;
  /** R7: the operators' calendar overrides, which decide whether a place is open on a day */
  calendarOverrides: readonly CalendarOverride[];
}

/**
 * The context an application was admitted with, as its workflow input carries it. Inputs older than a field
 * decide as they did then: the academic year's window, the current standard, the shipped calendar.
 */
export function admissionContextOf(
  input: Pick<ApplicationInput, 'standard' | 'standardSince' | 'campaignWindow' | 'calendarOverrides' | 'academicYear'>,
): AdmissionContext {
  return {
    standard: standardOf(input),
    standardSince: input.standardSince ?? null,
    window: input.campaignWindow ?? defaultWindow(input.academicYear),
    calendarOverrides: input.calendarOverrides ?? [],
  };
}

export type Admission = { ok: true; application: Submission & { submittedAt: string } } | { ok: false; refusal: Refusal };

/**
 * R2, R3, R7, R10, R11: the submission as an application, or the first rule it breaks — its form first (its texts
 * checked for characters no text may hold), then the rules of admission.
 */
export function admit(submission: unknown, context: AdmissionContext): Admission {
  const parsed = parseInput(submissionSchema(), submission);
  if (!parsed.ok) return { ok: false, refusal: parsed.error };
  const { submittedAt } = parsed.value;
  if (submittedAt === undefined) {
    return { ok: false, refusal: { code: 'missing-field', field: 'submittedAt', rule: null, message: 'submittedAt is required' } };
  }
  return admitWellFormed({ ...parsed.value, submittedAt }, context);
}

/**
 * The rules of admission for a submission whose form is already checked (the API parses it once, to find the
 * context it is admitted in); `admit` is this after the form.
 */
export function admitWellFormed(application: Submission & { submittedAt: string }, context: AdmissionContext): Admission {
  const submittedAt = new Date(application.submittedAt);
  const { window } = context;
  if (!withinWindow(submittedAt, window)) {
    return {
      ok: false,
      refusal: {
        code: 'outside-campaign',
        field: 'submittedAt',
        rule: 'R10',
        message: `applications for ${application.academicYear} are accepted from ${formatInstant(new Date(window.opens))} until ${formatInstant(new Date(window.closes))} (${window.basis}); this one was submitted ${formatInstant(submittedAt)}`,
      },
    };
  }
  const refused = intakeRefusal(context.standard, application, new WorkingCalendar(context.calendarOverrides), context.standardSince);
  return refused ? { ok: false, refusal: refused } : { ok: true, application };
}
