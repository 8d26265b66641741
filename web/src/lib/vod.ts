// Wall-clock time ↔ media time in a recordings VOD playlist. The server's playlist carries an
// EXT-X-PROGRAM-DATE-TIME for each file and a discontinuity between files, so media time is not
// wall time minus the range's start: a gap between two recordings takes no media time at all.
// hls.js gives each fragment its media `start`, `duration` (s) and `programDateTime` (ms).

export type Fragment = { start: number; duration: number; programDateTime: number | null };

/** The media time (s) that shows wall time `ms`; in a gap, the start of what follows it; past
 * the end, the end. Null when the fragments carry no date. */
export function mediaTimeOf(ms: number, fragments: Fragment[]): number | null {
  let last: Fragment | undefined;
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    last = f;
    const end = f.programDateTime + f.duration * 1000;
    if (ms < f.programDateTime) return f.start;
    if (ms < end) return f.start + (ms - f.programDateTime) / 1000;
  }
  return last ? last.start + last.duration : null;
}

/** The wall time (ms) that media time `t` (s) shows, or null outside the dated fragments. */
export function wallTimeOf(t: number, fragments: Fragment[]): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null || t < f.start || t >= f.start + f.duration) continue;
    return Math.round(f.programDateTime + (t - f.start) * 1000);
  }
  const last = fragments[fragments.length - 1];
  if (last?.programDateTime != null && t >= last.start + last.duration) return Math.round(last.programDateTime + last.duration * 1000);
  return null;
}
