// Times, durations and sizes as the dashboard shows them. Clock times are the viewer's local time
// in 24-hour form, built by hand rather than with toLocaleTimeString so a timeline label, a table
// cell and a file name never disagree (and tests do not depend on the machine's locale). Sizes
// are binary (1 GiB = 1024³ bytes) because the server's retention quota (max_size_gb) counts
// that way, so a policy and the usage it limits agree.

const pad = (n: number, width = 2) => String(Math.trunc(n)).padStart(width, "0");

/** "14:05:09" (local), or "14:05" without seconds. */
export function formatClock(ms: number, seconds = true): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** The local calendar day of `ms`: "2026-01-15". */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A local time for file names: "2026-01-15_14-05-09" (no colons: Windows refuses them). */
export function fileStamp(ms: number): string {
  return `${formatDay(ms)}_${formatClock(ms).replaceAll(":", "-")}`;
}

/** A length of time for people: "0.8 s", "42 s", "4 min 05 s", "2 h 03 min", "3 d 04 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} min`;
  return `${Math.floor(s / 86400)} d ${pad(Math.floor(s / 3600) % 24)} h`;
}

/** A running stopwatch: "00:04", "12:34", "1:02:03". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mmss = `${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return s < 3600 ? mmss : `${Math.floor(s / 3600)}:${mmss}`;
}

const byteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 → "1.5 KiB"; three significant figures at most, whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${byteUnits[unit]}`;
}

/** An API time (RFC 3339, UTC) in the viewer's locale and zone; "never" for null. */
export function formatTime(iso: string | null | undefined, never = "never"): string {
  if (!iso) return never;
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString();
}

/** 0.0123 → "1.2 %"; a fraction (0 to 1) as a percentage. */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

/** RFC 3339 in UTC, as the API's `from`/`to` parameters take it. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
