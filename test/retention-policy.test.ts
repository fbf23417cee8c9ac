/**
 * The retention policy as data (issue 36): the shipped file is valid and names a basis for every kind; an operator's
 * file that is broken, lacks a kind, or would anonymise a case before its documents go is refused naming the kind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RETENTION_KIND_NAMES, retentionCutoff } from '../domain/retention';
import { loadRetentionPolicy, retentionPolicyFromEnvironment, SHIPPED_RETENTION_POLICY_FILE } from '../infra/retention-policy';

const shipped = JSON.parse(fs.readFileSync(SHIPPED_RETENTION_POLICY_FILE, 'utf8')) as Record<string, { keep: object; basis: string }>;

function fileWith(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retention-')), 'policy.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('the shipped policy has every kind, each with a period and the law or order it rests on', () => {
  const policy = loadRetentionPolicy(SHIPPED_RETENTION_POLICY_FILE);
  expect(Object.keys(policy).sort()).toEqual([...RETENTION_KIND_NAMES].sort());
  expect(policy['case-record'].basis).toMatch(/94-V/);
  expect(policy.document.keep).toEqual({ years: 5 });
});

test("an operator's file replaces it (RETENTION_POLICY_FILE)", () => {
  const file = fileWith({ ...shipped, 'access-record': { ...shipped['access-record'], keep: { years: 1 } } });
  expect(retentionPolicyFromEnvironment({ RETENTION_POLICY_FILE: file })['access-record'].keep).toEqual({ years: 1 });
});

test.each([
  ['not JSON', '{', /could not be read as JSON/],
  ['a kind missing', { ...shipped, essay: undefined }, /essay: /],
  ['an unknown kind', { ...shipped, emails: shipped.essay }, /emails|unrecognized/i],
  ['a period of no days', { ...shipped, essay: { ...shipped.essay, keep: { days: 0 } } }, /essay\.keep/],
  ['two units in a period', { ...shipped, essay: { ...shipped.essay, keep: { days: 1, years: 1 } } }, /essay\.keep/],
  ['no basis', { ...shipped, document: { keep: { years: 5 }, basis: '' } }, /document\.basis: must name the law or the order/],
  [
    'the case anonymised before its documents go',
    { ...shipped, 'case-record': { ...shipped['case-record'], keep: { years: 3 } } },
    /case-record\.keep must be at least document\.keep/,
  ],
])('a policy with %s is refused, naming the kind', (_what, content, message) => {
  expect(() => loadRetentionPolicy(fileWith(content))).toThrow(message);
});

test('a period of months or years ends on the same calendar day, a leap day on the 28th', () => {
  expect(retentionCutoff({ years: 1 }, new Date('2027-03-15T10:00:00Z')).toISOString()).toBe('2026-03-15T10:00:00.000Z');
  expect(retentionCutoff({ years: 1 }, new Date('2028-02-29T10:00:00Z')).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  expect(retentionCutoff({ months: 1 }, new Date('2027-03-31T10:00:00Z')).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  expect(retentionCutoff({ days: 30 }, new Date('2027-03-31T10:00:00Z')).toISOString()).toBe('2027-03-01T10:00:00.000Z');
});
