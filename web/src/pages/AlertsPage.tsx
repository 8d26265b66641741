import { useEffect, useState } from "react";
import { useApp } from "../app/context";
import { useAsync } from "../app/useAsync";
import { alertFromNotification, alertTypes, describeType, filterFromQuery, filterToQuery, matchesFilter, severities, withAlert, type Alert, type AlertFilter } from "../alerts/alerts";
import { ErrorText, errorMessage } from "../components/ErrorText";
import { Field } from "../components/Field";
import { StatusBadge } from "../components/StatusBadge";
import { formatTime } from "../lib/format";
import { atLeast } from "../roles";
import { href, navigate, useRoute } from "../router";

/**
 * Alerts, newest first: loaded with the filter of the address bar (?severity=&type=&camera=),
 * then kept live by the `alert` notification. Operators and admins acknowledge them.
 */
export function AlertsPage() {
  const { api, rpc, user, toast } = useApp();
  const { query } = useRoute();
  const filter = filterFromQuery(query);
  const key = filterToQuery(filter);
  const loaded = useAsync(() => api.get("/alerts", { query: { ...filter, limit: 200 } }), [api, key]);
  const cameras = useAsync(() => api.get("/cameras"), [api]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => setAlerts(loaded.data?.alerts ?? []), [loaded.data]);
  useEffect(
    () =>
      rpc.on("alerts", "alert", (params) => {
        const a = alertFromNotification(params);
        if (a && matchesFilter(a, filter)) setAlerts((list) => withAlert(list, a));
      }),
    // `key` stands for `filter`, a new object each render.
    [rpc, key],
  );

  const canAck = atLeast(user.role, "operator");
  const acknowledge = async (a: Alert) => {
    try {
      const done = await api.post("/alerts/{id}/ack", { path: { id: a.id } });
      setAlerts((list) => list.map((x) => (x.id === done.id ? done : x)));
    } catch (e) {
      toast(`Could not acknowledge: ${errorMessage(e)}`, "error");
    }
  };
  const setFilter = (change: Partial<AlertFilter>) => navigate(`/alerts${filterToQuery({ ...filter, ...change })}`, { replace: true });
  const open = alerts.filter((a) => !a.acknowledged).length;

  return (
    <section className="stack">
      <h1>Alerts</h1>
      <form className="row filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <Field label="Severity">
          {(c) => (
            <select {...c} value={filter.severity ?? ""} onChange={(e) => setFilter({ severity: (e.target.value || undefined) as AlertFilter["severity"] })}>
              <option value="">All</option>
              {severities.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Type">
          {(c) => (
            <select {...c} value={filter.type ?? ""} onChange={(e) => setFilter({ type: (e.target.value || undefined) as AlertFilter["type"] })}>
              <option value="">All</option>
              {alertTypes.map((t) => (
                <option key={t} value={t}>
                  {describeType(t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Camera">
          {(c) => (
            <select {...c} value={filter.camera ?? ""} onChange={(e) => setFilter({ camera: e.target.value || undefined })}>
              <option value="">All</option>
              {cameras.data?.cameras.map((cam) => (
                <option key={cam.id} value={cam.id}>
                  {cam.name}
                </option>
              ))}
              {filter.camera && !cameras.data?.cameras.some((cam) => cam.id === filter.camera) && <option value={filter.camera}>{filter.camera}</option>}
            </select>
          )}
        </Field>
      </form>
      <ErrorText error={loaded.error} />
      {loaded.data && (
        <p className="muted" aria-live="polite">
          {alerts.length} {alerts.length === 1 ? "alert" : "alerts"}, {open} not acknowledged
        </p>
      )}
      <ul className="alert-list" aria-label="Alerts">
        {alerts.map((a) => (
          <li key={a.id} className={a.acknowledged ? "alert acknowledged" : "alert"}>
            <div className="row">
              <StatusBadge value={a.severity} />
              <strong>{describeType(a.type)}</strong>
              {a.camera && <a href={href(`/live/${encodeURIComponent(a.camera)}`)}>{a.camera}</a>}
              <time dateTime={a.timestamp} className="muted">
                {formatTime(a.timestamp)}
              </time>
            </div>
            <p>{a.message}</p>
            <div className="row">
              {a.acknowledged ? (
                <span className="muted">Acknowledged{a.acknowledged_at ? ` ${formatTime(a.acknowledged_at)}` : ""}</span>
              ) : (
                <span className="badge warning">New</span>
              )}
              {canAck && !a.acknowledged && (
                <button type="button" onClick={() => void acknowledge(a)}>
                  Acknowledge
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {loaded.data && alerts.length === 0 && <p className="muted">No alerts{key ? " match the filter" : ""}.</p>}
    </section>
  );
}
