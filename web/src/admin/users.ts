import type { Role } from "../roles";

/** The roles an admin can give, with what each may do (openapi.json's x-ocellus-role ranks). */
export const roleChoices: Array<{ value: Role; label: string }> = [
  { value: "viewer", label: "Viewer (watch, recordings, alerts)" },
  { value: "operator", label: "Operator (+ record, snapshots, acknowledge alerts)" },
  { value: "admin", label: "Admin (everything)" },
  { value: "api_only", label: "API only (owns API tokens, cannot sign in)" },
];

export const userFields = ["username", "password", "role"] as const;
export type UserField = (typeof userFields)[number];
