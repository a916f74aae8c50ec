/**
 * All of seed 001 for one person: `decidePerson(input, config, today)` → one FsPersonDecision, with the reasons.
 * Pure: the same input, configuration and day give the same decision; nothing here reads the clock or does I/O.
 *
 * Which account the rules act on: "Kontoer bygges til alle studenter med mindre personen allerede har en konto
 * med _PersonAffiliationCode('STUDENT')". So only a student user (an account with a STUDENT affiliation) is
 * managed — groups, block, deletion; a student whose only account is another kind (staff) gets a student user
 * built (planned), and the other account is never touched.
 *
 * Groups and the single-valued attributes come from the admitted programmes of a student, and also of a
 * not-yet-blocked student user in the weeks before the blocking date (a student who has not registered yet keeps
 * the groups the admissions give until 2.5.1 blocks the user); a blocked user is in no auto group.
 */
import { createHash } from 'node:crypto';
import { maskNationalId as maskNationalIdText } from '../../../core/national-ids';
import type { KeyedIds } from '../../../core/keyed-ids';
import type { FsImportConfig, Profile } from './config';
import type { FsPersonDecision, FsPersonInput, StudentAffiliation, StudyRightInput } from './model';
import { chooseHomeArea, choosePrimaryEmail, type PrecedenceCandidate, type PrecedenceResult } from './precedence';
import { firstValue, matchesEvu, matchesProgramme } from './profiles';
import { printerQuota } from './printer-quota';
import { letter } from './letters';
import { decideBlock, decideDeletion } from './lifecycle';
import { reservesUsername } from './schedule';
import { previousTerm, sameTerm, termEnd, termOf, termStart } from './terms';
import { whoIsImported } from './who-is-imported';
import { whoIsStudent } from './who-is-student';

/** Doctorate: studienivåkode above 350 (seed 2.1) gets affiliation status drgrad. */
const DOCTORATE_ABOVE = 350;

/**
 * The decision's key: `fs:<personlopenummer>`; without one, `nid:` and an HMAC of the national id under the
 * deployment's key (the key is shown in the API and in issues, the national id never is; an unkeyed hash of a
 * fødselsnummer would be reversed by trying the candidates of its birth date).
 */
export function personKey(
  p: Pick<FsPersonInput, 'personNumber' | 'nationalId' | 'firstName' | 'lastName'>,
  ids: Pick<KeyedIds, 'nationalIdKey'>,
): string {
  if (p.personNumber) return `fs:${p.personNumber}`;
  if (p.nationalId) return ids.nationalIdKey(p.nationalId);
  return `anon:${createHash('sha256')
    .update(`${p.firstName ?? ''}\u0000${p.lastName ?? ''}`)
    .digest('hex')
    .slice(0, 16)}`;
}

