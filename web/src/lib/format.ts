// Times, durations and sizes as the dashboard shows them. Clock times are the viewer's local time
// in 24-hour form, built by hand rather than with toLocaleTimeString so a timeline label, a table
// cell and a file name never disagree (and tests do not depend on the machine's locale).

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

/** A length of time for people: "0.8 s", "42 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} min`;
}

/** A running stopwatch: "00:04", "12:34", "1:02:03". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mmss = `${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return s < 3600 ? mmss : `${Math.floor(s / 3600)}:${mmss}`;
}

/** Bytes in binary units: "512 B", "1.5 KB", "23 MB", "1.2 GB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/** RFC 3339 in UTC, as the API's `from`/`to` parameters take it. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
