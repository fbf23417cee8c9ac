/** The failure classifier (infra/failures.ts): what a retry can cure, and what it cannot. */
import { classifyFailure, failureSummary } from '../infra/failures';

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

describe('what a failure says beyond the activity (issue 32): codes and our own words, never the values a library prints', () => {
  const iin = '880101300123';
  class PrismaClientValidationError extends Error {
    override name = 'PrismaClientValidationError';
  }
  class PrismaClientKnownRequestError extends Error {
    override name = 'PrismaClientKnownRequestError';
    code = 'P2000';
  }

  test("Prisma's messages, which print the request's values, are reduced to the error's class and codes", () => {
    const validation = new PrismaClientValidationError(
      `Invalid \`store.application.upsert()\` invocation:\n{ iin: "${iin}", fullName: "Айгүл Сапарова" }`,
    );
    expect(classifyFailure(validation)).toEqual({
      kind: 'permanent',
      reason: 'the store refuses the request as malformed: PrismaClientValidationError',
    });
    const tooLong = new PrismaClientKnownRequestError(`The provided value "${iin} Айгүл" for the column is too long`);
    expect(classifyFailure(tooLong)).toEqual({
      kind: 'permanent',
      reason: 'the database refuses the request: PrismaClientKnownRequestError (P2000)',
    });
    const driver = Object.assign(new Error(`value too long for type character varying(300): ${iin}`), { code: '22001' });
    expect(classifyFailure(driver)).toEqual({ kind: 'permanent', reason: 'the database refuses the data: Error (SQLSTATE 22001)' });
  });

  test('a lost connection says its system code; an error the service raised keeps its first line', () => {
    expect(
      failureSummary(
        new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }) }),
      ),
    ).toBe('TypeError (ECONNREFUSED)');
    expect(failureSummary(new Error('gateway education look-up answered 503\nmore'))).toBe('gateway education look-up answered 503');
    expect(failureSummary('a string')).toBe('a failure that is not an Error');
  });
});
