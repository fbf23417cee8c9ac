/**
 * The retention policy the service runs with (issue 36): the file RETENTION_POLICY_FILE names (JSON, as
 * domain/retention-policy.json), which an operator replaces by order without a release, or the shipped one. Checked
 * whole when it is read (domain/retention.ts): a broken file stops the start naming the kind and the problem.
 */
import path from 'node:path';
import { RetentionPolicy } from '../domain/retention';
import { loadOperatorFile } from './operator-file';

/** The policy shipped with the service. */
export const SHIPPED_RETENTION_POLICY_FILE = path.join(__dirname, '..', 'domain', 'retention-policy.json');

/** Reads and checks a policy file. */
export function loadRetentionPolicy(file: string): RetentionPolicy {
  return loadOperatorFile(file, 'retention policy', (raw, source) => RetentionPolicy.parse(raw, source));
}

/** The policy this process runs with: RETENTION_POLICY_FILE, or the shipped one. */
export function retentionPolicyFromEnvironment(env: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  return loadRetentionPolicy(env.RETENTION_POLICY_FILE || SHIPPED_RETENTION_POLICY_FILE);
}
