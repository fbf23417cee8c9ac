/** The worker: polls the task queue, runs the application workflow and its activities. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { gatewayFromEnvironment } from '../activities/gateway';
import type { Store } from '../activities/store';

export const TASK_QUEUE = process.env.TASK_QUEUE ?? 'teacher-attestation';

export interface WorkerDeps {
  connection: NativeConnection;
  store: Store;
  namespace?: string;
  taskQueue?: string;
  options?: Partial<WorkerOptions>;
}

export async function createWorker({ connection, store, namespace, taskQueue, options }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: namespace ?? 'default',
    taskQueue: taskQueue ?? TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ store, gateway: gatewayFromEnvironment(store) }),
    ...options,
  });
}
