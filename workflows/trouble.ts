/**
 * Tells the worker when the workflow's own code fails a workflow task (issue 17), so that the stuck-case listing
 * finds such a case without describing every running workflow. A sink adds no command to the history: replay
 * and running cases are untouched, and sinks are not called while replaying.
 */
import { TemporalFailure } from '@temporalio/common';
import { ContinueAsNew, proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface TroubleSinks extends Sinks {
  trouble: {
    /** the workflow's code threw something other than a failure: the task fails and is retried until fixed */
    workflowTaskFailed(message: string): void;
  };
}

const { trouble } = proxySinks<TroubleSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          // A TemporalFailure ends the run as designed (a refusal, a cancellation); continue-as-new is not a failure.
          if (!(error instanceof TemporalFailure) && !(error instanceof ContinueAsNew)) {
            trouble.workflowTaskFailed(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          }
          throw error;
        }
      },
    },
  ],
});