/** At most the first six digits (the birth date) of a national id, for messages. */
export function maskNationalId(nid: string | null): string | null {
  return nid ? maskNationalIdText(nid) : null;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** `key`: the person's key, personKey(p, ids) (given, so that deciding stays pure: the keyed ids need the store). */
export function decidePerson(p: FsPersonInput, cfg: FsImportConfig, today: string, key: string): FsPersonDecision {
  const term = termOf(today);
  const imp = whoIsImported(p, cfg, today, term);
  const stu = whoIsStudent(p, cfg, term, today);
  const prev = previousTerm(term);
  const stuPrev = whoIsStudent(p, cfg, prev, termStart(term), { from: termStart(prev), to: termEnd(prev) });

  const studentUser = p.account?.studentAccount === true ? p.account : null;
  const create = stu.student && studentUser === null;
  const reasons = [...imp.reasons, ...stu.reasons];
  if (stu.student) reasons.push(`2.0: student by ${stu.rule}`);
  else if (studentUser) reasons.push('2.0: not a student');

  const block = decideBlock({
    studentUser: studentUser !== null,
    student: stu.student,
    today,
    term,
    quarantine: studentUser?.quarantine,
  });
  reasons.push(block.reason);
  const blocked = block.action === 'BLOCK' || (block.action === 'KEEP' && block.since !== null);
  const grace = !stu.student && studentUser !== null && !blocked;

  // Profiles, groups, spreads, home area and e-mail: for students, and for student users not blocked yet.
  const programmes: StudyRightInput[] = stu.student || grace ? stu.activeProgrammes : [];
  const evuCourses = stu.student ? stu.evuCourses : [];
  const perProgramme = new Map<string, Profile[]>();
  for (const r of programmes)
    perProgramme.set(
      r.programmeCode,
      cfg.profiles.filter((pr) => matchesProgramme(pr, r)),
    );
  const evuProfiles = cfg.profiles.filter((pr) => evuCourses.some((e) => matchesEvu(pr, e)));
  const matched = [...new Set([...[...perProgramme.values()].flat(), ...evuProfiles])];
  const profileNames = cfg.profiles.filter((pr) => matched.includes(pr)).map((pr) => pr.name);
  if (programmes.length + evuCourses.length > 0) {
    reasons.push(
      profileNames.length > 0
        ? `2.0 studconfig: profiles ${profileNames.join(', ')}`
        : '2.0 studconfig: no profile matches',
    );
  }

  const candidates = (attr: 'homeArea' | 'emailDomain'): PrecedenceCandidate[] =>
    programmes.flatMap((r) => {
      const value = firstValue(perProgramme.get(r.programmeCode) ?? [], attr);
      if (value === null) return [];
      const courseLevels = p.courseRegistrations
        .filter((c) => sameTerm(c.term, term) && c.programmes.includes(r.programmeCode) && c.level !== null)
        .map((c) => c.level as number)
        .sort((a, b) => b - a);
      const plan = p.educationPlans.find((x) => x.programmeCode === r.programmeCode);
      return [
        {
          programmeCode: r.programmeCode,
          level: r.level ?? 0,
          courseLevels,
          plan: plan ? { startTerm: plan.startTerm } : null,
          value,
        },
      ];
    });
  const evuValue = (attr: 'homeArea' | 'emailDomain'): PrecedenceResult | null => {
    const v = firstValue(evuProfiles, attr);
    return v === null
      ? null
      : { value: v, programmeCode: null, rule: 'EVU_PROFILE', steps: [`${attr}: from the EVU profile`] };
  };
  const home = chooseHomeArea(candidates('homeArea'), cfg.sharedHomeArea) ?? evuValue('homeArea');
  const mail = choosePrimaryEmail(candidates('emailDomain')) ?? evuValue('emailDomain');
  if (home) reasons.push(...home.steps.map((s) => `home area: ${s}`), `home area: ${home.value} (${home.rule})`);
  if (mail) reasons.push(...mail.steps.map((s) => `e-mail: ${s}`), `e-mail domain: ${mail.value} (${mail.rule})`);
  const accountName = studentUser?.name ?? null;

  const affiliations: StudentAffiliation[] = [];
  if (stu.student) {
    for (const r of stu.activeProgrammes) {
      if (r.stedkode)
        affiliations.push({
          affiliation: 'STUDENT',
          status: (r.level ?? 0) > DOCTORATE_ABOVE ? 'drgrad' : 'aktiv',
          stedkode: r.stedkode,
          via: r.programmeCode,
        });
      else reasons.push(`2.0: programme ${r.programmeCode} has no stedkode: no affiliation for it`);
    }
    for (const e of stu.evuCourses) {
      if (e.stedkode)
        affiliations.push({ affiliation: 'STUDENT', status: 'evu', stedkode: e.stedkode, via: e.courseCode });
    }
  }

  const quota = printerQuota(p, cfg.printerFeeTypes, term, stu.student);
  reasons.push(quota.reason);
  const mail1 = letter(p, create);
  reasons.push(mail1.reason);
  const reserve = reservesUsername(p);
  if (reserve) reasons.push('2.2: tilbud om opptak and no account: username reserved');

  const deletion = decideDeletion({
    studentUser: studentUser !== null,
    programmeStudent: stu.programmes.some((v) => v.met),
    student: stu.student,
    studentLastTerm: stuPrev.student,
    blockedSince: blocked ? block.since : null,
    evuEnds: p.evu.filter((e) => e.approvedForAccounts).map((e) => e.endDate),
    evuDaysAfterEnd: cfg.evu.daysAfterEnd,
    today,
    term,
  });
  if (deletion) reasons.push(deletion.reason);

  const names = [p.firstName, p.lastName].filter((x): x is string => !!x);
  return {
    key,
    personNumber: p.personNumber,
    nationalId: p.nationalId,
    name: names.length > 0 ? names.join(' ') : null,
    decidedOn: today,
    term,
    imported: imp.imported,
    importedAs: imp.roles,
    importAddress: imp.address,
    student: stu.student,
    studentRule: stu.rule,
    programmes: stu.programmes,
    reasons,
    affiliations,
    profiles: profileNames,
    groups: sorted(matched.flatMap((pr) => pr.groups)),
    spreads: sorted(matched.flatMap((pr) => pr.spreads)),
    primaryGroup: stu.student || grace ? accountName : null,
    homeArea: home ? { value: home.value, programmeCode: home.programmeCode, rule: home.rule } : null,
    primaryEmail: mail
      ? {
          value: accountName ? `${accountName}@${mail.value}` : `@${mail.value}`,
          programmeCode: mail.programmeCode,
          rule: mail.rule,
        }
      : null,
    reserveUsername: reserve,
    printerQuota: { quota: quota.quota, paidType: quota.paidType },
    letter: mail1,
    account: { name: p.account?.name ?? null, create, studentAccount: studentUser !== null },
    block: { action: block.action, since: blocked ? block.since : null, reason: block.reason },
    deletion: deletion ? { date: deletion.date, rule: deletion.rule, due: deletion.due } : null,
  };
}
