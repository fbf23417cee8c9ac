/** The failure classifier (infra/failures.ts): what a retry can cure, and what it cannot. */
import { classifyFailure } from '../infra/failures';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('failures of activities, transient or permanent', () => {
  test('data the database refuses is permanent: a NUL byte, a value too long, a broken check', () => {
    expect(classifyFailure(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')).kind).toBe('permanent');
    expect(classifyFailure(pgError('22001', 'value too long for type character varying(300)')).kind).toBe('permanent');
    expect(classifyFailure(pgError('23514', 'new row violates check constraint')).kind).toBe('permanent');
  });

  test("as Prisma's driver adapter wraps it, too", () => {
    const wrapped = Object.assign(new Error('Invalid `prisma.application.upsert()` invocation'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { originalCode: '22021', kind: 'postgres' } } },
    });
    expect(classifyFailure(wrapped)).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('SQLSTATE 22021') });
  });

  test('a unique violation is a racing writer of the same idempotent row: the retry finds it', () => {
    expect(classifyFailure(pgError('23505', 'duplicate key value violates unique constraint')).kind).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })).kind).toBe('transient');
  });

  test('a database or gateway that does not answer is transient', () => {
    expect(classifyFailure(pgError('57P01', 'terminating connection due to administrator command')).kind).toBe('transient');
    expect(classifyFailure(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433')).kind).toBe('transient');
    expect(classifyFailure(new TypeError('fetch failed')).kind).toBe('transient');
    expect(classifyFailure(new Error('gateway education look-up answered 503')).kind).toBe('transient');
  });

  test('a record the write expects and cannot find is permanent (P2025)', () => {
    expect(classifyFailure(Object.assign(new Error('Record to update not found.'), { code: 'P2025' })).kind).toBe('permanent');
  });
});
