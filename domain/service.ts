/**
 * The service's catalogue as the current standard sets it (seeds 000, 002): categories, channels and which
 * channel serves which category (R2), the term (R3), and the grounds for refusal (R9).
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

/** R2: the channels of the current standard — the Platform "Ұстаз" and the e-government portal. */
export const CHANNELS = ['platform', 'portal'] as const;
export type Channel = (typeof CHANNELS)[number];

/** R2: the Platform serves teacher-moderator and teacher-expert; the portal serves every other category. */
export const CHANNEL_OF_CATEGORY: Readonly<Record<Category, Channel>> = {
  moderator: 'platform',
  expert: 'platform',
  researcher: 'portal',
  master: 'portal',
  'head-1': 'portal',
  'head-2': 'portal',
  'head-3': 'portal',
  'deputy-head-1': 'portal',
  'deputy-head-2': 'portal',
  'deputy-head-3': 'portal',
};

/** R3: the provider decides within one working day of registration (portal, Platform). */
export const DECISION_TERM_WORKING_DAYS = 1;

/** R9: grounds for a motivated refusal. */
export const REFUSAL_GROUNDS = {
  1: 'documents or data submitted were found unreliable',
  2: 'the applicant or the materials do not meet the requirements of the Rules',
  3: 'no consent to access restricted personal data needed for the service (Law "On personal data", art. 8)',
} as const;
export type RefusalGround = keyof typeof REFUSAL_GROUNDS;
