/** R8 (issue 33): the applicant's identity as the person register holds it, and the name the documents print. */
import { identityCheck, nameOnDocuments, registerNameOf } from '../domain/identity';

const aliya = { found: true as const, surname: 'Сейтқали', name: 'Әлия', patronymic: 'Нұрланқызы' };

describe('the identity check (domain/identity.ts)', () => {
  test('not asked: no check, and the submitted name is printed', () => {
    expect(identityCheck('Сейткали Алия', undefined)).toBeNull();
    expect(nameOnDocuments('Сейткали Алия', null)).toBe('Сейткали Алия');
  });

  test('the same words in another order, case or spacing, or with ё for е, are the name the register holds', () => {
    for (const submitted of ['Сейтқали Әлия Нұрланқызы', 'әлия нұрланқызы СЕЙТҚАЛИ', '  Сейтқали   Әлия  Нұрланқызы ']) {
      expect(identityCheck(submitted, aliya)).toEqual({ register: 'confirmed', registerName: 'Сейтқали Әлия Нұрланқызы', submittedName: submitted });
    }
    const fyodor = { found: true as const, surname: 'Фёдоров', name: 'Пётр', patronymic: null };
    expect(identityCheck('Федоров Петр', fyodor)).toMatchObject({ register: 'confirmed', registerName: 'Фёдоров Пётр' });
  });

  test("another spelling is another name: the register's is printed, the submitted one only shown", () => {
    const check = identityCheck('Сейткали Алия Нурлановна', aliya)!;
    expect(check).toEqual({ register: 'name-differs', registerName: 'Сейтқали Әлия Нұрланқызы', submittedName: 'Сейткали Алия Нурлановна' });
    expect(nameOnDocuments('Сейткали Алия Нурлановна', check)).toBe('Сейтқали Әлия Нұрланқызы');
  });

  test('no such person: shown, and the submitted name printed (the provider weighs the identity document)', () => {
    const check = identityCheck('Сейткали Алия', { found: false });
    expect(check).toEqual({ register: 'not-found', registerName: null, submittedName: 'Сейткали Алия' });
    expect(nameOnDocuments('Сейткали Алия', check)).toBe('Сейткали Алия');
  });

  test("the register's name is surname, name, patronymic; a missing patronymic leaves no gap", () => {
    expect(registerNameOf(aliya)).toBe('Сейтқали Әлия Нұрланқызы');
    expect(registerNameOf({ ...aliya, patronymic: null })).toBe('Сейтқали Әлия');
    expect(registerNameOf({ ...aliya, patronymic: '  ' })).toBe('Сейтқали Әлия');
  });
});
