/**
 * The parts of a WorkflowTrouble row (prisma/schema.prisma): the worker writes them (worker/trouble.ts), the
 * stuck-case listing reads them (client/inspector/stuck.ts).
 */
export const WORKFLOW_TASK_PART = 'workflow-task';
export const ACTIVITY_PART_PREFIX = 'activity:';
export const activityPart = (activityId: string) => `${ACTIVITY_PART_PREFIX}${activityId}`;
