/**
 * The service's catalogue, common to its standards: categories and channels (R2), and the grounds for refusal
 * (R9). What each standard makes of them is in standards.ts.
 */

/** R2: the qualification categories applied for. */
export const CATEGORIES = [
  'moderator',
  'expert',
  'researcher',
  'master',
  'head-1',
  'head-2',
  'head-3',
  'deputy-head-1',
  'deputy-head-2',
  'deputy-head-3',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * R2: every channel a standard has offered: the Platform "Ұстаз" and the e-government portal (current); the
 * provider's office and the State Corporation "Government for Citizens" (earlier). Which a standard offers, and
 * for which categories, is in standards.ts.
 */
export const CHANNELS = ['platform', 'portal', 'office', 'state-corporation'] as const;
export type Channel = (typeof CHANNELS)[number];

/** R9: grounds for a motivated refusal. */
export const REFUSAL_GROUNDS = {
  1: 'documents or data submitted were found unreliable',
  2: 'the applicant or the materials do not meet the requirements of the Rules',
  3: 'no consent to access restricted personal data needed for the service (Law "On personal data", art. 8)',
} as const;
export type RefusalGround = keyof typeof REFUSAL_GROUNDS;
