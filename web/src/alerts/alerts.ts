// The alert list's filters (kept in the page's query string, sent as the API's query) and the
// merging of `alert` notifications into a list loaded over REST.
import type { Schemas } from "../api/client";
import type { ToastKind } from "../app/context";

export type Alert = Schemas["Alert"];
export type Severity = Alert["severity"];
export type AlertType = Alert["type"];

export const severities = ["critical", "warning", "info"] as const satisfies readonly Severity[];
export const alertTypes = ["camera_offline", "recording_failed", "storage_full", "api_rate_limit"] as const satisfies readonly AlertType[];

export type AlertFilter = { severity?: Severity; type?: AlertType; camera?: string };

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;

/** The filter in a query string; unknown values are ignored rather than sent. */
export function filterFromQuery(query: URLSearchParams): AlertFilter {
  const f: AlertFilter = {};
  const severity = oneOf(severities, query.get("severity"));
  const type = oneOf(alertTypes, query.get("type"));
  const camera = query.get("camera");
  if (severity) f.severity = severity;
  if (type) f.type = type;
  if (camera) f.camera = camera;
  return f;
}

export function filterToQuery(f: AlertFilter): string {
  const q = new URLSearchParams();
  for (const key of ["severity", "type", "camera"] as const) if (f[key]) q.set(key, f[key]);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function matchesFilter(a: Alert, f: AlertFilter): boolean {
  return (!f.severity || a.severity === f.severity) && (!f.type || a.type === f.type) && (!f.camera || a.camera === f.camera);
}

/** An `alert` notification as a list item; null when it lacks what the list needs. */
export function alertFromNotification(p: Record<string, unknown>): Alert | null {
  const severity = oneOf(severities, typeof p["severity"] === "string" ? p["severity"] : null);
  const type = oneOf(alertTypes, typeof p["type"] === "string" ? p["type"] : null);
  if (typeof p["id"] !== "number" || !severity || !type || typeof p["timestamp"] !== "string") return null;
  return {
    id: p["id"],
    type,
    severity,
    message: typeof p["message"] === "string" ? p["message"] : type,
    camera: typeof p["camera"] === "string" && p["camera"] ? p["camera"] : null,
    timestamp: p["timestamp"],
    acknowledged: p["acknowledged"] === true,
    acknowledged_at: null,
    acknowledged_by: null,
  };
}

/** New first, as the API lists them; an alert already in the list is replaced, not repeated. */
export function withAlert(list: readonly Alert[], a: Alert): Alert[] {
  return [a, ...list.filter((x) => x.id !== a.id)];
}

export function describeType(t: AlertType): string {
  return t.replace(/_/g, " ");
}

/** How loud a toast an alert deserves. */
export function toastKindOf(s: Severity): ToastKind {
  return s === "critical" ? "error" : s === "warning" ? "warning" : "info";
}

/** The toast's words: "Warning · camera offline: camera 'gate' has been offline for 1 s". */
export function toastText(a: Alert): string {
  return `${a.severity[0]!.toUpperCase()}${a.severity.slice(1)} · ${describeType(a.type)}: ${a.message}`;
}
