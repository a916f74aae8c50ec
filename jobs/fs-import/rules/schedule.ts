/**
 * Seed 001, 2.2 and 2.5 (timing): which of the planned actions are due on a given day.
 *
 *   2.2 "Alle personer som får tilbud om opptak til et studieprogram får reservert brukernavn."
 *   2.5 "Reservering av brukernavn … skjer i hele juli og august samt januar og februar
 *        - Skriverkvoter oppdateres natt til fredag
 *        - Innmelding i grupper skjer hver natt
 *        - Primær e-postadresse settes hver onsdag
 *        - Brukere bygges hver natt
 *        - Brukere flyttes hver natt forutsatt at det er > 7 dager siden forrige flytting"
 *
 * The import is meant to run nightly; a run's date is the day it runs for ("natt til fredag" = the run dated
 * Friday). Group memberships and blocks are applied on every run; the rest is reported as a plan with the day
 * it is due, since Cerebrum REST cannot do it. Moving a home area also needs the date of the last move, which
 * FS does not have: the plan says "move", and the executor checks the 7 days.
 */
import type { FsPersonInput } from './model';
import { monthOf, weekday } from './terms';

export interface DueToday {
  /** 2.2: July, August, January, February. */
  usernameReservations: boolean;
  /** Friday. */
  printerQuotas: boolean;
  /** Wednesday. */
  primaryEmail: boolean;
  /** Every night: groups, users built, users moved (subject to the 7 days). */
  groups: true;
  buildUsers: true;
}

export function dueToday(today: string): DueToday {
  const m = monthOf(today);
  const day = weekday(today);
  return {
    usernameReservations: m === 1 || m === 2 || m === 7 || m === 8,
    printerQuotas: day === 5,
    primaryEmail: day === 3,
    groups: true,
    buildUsers: true,
  };
}

/** 2.2: a username is reserved for a person offered admission who has no account yet. */
export function reservesUsername(p: FsPersonInput): boolean {
  return (p.admissionOffers ?? []).length > 0 && p.account === null;
}
