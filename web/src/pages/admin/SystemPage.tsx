import { useEffect } from "react";
import { useApp } from "../../app/context";
import { useAsync } from "../../app/useAsync";
import { ErrorText } from "../../components/ErrorText";
import { Figure } from "../../components/Figure";
import { StatusBadge } from "../../components/StatusBadge";
import { formatBytes, formatDuration, formatPercent } from "../../lib/format";

// JSON-RPC results (docs/api/json-rpc.md): the OpenAPI document does not describe them.
type Status = { status: string; uptime: number; version: string; components: Record<string, string | number> };
type ServerInfo = { name: string; version: string; capabilities: string[]; supported_formats: string[]; max_cameras: number };
type Metrics = {
  active_connections: number;
  websocket_sessions?: number;
  total_requests: number;
  average_response_time: number;
  error_rate: number;
  memory_usage: number;
  cpu_usage: number;
};

const kRefreshMs = 5000;

/** System: health, uptime, version, components and request metrics, refreshed every 5 s. */
export function SystemPage() {
  const { rpc } = useApp();
  const status = useAsync(() => rpc.call<Status>("get_status"), [rpc]);
  const metrics = useAsync(() => rpc.call<Metrics>("get_metrics"), [rpc]);
  const info = useAsync(() => rpc.call<ServerInfo>("get_server_info"), [rpc]);
  const { reload: reloadStatus } = status;
  const { reload: reloadMetrics } = metrics;
  useEffect(() => {
    const timer = setInterval(() => {
      reloadStatus();
      reloadMetrics();
    }, kRefreshMs);
    return () => clearInterval(timer);
  }, [reloadStatus, reloadMetrics]);

  const s = status.data;
  const m = metrics.data;
  const i = info.data;
  return (
    <section className="stack">
      <h1>System</h1>
      <section className="card stack" aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <ErrorText error={status.error} />
        {s && (
          <dl className="figures">
            <Figure label="Health">
              <StatusBadge value={s.status === "healthy" ? "online" : "error"} label={s.status} />
            </Figure>
            <Figure label="Uptime">{formatDuration(s.uptime)}</Figure>
            <Figure label="Version">{s.version}</Figure>
            {Object.entries(s.components).map(([name, value]) => (
              <Figure key={name} label={name}>
                {typeof value === "string" ? <StatusBadge value={value === "running" ? "online" : "error"} label={value} /> : value}
              </Figure>
            ))}
          </dl>
        )}
      </section>
      <section className="card stack" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Metrics</h2>
        <ErrorText error={metrics.error} />
        {m && (
          <dl className="figures">
            <Figure label="Connections">{m.active_connections}</Figure>
            {m.websocket_sessions !== undefined && (
              <Figure label="WebSocket sessions">{m.websocket_sessions}</Figure>
            )}
            <Figure label="Requests">{m.total_requests}</Figure>
            <Figure label="Average response">{m.average_response_time.toFixed(1)} ms</Figure>
            <Figure label="Error rate">{formatPercent(m.error_rate)}</Figure>
            <Figure label="Memory">{formatBytes(m.memory_usage)}</Figure>
            <Figure label="CPU (of one core)">{m.cpu_usage.toFixed(1)} %</Figure>
          </dl>
        )}
        <p className="muted small">Refreshed every {kRefreshMs / 1000} s. Every counter is at /metrics for Prometheus.</p>
      </section>
      <section className="card stack" aria-labelledby="server-title">
        <h2 id="server-title">Server</h2>
        <ErrorText error={info.error} />
        {i && (
          <dl className="figures">
            <Figure label="Name">{i.name} {i.version}</Figure>
            <Figure label="Maximum cameras">{i.max_cameras}</Figure>
            <Figure label="Capabilities" wide>{i.capabilities.join(", ")}</Figure>
            <Figure label="Formats" wide>{i.supported_formats.join(", ")}</Figure>
          </dl>
        )}
      </section>
    </section>
  );
}
