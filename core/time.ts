/**
 * Reads a naive local datetime ("1980-05-17T00:00:00", as Cerebrum sends them) as wall-clock time in
 * `tz` and returns the instant. Two passes settle the zone offset, also across DST changes.
 */
export function naiveToInstant(naive: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(naive);
  if (!m) return new Date(NaN);
  // Year, month and day are required groups (set on every match); the time and its seconds are optional.
  const [, year = '', month = '', day = '', hour = '0', minute = '0', second = '0'] = m;
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(new Date(guess), tz);
  return new Date(guess);
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function offsetMs(at: Date, tz: string): number {
  const parts = formatterFor(tz).formatToParts(at);
  // The formatter asks for every one of these parts, so each is there; NaN would show if one were not.
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The wall-clock time at `at` in `tz`, to the second: YYYY-MM-DDThh:mm:ss. */
export function wallClockIn(tz: string, at: Date = new Date()): string {
  const p = Object.fromEntries(
    formatterFor(tz)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Today's date in a time zone, YYYY-MM-DD (what the syncs call "today": their runs' day in TZ). */
export function todayIn(tz: string, now = new Date()): string {
  // en-CA formats as YYYY-MM-DD. One formatter per zone: building one costs more than using one.
  let f = dayFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(tz, f);
  }
  return f.format(now);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();
