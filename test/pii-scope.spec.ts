/**
 * Issue 9, item 1, in detail: what core/national-ids.ts counts as a national id, and what a read token gets of
 * a person from the Cerebrum simulator — national ids left out of externalIds (single and bulk reads, the
 * current and the seed-002 legacy shape), and no upstream request made only for a value that would be dropped.
 */
import {
  containsNationalId,
  isNationalIdEntry,
  isNationalIdType,
  isNationalIdValue,
  maskNationalId,
  redactNationalIds,
  scrubNationalIds,
} from '../core/national-ids';
import { SAMPLE } from '../simulators/cerebrum';
import { startStack, TOKENS, type Stack } from './helpers/gateway';

describe('core/national-ids.ts', () => {
  it('knows the national id types of every source, whatever the spelling', () => {
    for (const t of [
      'norwegianNationalId',
      'NO_BIRTHNO',
      'passportNumber',
      'PASSNR',
      'socialSecurityNumber',
      'SSN',
      'fodselsnummer',
      'CPR',
      'cpr',
      'CivilRegistrationNumber',
      'nationalId',
    ]) {
      expect([t, isNationalIdType(t)]).toEqual([t, true]);
    }
    for (const t of [
      'employeeNumber',
      'NO_SAPNO',
      'studentNumber',
      'fsPersonSerialNumber',
      'dfoPersonId',
      'feideId',
      'AZ',
      null,
    ]) {
      expect([t, isNationalIdType(t)]).toEqual([t, false]);
    }
  });

  it('tells a fødselsnummer, D-number or CPR number by its shape and date; counts, phone numbers and epoch seconds are none', () => {
    for (const v of ['01017012345', '41017012345', '0101901234', '010190-1234', ' 01129520708 '])
      expect([v, isNationalIdValue(v)]).toEqual([v, true]);
    for (const v of ['1765100000', '4791234567', '12345', '123456789012', '99999999999', 'YA1234567', ''])
      expect([v, isNationalIdValue(v)]).toEqual([v, false]);
    expect(isNationalIdEntry({ type: 'passportNumber', value: 'YA1234567' })).toBe(true);
    expect(isNationalIdEntry({ type: 'unknownCode', value: '01017012345' })).toBe(true);
    expect(isNationalIdEntry({ type: 'employeeNumber', value: '100123' })).toBe(false);
  });

  it('masks free text to the first six digits, and scrubs JSON: keys, whole values and array entries left out', () => {
    expect(maskNationalId('01017012345')).toBe('010170*****');
    expect(maskNationalId('010190-1234')).toBe('010190****');
    expect(redactNationalIds('CPR 0101901234 and fnr 01017012345; job 1765100000')).toBe(
      'CPR 010190**** and fnr 010170*****; job 1765100000',
    );
    expect(containsNationalId('at 1765100000')).toBe(false);
    expect(containsNationalId('x 01017012345 y')).toBe(true);
    expect(
      scrubNationalIds({
        fnr: '1',
        list: ['01017012345', 'a'],
        n: 3,
        text: 'p 0101901234',
        '01017012345': 1,
        deep: [{ cpr: 'x', ok: true }],
      }),
    ).toEqual({ list: ['a'], n: 3, text: 'p 010190****', deep: [{ ok: true }] });
  });
});

describe('Person national ids with and without pii (Cerebrum simulator)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.stop();
  });

  const fnrOf = (id: number) =>
    s.sim.data.persons.get(id)!.external_ids.find((e) => e.id_type === 'NO_BIRTHNO')!.external_id;
  const externalIdRequests = () => [...s.sim.stats.byPath.keys()].filter((k) => k.includes('/external-ids'));

  it('externalIds leave out the fødselsnummer and the passport number without pii (one person, bulk, legacy shape)', async () => {
    const q = `{ a: person(id: "cerebrum:${SAMPLE.torTest}") { nationalId externalIds { type value } }
      b: person(id: "cerebrum:${SAMPLE.legacyPerson}") { externalIds { type value } }
      c: person(id: "cerebrum:${SAMPLE.personWithoutBirthDate}") { externalIds { type value } }
      persons(first: 20) { edges { node { externalIds { type value } } } } }`;
    const read = await s.gql(q, undefined, TOKENS.read);
    expect(read.body.errors).toBeUndefined();
    const d = read.body.data;
    expect(d.a.nationalId).toBeNull();
    expect(d.a.externalIds.map((x: any) => x.type)).toContain('employeeNumber');
    const all = [
      ...d.a.externalIds,
      ...d.b.externalIds,
      ...d.c.externalIds,
      ...d.persons.edges.flatMap((e: any) => e.node.externalIds),
    ];
    expect(all.filter((x: any) => ['norwegianNationalId', 'passportNumber'].includes(x.type))).toEqual([]);
    expect(d.c.externalIds).toEqual([]);
    expect(JSON.stringify(d)).not.toContain(fnrOf(SAMPLE.torTest));

    const pii = await s.gql(q, undefined, TOKENS.pii);
    expect(pii.body.data.a.nationalId).toBe(fnrOf(SAMPLE.torTest));
    expect(pii.body.data.a.externalIds).toContainEqual({ type: 'norwegianNationalId', value: fnrOf(SAMPLE.torTest) });
    expect(pii.body.data.b.externalIds.map((x: any) => x.type)).toContain('norwegianNationalId');
    expect(pii.body.data.c.externalIds).toEqual([{ type: 'passportNumber', value: 'YA1234567' }]);
  });

  it('nationalId without pii fetches nothing: no external-ids request is made only to be dropped', async () => {
    s.sim.stats.reset();
    const q = `{ person(id: "cerebrum:${SAMPLE.torTest}") { name nationalId } persons(first: 5) { edges { node { nationalId } } } }`;
    const read = await s.gql(q, undefined, TOKENS.read);
    expect(read.body.errors).toBeUndefined();
    expect(externalIdRequests()).toEqual([]);
    s.sim.stats.reset();
    const pii = await s.gql(q, undefined, TOKENS.pii);
    expect(pii.body.data.person.nationalId).toBe(fnrOf(SAMPLE.torTest));
    expect(externalIdRequests().length).toBeGreaterThan(0);
  });
});
