/**
 * `exportdatetime` of the import document: "YYYY-MM-DDThh:mm:ss", the source system's wall-clock time (seed 003,
 * UNILoginImport). The service loads a document only when it is dated later than the last one it loaded for the
 * same source and institution (else statuskode 3), so each document is dated strictly later than the last one
 * sent — one second later when the clock has not moved on (two runs within a second, or the hour repeated when
 * daylight saving time ends).
 */
import { wallClockIn } from '../../core/time';

/** The wall-clock time at `at` in `tz`, to the second: YYYY-MM-DDThh:mm:ss. */
export function localDateTime(tz: string, at: Date = new Date()): string {
  return wallClockIn(tz, at);
}

/** Today in `tz`: YYYY-MM-DD. */
export function localDate(tz: string, at: Date = new Date()): string {
  return localDateTime(tz, at).slice(0, 10);
}

/** `value` plus one second, on the naive wall-clock scale (no zone: the value has none). */
export function plusOneSecond(value: string): string {
  const ms = Date.parse(`${value}Z`) + 1000;
  return new Date(ms).toISOString().slice(0, 19);
}

/** The exportdatetime for a new document: now in `tz`, or one second after `lastSent` if now is not later. */
export function nextExportDateTime(tz: string, lastSent: string | null | undefined, now: Date = new Date()): string {
  const candidate = localDateTime(tz, now);
  // Fixed-width YYYY-MM-DDThh:mm:ss strings compare as their times do.
  return lastSent && candidate <= lastSent ? plusOneSecond(lastSent) : candidate;
}
