import type { Schemas } from "../api/client";

/** A camera's stream status as a coloured badge (styles.css: .badge.online …). */
export function StatusBadge({ status }: { status: Schemas["StreamStatus"] }) {
  return (
    <span className={`badge ${status}`} data-status={status}>
      {status}
    </span>
  );
}
