import type { Schemas } from "./api/client";

export type Role = Schemas["Role"];
const rank: Record<Role, number> = { viewer: 1, operator: 2, api_only: 2, admin: 3 };

/** admin > operator > viewer, as the server ranks them (docs/api/json-rpc.md). */
export function atLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && rank[role] >= rank[needed];
}
