export { applicationWorkflow } from './application';
export { complaintWorkflow } from './complaint';
