/**
 * Profiles (config.ts `profiles`, the studconfig.xml of seed 2.0): which profiles a programme or an EVU course
 * matches. "Brukeren meldes inn i alle grupper angitt i studconfig.xml … Brukeren gis alle spread som matcher i
 * studconfig.xml."
 *
 *  - A programme profile matches a programme when every selector it has matches: the code is listed, the
 *    responsible stedkode starts with one of the prefixes, the studienivåkode is within [levelMin, levelMax].
 *    A level or stedkode selector never matches a programme whose level or stedkode is unknown.
 *  - An EVU profile (`evu: true` / `evuCourses`) matches approved EVU courses the same way (code, stedkode).
 *  - Groups and spreads are the union over every matching profile. The single-valued attributes (home area,
 *    e-mail domain) of one programme come from the FIRST matching profile that sets them, in file order; across
 *    programmes seed 2.1 decides (precedence.ts).
 */
import type { Profile } from './config';
import type { EvuInput, StudyRightInput } from './model';

const prefixed = (prefixes: string[] | undefined, stedkode: string | null) =>
  prefixes === undefined || (stedkode !== null && prefixes.some((p) => stedkode.startsWith(p)));

export function matchesProgramme(profile: Profile, r: StudyRightInput): boolean {
  const s = profile.select;
  if (s.evu) return false;
  if (s.programmes !== undefined && !s.programmes.includes(r.programmeCode)) return false;
  if (!prefixed(s.stedkodes, r.stedkode)) return false;
  if (s.levelMin !== undefined && (r.level === null || r.level < s.levelMin)) return false;
  if (s.levelMax !== undefined && (r.level === null || r.level > s.levelMax)) return false;
  return true;
}

export function matchesEvu(profile: Profile, e: EvuInput): boolean {
  const s = profile.select;
  if (!s.evu) return false;
  if (s.evuCourses !== undefined && !s.evuCourses.includes(e.courseCode)) return false;
  return prefixed(s.stedkodes, e.stedkode);
}

/** The first value a matching profile gives for a single-valued attribute, in file order. */
export function firstValue(matches: Profile[], attr: 'homeArea' | 'emailDomain'): string | null {
  for (const p of matches) if (p[attr]) return p[attr];
  return null;
}
