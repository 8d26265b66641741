/** A camera's stream status or an alert's severity as a coloured pill (styles.css .badge.<value>);
 * `data-status` carries the value for tests and styles whatever the label says. */
export function StatusBadge({ value, label = value }: { value: string; label?: string }) {
  return (
    <span className={`badge ${value}`} data-status={value}>
      {label}
    </span>
  );
}
