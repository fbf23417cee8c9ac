/**
 * The patches of the workflows' commands since release 1.0.0 (CHANGELOG.md). A case started before a change
 * replays the path it took; `patched(id)` answers true for cases that start, or reach that point, after it. The
 * recorded histories of the code before each change stay in test/histories/before-<change>/ and replay in CI.
 * An id is never reused; one is retired with `deprecatePatch` once no case started before it is open.
 */
export const PATCHES = {
  /** Law on personal data art. 8: no look-up of the state records without consent, under the earlier standard too (issue 33) */
  consentWhateverStandard: 'consent-whatever-standard',
  /** R13, APPK art. 92: an upheld complaint against a closed case reopens the review in a new run of the case (issue 30) */
  reopenClosedCase: 'reopen-closed-case',
  /** APPK art. 91–92: only the quality-control authority's decision on the result ends the pre-trial stage (issue 30) */
  stageEndsOnResultDecision: 'stage-ends-on-result-decision',
  /** APPK art. 91 §4: a complaint to the provider is with it 3 working days, then goes to the body above (issue 30) */
  complaintThroughProvider: 'complaint-through-provider',
  /** R3, 000 §7: the one working day counted in working time from registration (issue 30) */
  termInWorkingTime: 'term-in-working-time',
} as const;
