/** The task queue the worker polls and the API starts workflows on (TASK_QUEUE). */
export const TASK_QUEUE = process.env.TASK_QUEUE ?? 'teacher-attestation';
