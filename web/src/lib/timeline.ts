// The recordings timeline's arithmetic, kept out of the component so it can be tested: a day in
// local time, the visible window (zoom), positions along the bar, drag selection, keyboard steps
// and where a click should start playing. All times are milliseconds since the epoch.

/** A half-open period [from, to). */
export type Range = { from: number; to: number };

export const kMinute = 60_000;
export const kHour = 60 * kMinute;
/** The narrowest window zooming goes to. */
export const kMinSpan = kMinute;
/** A drag shorter than this many pixels is a click. */
export const kDragThresholdPx = 4;

/** "2026-01-15" → that local calendar day, or null when the text is not a real date. */
export function parseDay(text: string | null | undefined): Range | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  if (start.getFullYear() !== y || start.getMonth() !== mo || start.getDate() !== d) return null;
  // The next local midnight, not +24 h: days of a daylight-saving change last 23 or 25 hours.
  return { from: start.getTime(), to: new Date(y, mo, d + 1).getTime() };
}

/** The local day `delta` days after `day` (a day, not 24 h: see parseDay). */
export function shiftDay(day: Range, delta: number): Range {
  const d = new Date(day.from);
  const dayAt = (offset: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset).getTime();
  return { from: dayAt(delta), to: dayAt(delta + 1) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Where `ms` falls along the window: 0 at its start, 1 at its end (not clamped). */
export function fractionOf(ms: number, view: Range): number {
  return (ms - view.from) / (view.to - view.from);
}

/** The instant at `fraction` of the window, clamped to it. */
export function timeAt(fraction: number, view: Range): number {
  return Math.round(view.from + clamp(fraction, 0, 1) * (view.to - view.from));
}

/** The part of `range` inside the window as CSS percentages, or null when none of it is. */
export function placeRange(range: Range, view: Range): { left: number; width: number } | null {
  const from = Math.max(range.from, view.from);
  const to = Math.min(range.to, view.to);
  if (to <= from) return null;
  return { left: fractionOf(from, view) * 100, width: ((to - from) / (view.to - view.from)) * 100 };
}

/** The window scaled by `factor` (< 1 zooms in) around `center`, kept inside `bounds`. */
export function zoomView(view: Range, factor: number, center: number, bounds: Range): Range {
  const full = bounds.to - bounds.from;
  const span = clamp((view.to - view.from) * factor, Math.min(kMinSpan, full), full);
  // The centre keeps its place on the bar, so what is under the pointer or playhead stays there.
  const at = clamp(fractionOf(center, view), 0, 1);
  const from = clamp(center - at * span, bounds.from, bounds.to - span);
  return { from: Math.round(from), to: Math.round(from + span) };
}

const kTickSteps = [10_000, 30_000, ...[1, 5, 10, 15, 30, 60, 120, 180, 360].map((m) => m * kMinute)];

/** Label instants for the window: the smallest round step giving at most `maxTicks` labels,
 * aligned to `origin` (the day's local midnight) so labels read 06:00, 12:00… */
export function ticks(view: Range, maxTicks: number, origin: number): { step: number; at: number[] } {
  const span = view.to - view.from;
  const step = kTickSteps.find((s) => span / s <= maxTicks - 1) ?? kTickSteps[kTickSteps.length - 1]!;
  const at: number[] = [];
  for (let t = origin + Math.ceil((view.from - origin) / step) * step; t <= view.to; t += step) at.push(t);
  return { step, at };
}

/** The period between a drag's two ends, in order and inside `bounds`; null when it is under a
 * second long (too short to play or export). */
export function selectRange(a: number, b: number, bounds: Range): Range | null {
  const from = clamp(Math.min(a, b), bounds.from, bounds.to);
  const to = clamp(Math.max(a, b), bounds.from, bounds.to);
  return to - from >= 1000 ? { from, to } : null;
}

/** Where playback should start for a click at `ms`: the instant itself when it was recorded,
 * else the nearest recorded interval within `tolerance` (a few pixels' worth of time, so a thin
 * sliver of recording is easy to hit): its start when the click fell before it, its last
 * `tolerance` when after. Null when nothing recorded is that close. `intervals` are sorted. */
export function snapToRecorded(ms: number, intervals: Range[], tolerance: number): number | null {
  let best: { at: number; distance: number } | null = null;
  for (const i of intervals) {
    if (ms >= i.from && ms < i.to) return ms;
    const distance = ms < i.from ? i.from - ms : ms - i.to;
    const at = ms < i.from ? i.from : Math.max(i.from, i.to - tolerance);
    if (distance <= tolerance && (!best || distance < best.distance)) best = { at, distance };
  }
  return best?.at ?? null;
}

/** The playhead after a key on the timeline (the slider pattern of WAI-ARIA), or null for a key
 * it does not handle. Steps follow the zoom: 1/100 of the window, a tenth with PageUp/Down. */
export function keyTarget(key: string, current: number, view: Range): number | null {
  const span = view.to - view.from;
  const small = Math.max(1000, Math.round(span / 100));
  const large = Math.max(small, Math.round(span / 10));
  const moves: Record<string, number> = { ArrowRight: small, ArrowUp: small, ArrowLeft: -small, ArrowDown: -small, PageUp: large, PageDown: -large };
  if (key in moves) return clamp(current + moves[key]!, view.from, view.to);
  if (key === "Home") return view.from;
  if (key === "End") return view.to;
  return null;
}

/** What to load for playback starting at `start` (outside any selection): up to `length` of it,
 * not past the day's end nor now (a playlist lists only what is recorded, so the end is a bound). */
export function playbackRange(start: number, day: Range, now: number, length = kHour): Range {
  return { from: start, to: Math.max(start + 1000, Math.min(start + length, day.to, now)) };
}

/** The window moved (not resized) so that `ms` is in it, a tenth from its start: the view
 * follows playback that runs out of it. Unchanged when `ms` is already inside. */
export function followView(view: Range, ms: number, bounds: Range): Range {
  if (ms >= view.from && ms <= view.to) return view;
  const span = view.to - view.from;
  const from = clamp(ms - span / 10, bounds.from, bounds.to - span);
  return { from, to: from + span };
}
