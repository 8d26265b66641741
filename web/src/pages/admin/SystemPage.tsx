import { useEffect } from "react";
import { useApp } from "../../app/context";
import { useAsync } from "../../app/useAsync";
import { ErrorText } from "../../components/ErrorText";
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
            <div>
              <dt>Health</dt>
              <dd>
                <StatusBadge value={s.status === "healthy" ? "online" : "error"} label={s.status} />
              </dd>
            </div>
            <div>
              <dt>Uptime</dt>
              <dd>{formatDuration(s.uptime)}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{s.version}</dd>
            </div>
            {Object.entries(s.components).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{typeof value === "string" ? <StatusBadge value={value === "running" ? "online" : "error"} label={value} /> : value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section className="card stack" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Metrics</h2>
        <ErrorText error={metrics.error} />
        {m && (
          <dl className="figures">
            <div>
              <dt>Connections</dt>
              <dd>{m.active_connections}</dd>
            </div>
            {m.websocket_sessions !== undefined && (
              <div>
                <dt>WebSocket sessions</dt>
                <dd>{m.websocket_sessions}</dd>
              </div>
            )}
            <div>
              <dt>Requests</dt>
              <dd>{m.total_requests}</dd>
            </div>
            <div>
              <dt>Average response</dt>
              <dd>{m.average_response_time.toFixed(1)} ms</dd>
            </div>
            <div>
              <dt>Error rate</dt>
              <dd>{formatPercent(m.error_rate)}</dd>
            </div>
            <div>
              <dt>Memory</dt>
              <dd>{formatBytes(m.memory_usage)}</dd>
            </div>
            <div>
              <dt>CPU (of one core)</dt>
              <dd>{m.cpu_usage.toFixed(1)} %</dd>
            </div>
          </dl>
        )}
        <p className="muted small">Refreshed every {kRefreshMs / 1000} s. Every counter is at /metrics for Prometheus.</p>
      </section>
      <section className="card stack" aria-labelledby="server-title">
        <h2 id="server-title">Server</h2>
        <ErrorText error={info.error} />
        {i && (
          <dl className="figures">
            <div>
              <dt>Name</dt>
              <dd>
                {i.name} {i.version}
              </dd>
            </div>
            <div>
              <dt>Maximum cameras</dt>
              <dd>{i.max_cameras}</dd>
            </div>
            <div className="wide">
              <dt>Capabilities</dt>
              <dd>{i.capabilities.join(", ")}</dd>
            </div>
            <div className="wide">
              <dt>Formats</dt>
              <dd>{i.supported_formats.join(", ")}</dd>
            </div>
          </dl>
        )}
      </section>
    </section>
  );
}
