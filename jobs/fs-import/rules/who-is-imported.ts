/**
 * Seed 001, 1.0: who is imported from FS, and the address imported for them.
 *
 *   Fagpersoner: "Hvis de har en postering for inneværende semester i fs.fagpersonundsemester"
 *   Student:     "Hvis de har en 'lovlig' opptak til et studieprogram" — registered to a programme with an
 *                approved studierettstatkode (configuration).
 *   EVU-student: "Meldt til et kurs som har startdato senest om 14 dager, eller som avsluttes tidligst for
 *                14 dager siden."
 *
 * Interpretations (documented in README "FS import"):
 *  - A legal admission must also not have ended (gyldig til ≥ today, or open); one that starts later counts (an
 *    admitted student is imported before the term starts).
 *  - The EVU sentence, read with "eller" literally, would import everyone whose course ever started. We read it
 *    as the window it describes: the course starts at most 14 days from today AND ends at most 14 days ago
 *    (start ≤ today + 14 and end ≥ today − 14); a missing date is open on that side.
 *  - Addresses: fagperson work address else home; student semester address else home; EVU job address, else the
 *    deltaker's home address, else the person's home address. A person in several roles gets the address of
 *    the first of STUDENT, FAGPERSON, EVU.
 */
import type { FsImportConfig } from './config';
import type { EvuInput, FsPersonInput, FsRulesAddress, ImportRole, StudyRightInput, Term } from './model';
import { addDays, sameTerm } from './terms';

/** 1.0 "lovlig opptak": an approved studierettstatus, not ended on `today`. */
export function isLegalAdmission(r: StudyRightInput, cfg: FsImportConfig, today: string): boolean {
  return (
    r.status !== null && cfg.approvedStudyRightStatuses.includes(r.status) && (r.validTo === null || r.validTo >= today)
  );
}

/** 1.0 EVU window: start ≤ today + daysBeforeStart and end ≥ today − daysAfterEnd. */
export function inEvuImportWindow(e: EvuInput, cfg: FsImportConfig, today: string): boolean {
  return (
    (e.startDate === null || e.startDate <= addDays(today, cfg.evu.daysBeforeStart)) &&
    (e.endDate === null || e.endDate >= addDays(today, -cfg.evu.daysAfterEnd))
  );
}

export interface ImportVerdict {
  imported: boolean;
  roles: ImportRole[];
  address: FsRulesAddress | null;
  reasons: string[];
}

export function whoIsImported(p: FsPersonInput, cfg: FsImportConfig, today: string, term: Term): ImportVerdict {
  const roles: ImportRole[] = [];
  const reasons: string[] = [];
  const legal = p.studyRights.filter((r) => isLegalAdmission(r, cfg, today));
  if (legal.length > 0) {
    roles.push('STUDENT');
    reasons.push(`1.0 student: lovlig opptak til ${legal.map((r) => `${r.programmeCode} (${r.status})`).join(', ')}`);
  } else if (p.studyRights.length > 0) {
    reasons.push(
      `1.0 student: no legal admission (${p.studyRights.map((r) => `${r.programmeCode}: ${r.status ?? 'no status'}${r.validTo !== null && r.validTo < today ? `, ended ${r.validTo}` : ''}`).join('; ')})`,
    );
  }
  const postings = p.staffPostings.filter((s) => sameTerm(s.term, term));
  if (postings.length > 0) {
    roles.push('FAGPERSON');
    reasons.push(
      `1.0 fagperson: postering for ${term.name} ${term.year} at ${[...new Set(postings.map((s) => s.stedkode))].join(', ')}`,
    );
  }
  const evu = p.evu.filter((e) => inEvuImportWindow(e, cfg, today));
  if (evu.length > 0) {
    roles.push('EVU');
    reasons.push(
      `1.0 EVU: meldt til ${evu.map((e) => `${e.courseCode} (${e.startDate ?? '?'}–${e.endDate ?? '?'})`).join(', ')}`,
    );
  }
  if (roles.length === 0)
    reasons.push(
      '1.0: not imported (no legal admission, no staff posting this term, no EVU course in the ±14-day window)',
    );
  return { imported: roles.length > 0, roles, address: importAddress(p, roles, evu), reasons };
}

function importAddress(p: FsPersonInput, roles: ImportRole[], evu: EvuInput[]): FsRulesAddress | null {
  const home = p.addresses.home ?? null;
  for (const role of roles) {
    if (role === 'STUDENT') return p.addresses.semester ?? home;
    if (role === 'FAGPERSON') return p.addresses.work ?? home;
    if (role === 'EVU') {
      for (const e of evu) if (e.jobAddress) return e.jobAddress;
      for (const e of evu) if (e.homeAddress) return e.homeAddress;
      return home;
    }
  }
  return null;
}
