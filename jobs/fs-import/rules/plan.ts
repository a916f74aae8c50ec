/**
 * The part of a decision Cerebrum REST cannot carry out, as a list of actions for whoever executes it (an
 * operator, a Cerebrum-side job). Cerebrum REST has no endpoint to create accounts, set affiliations, spreads,
 * home areas, primary e-mail addresses or printer quotas, send letters, reserve usernames or delete accounts;
 * the import applies only quarantines and group memberships (jobs/fs-import/fs-apply.ts).
 *
 * Each action says whether it is due on the run's day under the 2.5 schedule (schedule.ts).
 */
import type { FsPersonDecision, PlannedAction } from './model';
import { dueToday } from './schedule';

export function planFor(d: FsPersonDecision): PlannedAction[] {
  const due = dueToday(d.decidedOn);
  const out: PlannedAction[] = [];
  const add = (action: string, detail: string, dueNow: boolean) => out.push({ action, detail, dueToday: dueNow });
  const user = d.account.studentAccount || d.account.create;

  if (d.account.create) {
    add('CREATE_ACCOUNT', 'student user; primary group = its personal file group (2.0)', due.buildUsers);
    if (d.groups.length > 0) add('JOIN_GROUPS', `after creation: ${d.groups.join(', ')}`, due.groups);
  }
  if (d.student) {
    for (const a of d.affiliations)
      add('SET_AFFILIATION', `${a.affiliation}/${a.status} at ${a.stedkode} (${a.via})`, due.buildUsers);
  }
  if (user && d.block.action !== 'BLOCK') {
    if (d.homeArea)
      add(
        'SET_HOME_AREA',
        `${d.homeArea.value} (2.1 ${d.homeArea.rule}); moved only if the last move was over 7 days ago`,
        true,
      );
    if (d.primaryEmail)
      add('SET_PRIMARY_EMAIL', `${d.primaryEmail.value} (2.1 ${d.primaryEmail.rule})`, due.primaryEmail);
    for (const s of d.spreads) add('ADD_SPREAD', s, due.buildUsers);
  }
  if (user) {
    add(
      'SET_PRINTER_QUOTA',
      d.printerQuota.quota ? `utskriftskvote (${d.printerQuota.paidType} paid)` : 'nullkvote',
      due.printerQuotas,
    );
  }
  if (d.letter.send)
    add(
      'SEND_LETTER',
      `in ${d.letter.language} to the ${d.letter.addressKind === 'SEMESTER' ? 'semester' : 'home'} address`,
      due.buildUsers,
    );
  if (d.reserveUsername) add('RESERVE_USERNAME', 'tilbud om opptak (2.2)', due.usernameReservations);
  if (d.deletion?.due)
    add(
      'DELETE_ACCOUNT',
      `${d.account.name ?? 'the student user'}: ${d.deletion.rule} (date ${d.deletion.date})`,
      true,
    );
  return out;
}
