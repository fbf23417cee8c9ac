/**
 * The case store's activities: the application's records (infra/case-store), the operators' calendar overrides
 * and the alert of a calendar year not confirmed. A second application for a held year fails for good: no retry
 * could make its row insertable.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { yearHeldRefusal } from '../domain/academic-year';
import type { ApplicationInput } from '../domain/application';
import type { CalendarOverride } from '../domain/calendar';
import type { ApplicationStatus } from '../domain/case-status';
import type { ProviderUnits } from '../domain/provider-units';
import { readCalendarOverrides } from '../infra/calendar-overrides';
import { applicationRecords } from '../infra/case-store';
import type { Store } from '../infra/store';

export type { CustodyRecord, StageRecord } from '../infra/case-store';

/** The case store's activities, over the store given. */
export function createCaseStoreActivities({ store, units }: { store: Store; units: ProviderUnits }) {
  const records = applicationRecords({ store, units });
  return {
    ...records,

    /** Stores a received application, holding its teacher's academic year (R10). */
    async recordApplication(input: ApplicationInput, view: ApplicationStatus): Promise<void> {
      const stored = await records.recordApplication(input, view);
      if (!stored.recorded) throw ApplicationFailure.nonRetryable(yearHeldRefusal(input.academicYear, stored.heldBy).message, 'DuplicateApplication');
    },

    /** Operator-maintained calendar entries, read here so workflow code never reads mutable data. */
    async loadCalendarOverrides(): Promise<CalendarOverride[]> {
      return readCalendarOverrides(store);
    },

    /** A year whose calendar is not confirmed was used for a legal deadline: say so loudly. */
    async reportCalendarGap({ applicationId, years }: { applicationId: string; years: number[] }): Promise<void> {
      log.error('calendar data for these years is not confirmed; deadlines use the statutory rule only', {
        alert: 'CALENDAR_YEAR_UNCONFIRMED',
        applicationId,
        years,
        remedy: "add the year's ordered transfers with `npm run cli -- calendar add-override` and update domain/calendar-data.ts",
      });
    },
  };
}

export type CaseStoreActivities = ReturnType<typeof createCaseStoreActivities>;
