/** The inspector for support staff: the stuck-case listing and one case's story. */
export {
  DEFAULT_PAGE_SIZE,
  findStuckCases,
  MAX_PAGE_SIZE,
  SOURCE_BOUND,
  type InspectOptions,
  type StuckCase,
  type StuckListing,
  type StuckReason,
} from './stuck';
export { caseStory } from './story';
