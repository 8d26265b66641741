import { describe, expect, it } from "vitest";
import { policyToForm, retentionParams } from "./retention";

const empty = { enabled: true, maxAgeDays: "", maxSizeGb: "" };

describe("retentionParams", () => {
  it("names the type by the limit that is set and sends both limits", () => {
    expect(retentionParams({ enabled: true, maxAgeDays: "30", maxSizeGb: "" }).params).toEqual({ policy_type: "age", enabled: true, max_age_days: 30 });
    expect(retentionParams({ enabled: true, maxAgeDays: "", maxSizeGb: "2.5" }).params).toEqual({ policy_type: "size", enabled: true, max_size_gb: 2.5 });
    expect(retentionParams({ enabled: true, maxAgeDays: "7", maxSizeGb: "100" }).params).toEqual({
      policy_type: "age",
      enabled: true,
      max_age_days: 7,
      max_size_gb: 100,
    });
  });
  it("is manual when off without limits", () => {
    expect(retentionParams({ ...empty, enabled: false }).params).toEqual({ policy_type: "manual", enabled: false });
  });
  it("refuses bad numbers and an enabled policy without a limit", () => {
    expect(retentionParams({ enabled: true, maxAgeDays: "0", maxSizeGb: "x" }).errors).toEqual({
      max_age_days: "Days, more than 0 and up to 36500.",
      max_size_gb: "Gibibytes, more than 0.",
    });
    expect(retentionParams(empty).errors?.max_age_days).toMatch(/maximum age or size/);
  });
});

describe("policyToForm", () => {
  it("shows a stored policy", () => {
    expect(policyToForm({ policy_type: "manual", enabled: true, max_age_days: null, max_size_gb: 3 })).toEqual({ enabled: false, maxAgeDays: "", maxSizeGb: "3" });
  });
});
