/**
 * R1: the registry of provider units — the shipped data is valid and says what R1 says, a broken file is refused
 * at start naming the unit, and the tree answers who supervises a unit and who reviews a complaint (R3, R13).
 */
import fs from 'node:fs';
import { ProviderUnits, quotesBalanced, unitName, unknownProviderUnitRefusal } from '../domain/provider-units';
import { loadProviderUnits, SHIPPED_PROVIDER_UNITS_FILE } from '../infra/provider-units';

const units = loadProviderUnits(SHIPPED_PROVIDER_UNITS_FILE);
const ids = (list: Array<{ id: string }>) => list.map((u) => u.id);

/** A small valid registry to break one piece at a time. */
const small = () => ({
  units: [
    { id: 'ministry', kind: 'ministry', parent: null, names: { kk: 'Министрлік', ru: 'Министерство' } },
    { id: 'city-a', kind: 'city', parent: 'ministry', names: { kk: 'А қаласы', ru: 'Город А' } },
    { id: 'district-a', kind: 'district', parent: 'city-a', names: { kk: 'А ауданы', ru: 'Район А' } },
    { id: 'qa', kind: 'quality-authority', parent: null, names: { kk: 'Агенттік', ru: 'Агентство' } },
    { id: 'qa-a', kind: 'quality-authority-territorial', parent: 'qa', territory: 'city-a', names: { kk: 'Департамент А', ru: 'Департамент А' } },
  ] as Array<Record<string, unknown>>,
});

describe('the shipped registry of units (R1)', () => {
  test('has the Ministry, the 17 regional and 3 city departments under it, and the Almaty city department by its id', () => {
    expect(units.units.filter((u) => u.kind === 'ministry')).toHaveLength(1);
    expect(units.units.filter((u) => u.kind === 'region' && u.parent === 'ministry-of-education')).toHaveLength(17);
    expect(ids(units.units.filter((u) => u.kind === 'city'))).toEqual([
      'astana-city-education-department',
      'almaty-city-education-department',
      'shymkent-city-education-department',
    ]);
    expect(units.get('almaty-city-education-department')).toMatchObject({
      parent: 'ministry-of-education',
      names: { ru: 'Управление образования города Алматы', kk: 'Алматы қаласының білім басқармасы' },
    });
  });

  test('gives the quality-control authority a department for every region and city', () => {
    for (const territory of units.units.filter((u) => u.kind === 'region' || u.kind === 'city')) {
      expect([territory.id, units.reviewingBody(territory.id, 'quality-authority').kind]).toEqual([territory.id, 'quality-authority-territorial']);
    }
  });

  test('names every unit in Kazakh and Russian, the Russian without Kazakh-only letters but in official names', () => {
    // the regions of Zhetysu and Ulytau keep their Kazakh spelling in Russian (as the decree creating them does)
    const officialNames = /Жетісу|Ұлытау/g;
    for (const u of units.units) {
      expect(u.names.kk.length).toBeGreaterThan(5);
      expect([u.id, u.names.ru.replace(officialNames, '').match(/[әғқңөүһі]/gi)]).toEqual([u.id, null]);
    }
  });
});

describe('a broken registry is refused, naming the unit and the problem', () => {
  test.each<[string, (r: ReturnType<typeof small>) => void, RegExp]>([
    ['a unit listed twice', (r) => r.units.push({ ...r.units[1] }), /unit city-a is listed twice/],
    ['an unknown parent', (r) => (r.units[2].parent = 'city-b'), /unit district-a: parent city-b is not in the registry/],
    ['parents in a circle', (r) => (r.units[1].parent = 'district-a'), /unit city-a: its parents go round in a circle/],
    [
      'a district directly under the Ministry',
      (r) => (r.units[2].parent = 'ministry'),
      /district-a \(district\) must be under region or city, not ministry/,
    ],
    ['an id that is not a slug', (r) => (r.units[2].id = 'District A'), /units\.2\.id: must be a slug/],
    [
      'a name with a line break (it heads signed documents)',
      (r) => ((r.units[1].names as { ru: string }).ru = 'Город А\nУВЕДОМЛЕНИЕ'),
      /units\.1\.names\.ru: must be one line/,
    ],
    ['a territory that is not a region or city', (r) => (r.units[4].territory = 'district-a'), /qa-a: territory must name a region or a city/],
    ['no quality-control authority', (r) => r.units.splice(3, 2), /exactly one quality-authority/],
  ])('%s', (_name, breakIt, message) => {
    const registry = small();
    expect(() => ProviderUnits.parse(registry, 'units.json')).not.toThrow();
    breakIt(registry);
    expect(() => ProviderUnits.parse(registry, 'units.json')).toThrow(message);
  });

  test('a file that is not JSON names the file', () => {
    expect(() => loadProviderUnits(__filename)).toThrow(/provider units file .*provider-units\.test\.ts could not be read as JSON/);
  });
});

