/**
 * The service standard as versioned data. The source documents hold two versions of the same service: the
 * earlier (seed 003: the provider's office, the State Corporation and the portal) and the current (seeds 000,
 * 002: the portal and the Platform). A case is pinned at submission to the standard in force then and follows
 * it to its end, so a change of standard never alters a running case. A shipped profile is never edited: new
 * rules are a new profile, and a new entry in the schedule says from when they apply.
 */
export * from './profiles';
export * from './schedule';
export * from './intake';
export * from './publication';
