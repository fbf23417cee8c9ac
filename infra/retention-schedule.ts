/**
 * The retention runs every night (issue 36): a Temporal Schedule starts `retentionWorkflow` at 02:30 in Almaty,
 * when no official works. Created by every worker at start and by `cli setup`, idempotently: a schedule already
 * there (an operator may have paused it, or moved its hour) is left as it is. A night the server was down is caught
 * up within a day; a run still going when the next is due is not doubled.
 */
import { Client, isGrpcServiceError, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Connection } from '@temporalio/client';
import { TASK_QUEUE } from './task-queue';

export const RETENTION_SCHEDULE_ID = 'case-retention';
/** gRPC's UNIMPLEMENTED: the time-skipping test server has no schedules. */
const UNIMPLEMENTED = 12;

export type RetentionScheduleState = 'created' | 'present' | 'unsupported';

export async function ensureRetentionSchedule(connection: Connection, namespace: string, taskQueue = TASK_QUEUE): Promise<RetentionScheduleState> {
  const client = new Client({ connection, namespace });
  try {
    await client.schedule.create({
      scheduleId: RETENTION_SCHEDULE_ID,
      spec: { calendars: [{ hour: 2, minute: 30, comment: 'nightly, in Almaty' }], timezone: 'Asia/Almaty' },
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', workflowId: RETENTION_SCHEDULE_ID, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: 'deletes or anonymises the records past their period (domain/retention-policy.json); docs/operators.md#retention' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'present';
    const cause = (error as { cause?: unknown }).cause;
    if ([error, cause].some((e) => isGrpcServiceError(e) && e.code === UNIMPLEMENTED)) return 'unsupported';
    throw error;
  }
}