describe('the tree answers who is told and who reviews (R1, R3, R13)', () => {
  test('an overdue decision goes to the unit above the provider; the Ministry’s to the quality-control authority', () => {
    expect(units.supervisorOf('almaty-school-gymnasium-159').id).toBe('almaty-bostandyk-district-education-department');
    expect(units.supervisorOf('almaty-bostandyk-district-education-department').id).toBe('almaty-city-education-department');
    expect(units.supervisorOf('almaty-city-education-department').id).toBe('ministry-of-education');
    expect(units.supervisorOf('ministry-of-education').id).toBe('quality-authority');
  });

  test('a complaint through the provider is decided by the body above it, one to the authority by its department for the territory', () => {
    // APPK art. 91 §4, 002 §18: never by the provider itself
    expect(units.reviewingBody('temirtau-secondary-school-12', 'provider').id).toBe('karaganda-temirtau-city-education-department');
    expect(units.reviewingBody('almaty-school-gymnasium-159', 'provider').id).toBe('almaty-bostandyk-district-education-department');
    expect(units.reviewingBody('almaty-city-education-department', 'provider').id).toBe('ministry-of-education');
    // the Ministry has no education body above it: the quality-control authority
    expect(units.reviewingBody('ministry-of-education', 'provider').id).toBe('quality-authority');
    expect(units.reviewingBody('temirtau-secondary-school-12', 'quality-authority').id).toBe('quality-authority-karaganda-region');
    expect(units.reviewingBody('almaty-city-education-department', 'quality-authority').id).toBe('quality-authority-almaty-city');
    // the Ministry lies in no region: the authority itself
    expect(units.reviewingBody('ministry-of-education', 'quality-authority').id).toBe('quality-authority');
    expect(units.superiorOf('quality-authority-almaty-city').id).toBe('quality-authority');
  });

  test('the registry may name a superior body other than the parent; it must be another education body of the registry', () => {
    const raw = JSON.parse(fs.readFileSync(SHIPPED_PROVIDER_UNITS_FILE, 'utf8')) as { units: Array<Record<string, unknown>> };
    const school = raw.units.find((u) => u.id === 'almaty-school-gymnasium-159')!;
    school.superiorBody = 'almaty-city-education-department';
    expect(ProviderUnits.parse(raw).reviewingBody('almaty-school-gymnasium-159', 'provider').id).toBe('almaty-city-education-department');
    for (const wrong of ['quality-authority', 'nowhere', 'almaty-school-gymnasium-159']) {
      school.superiorBody = wrong;
      expect(() => ProviderUnits.parse(raw, 'units.json')).toThrow(
        'units.json: unit almaty-school-gymnasium-159: superiorBody must name another education department or the Ministry of the registry',
      );
    }
  });

  test('a submission names a providing unit by its id: anything else is refused on providerUnit (R1)', () => {
    expect(unknownProviderUnitRefusal(units, 'almaty-city-education-department')).toBeNull();
    expect(unknownProviderUnitRefusal(units, 'Almaty city education department')).toMatchObject({
      code: 'unknown-provider-unit',
      field: 'providerUnit',
      rule: 'R1',
    });
    expect(unknownProviderUnitRefusal(units, 'quality-authority-almaty-city')?.message).toMatch(/does not provide the service/);
  });

  test('a case from before the registry prints its unit on one line, whatever it holds', () => {
    expect(unitName(units, 'almaty-city-education-department', 'kk')).toBe('Алматы қаласының білім басқармасы');
    expect(unitName(units, 'Отдел\nУВЕДОМЛЕНИЕ о приеме\u202e', 'ru')).toBe('Отдел УВЕДОМЛЕНИЕ о приеме');
  });
});

describe('names printed on documents (issue 31)', () => {
  test('close every quote they open', () => {
    expect(quotesBalanced('НАО «Государственная корпорация „Правительство для граждан“»')).toBe(true);
    expect(quotesBalanced('НАО «Государственная корпорация «Правительство для граждан»')).toBe(false);
    expect(quotesBalanced('«„Азаматтарға арналған үкімет“ мемлекеттік корпорациясы» КЕАҚ')).toBe(true);
    expect(quotesBalanced('«Азаматтарға арналған үкімет» мемлекеттік корпорациясы» КЕАҚ')).toBe(false);
    expect(quotesBalanced('„a«b“»')).toBe(false);
  });
});
