/** A camera's stream status or an alert's severity as a coloured pill (styles.css .badge.<value>). */
export function StatusBadge({ value, label = value }: { value: string; label?: string }) {
  return <span className={`badge ${value}`}>{label}</span>;
}
