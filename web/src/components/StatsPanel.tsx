import { statsRows, type LiveStats } from "../lib/liveStats";

/** The live view's statistics: transport, resolution, frame rate, bitrate, latency. */
export function StatsPanel({ stats }: { stats: LiveStats | null }) {
  const rows = statsRows(stats);
  return (
    <section className="card stats-panel" aria-labelledby="stats-title">
      <h2 id="stats-title">Statistics</h2>
      {rows.length === 0 ? (
        <p className="muted">Waiting for the stream…</p>
      ) : (
        <dl>
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd data-stat={label}>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
