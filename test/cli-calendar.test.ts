/** The calendar CLI as a black box, exactly as README documents it (issue 3); no server or database needed. */
import { cli } from './helpers/cli';

describe('calendar CLI', () => {
  test.each([
    [['is-working-day', '2026-03-23'], 'false'],
    [['is-working-day', '2026-08-31'], 'true'],
    [['registration-moment', '2026-03-20T19:05:00+05:00'], '2026-03-26T09:00:00+05:00'],
    [['add-working-days', '2026-03-20', '5'], '2026-04-01'],
    [['deadline', '2026-03-20T10:00:00+05:00', '5'], '2026-04-01T18:30:00+05:00'],
  ])('calendar %j prints %s', (args, expected) => {
    const result = cli(['calendar', ...args], { env: { DATABASE_URL: '' } });
    expect(result).toEqual({ status: 0, stdout: `${expected}\n`, stderr: '' });
  });

  test('batch answers one JSON line per input line, in order, errors included', () => {
    const input = [
      '{"op":"isWorkingDay","date":"2026-03-24"}',
      '{"op":"registrationMoment","submittedAt":"2026-11-20T19:00:00+05:00"}',
      '{"op":"addWorkingDays","from":"2026-12-31","days":1}',
      '{"op":"deadline","from":"2026-11-23T09:00:00+05:00","days":1}',
      'not json',
      '{"op":"isWorkingDay","date":"2026-02-30"}',
    ].join('\n');
    const result = cli(['calendar', 'batch'], { input });
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, 4)).toEqual([
      { result: false },
      { result: '2026-11-23T09:00:00+05:00' },
      { result: '2027-01-05' },
      { result: '2026-11-24T18:30:00+05:00' },
    ]);
    expect(lines[4]).toEqual({ error: expect.stringMatching(/JSON/) });
    expect(lines[5]).toEqual({ error: expect.stringMatching(/not a calendar date/) });
  });

  test('year lists days off with their basis and warns about a provisional year', () => {
    const confirmed = cli(['calendar', 'year', '2026']);
    expect(confirmed.status).toBe(0);
    expect(confirmed.stderr).toBe('');
    expect(confirmed.stdout).toContain('2026-03-25  day off');
    expect(confirmed.stdout).not.toContain('2026-08-31');
    const provisional = cli(['calendar', 'year', '2027']);
    expect(provisional.stderr).toMatch(/2027 is provisional/);
    expect(cli(['calendar', 'year', '2031']).stderr).toMatch(/no calendar data for 2031/);
  });

  test('bad arguments are refused with the reason', () => {
    const result = cli(['calendar', 'add-working-days', '2026-03-20', 'five']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/whole number/);
  });
});
