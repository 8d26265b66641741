// The API-token form ↔ POST /tokens and PUT /tokens/{id}/permissions, with the checks worth
// making before a round trip (the server makes them again and its answer maps to the same fields).
import type { Schemas } from "../api/client";
import type { FieldErrors } from "../lib/formErrors";

export type Permission = Schemas["Permission"];

/** Every permission of the OpenAPI enum, in the order the form lists them. */
export const permissions = [
  "cameras:read",
  "cameras:write",
  "streams:read",
  "media:read",
  "media:publish",
  "recordings:read",
  "recordings:write",
  "snapshots:read",
  "snapshots:write",
  "alerts:read",
  "alerts:ack",
  "events:subscribe",
  "tokens:manage",
  "users:manage",
  "system:read",
  "system:write",
] as const satisfies readonly Permission[];
// Fails to compile when the server adds a permission this list lacks.
const everyPermissionListed: Exclude<Permission, (typeof permissions)[number]> extends never ? true : never = true;
void everyPermissionListed;

export const kDefaultRateLimit = 1000;
const kMaxRateLimit = 3_600_000; // the server's auth::AuthService::kMaxRateLimitPerHour

export type TokenForm = {
  name: string;
  remark: string;
  permissions: Permission[];
  /** Camera ids; empty means every camera. */
  cameraScope: string[];
  /** Requests per hour, as typed. */
  rateLimit: string;
  /** "YYYY-MM-DD" (the token works through that day, local time) or "" for never. */
  expires: string;
};

export const tokenFields = ["name", "remark", "permissions", "camera_scope", "rate_limit", "expires_at"] as const;
export type TokenField = (typeof tokenFields)[number];

export const emptyTokenForm: TokenForm = { name: "", remark: "", permissions: [], cameraScope: [], rateLimit: String(kDefaultRateLimit), expires: "" };

export type Checked<T> = { body: T; errors?: undefined } | { body?: undefined; errors: FieldErrors<TokenField> };

export function tokenCreateBody(f: TokenForm, now = new Date()): Checked<Schemas["TokenCreate"]> {
  const errors: FieldErrors<TokenField> = {};
  const name = f.name.trim();
  if (!name) errors.name = "Give the token a name.";
  if (f.permissions.length === 0) errors.permissions = "Choose at least one permission.";
  const rate = Number(f.rateLimit.trim());
  if (!Number.isInteger(rate) || rate < 1 || rate > kMaxRateLimit) errors.rate_limit = `A whole number of requests per hour, 1 to ${kMaxRateLimit}.`;
  let expiresAt: string | null = null;
  if (f.expires) {
    const end = endOfDay(f.expires);
    if (!end) errors.expires_at = "Not a date.";
    else if (end <= now) errors.expires_at = "Choose a day from today on.";
    else expiresAt = end.toISOString();
  }
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      name,
      remark: f.remark.trim(),
      permissions: sortedPermissions(f.permissions),
      camera_scope: [...f.cameraScope].sort(),
      rate_limit: rate,
      expires_at: expiresAt,
    },
  };
}

export function permissionsBody(f: Pick<TokenForm, "permissions" | "cameraScope">): Checked<Schemas["TokenPermissionsUpdate"]> {
  if (f.permissions.length === 0) return { errors: { permissions: "Choose at least one permission." } };
  return { body: { permissions: sortedPermissions(f.permissions), camera_scope: [...f.cameraScope].sort() } };
}

/** The form for editing an existing token's permissions and scope. */
export function tokenToForm(t: Schemas["ApiToken"]): TokenForm {
  return { ...emptyTokenForm, name: t.name, remark: t.remark, permissions: [...t.permissions], cameraScope: [...t.camera_scope] };
}

/** Adds or removes `item` from a checkbox list. */
export function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item);
}

function sortedPermissions(list: readonly Permission[]): Permission[] {
  return permissions.filter((p) => list.includes(p));
}

// The last millisecond of a local calendar day, so "expires 2026-03-01" still works that evening.
function endOfDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  return d.getDate() === Number(m[3]) ? d : null;
}
