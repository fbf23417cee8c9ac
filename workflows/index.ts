export { applicationWorkflow } from './application';
export { complaintWorkflow } from './complaint';
export { retentionWorkflow } from './retention';
