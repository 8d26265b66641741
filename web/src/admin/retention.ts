// The retention form ↔ set_retention_policy (docs/api/json-rpc.md). The API has one
// policy_type but applies both limits when both are set; the type only has to name one that is
// present ("age" needs max_age_days, "size" needs max_size_gb), and "manual" when none is.
import type { Schemas } from "../api/client";
import type { FieldErrors } from "../lib/formErrors";

export type RetentionForm = { enabled: boolean; maxAgeDays: string; maxSizeGb: string };
export type RetentionParams = {
  policy_type: "age" | "size" | "manual";
  enabled: boolean;
  max_age_days?: number;
  max_size_gb?: number;
};
/** The policy in force (storage usage's retention_policy, set_retention_policy's result). */
export type RetentionPolicy = Schemas["StorageUsage"]["retention_policy"];

export const retentionFields = ["max_age_days", "max_size_gb"] as const;
type RetentionField = (typeof retentionFields)[number];

export function retentionParams(f: RetentionForm): { params: RetentionParams; errors?: undefined } | { params?: undefined; errors: FieldErrors<RetentionField> } {
  const errors: FieldErrors<RetentionField> = {};
  const age = optionalNumber(f.maxAgeDays);
  const size = optionalNumber(f.maxSizeGb);
  if (Number.isNaN(age) || (age !== undefined && (age <= 0 || age > 36500))) errors.max_age_days = "Days, more than 0 and up to 36500.";
  if (Number.isNaN(size) || (size !== undefined && size <= 0)) errors.max_size_gb = "Gibibytes, more than 0.";
  if (f.enabled && age === undefined && size === undefined) errors.max_age_days = "Set a maximum age or size, or turn automatic deletion off.";
  if (Object.keys(errors).length) return { errors };
  const params: RetentionParams = { policy_type: age !== undefined ? "age" : size !== undefined ? "size" : "manual", enabled: f.enabled };
  if (age !== undefined) params.max_age_days = age;
  if (size !== undefined) params.max_size_gb = size;
  return { params };
}

export function policyToForm(p: RetentionPolicy): RetentionForm {
  return { enabled: p.enabled && p.policy_type !== "manual", maxAgeDays: p.max_age_days?.toString() ?? "", maxSizeGb: p.max_size_gb?.toString() ?? "" };
}

/** "" → undefined, a number → it, anything else → NaN. */
function optionalNumber(text: string): number | undefined {
  const t = text.trim();
  return t === "" ? undefined : Number(t);
}
