import { useEffect, useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { useAction } from "../app/useAction";
import { formatElapsed } from "../lib/format";
import { ErrorText } from "./ErrorText";

// An on-demand recording session of the camera: running or not, and since when (null: running,
// start unknown). Continuous recording is another thing (Camera.record) and is not shown here.
type Session = { running: boolean; since: number | null };

/** Start/stop an on-demand recording, with a running indicator (a red dot and the elapsed time).
 * The state comes from the camera, the list of its recordings (for the start time of a session
 * begun elsewhere) and recording_status_update notifications that carry a session_id. */
export function RecordControl({ camera }: { camera: Schemas["Camera"] }) {
  const { api, rpc } = useApp();
  const action = useAction();
  const [session, setSession] = useState<Session>({ running: camera.is_recording && camera.record !== "continuous", since: null });
  const now = useClock(session.running);

  useEffect(() => {
    let gone = false;
    // A session's file is unfinished until it stops; among the newest recordings, that is the one.
    api.get("/recordings", { query: { camera: camera.id, limit: 20 } }).then(
      ({ recordings }) => {
        const open = recordings.find((r) => r.kind === "session" && r.complete === false);
        if (!gone && open) setSession({ running: true, since: open.start_ms ?? Date.parse(open.start_time) });
      },
      () => {}, // the indicator then shows no time; the button still works
    );
    const off = rpc.on("recording_status", "recording_status_update", (p) => {
      if (p["device"] !== camera.id || !p["session_id"]) return;
      if (p["status"] === "STARTED") setSession((s) => (s.running ? s : { running: true, since: Date.now() }));
      if (p["status"] === "STOPPED") setSession({ running: false, since: null });
    });
    return () => {
      gone = true;
      off();
    };
  }, [api, rpc, camera.id]);

  const start = () =>
    action.run(async () => {
      const r = await api.post("/cameras/{id}/recording/start", { path: { id: camera.id }, body: { format: "mp4" } });
      setSession({ running: true, since: Date.parse(r.start_time) });
    });
  const stop = () =>
    action.run(async () => {
      await api.post("/cameras/{id}/recording/stop", { path: { id: camera.id } });
      setSession({ running: false, since: null });
    });

  return (
    <>
      {session.running ? (
        <button type="button" className="danger" onClick={() => void stop()} disabled={action.busy}>
          Stop recording
        </button>
      ) : (
        <button type="button" onClick={() => void start()} disabled={action.busy}>
          {action.busy ? "Starting…" : "Start recording"}
        </button>
      )}
      {session.running && (
        <span className="rec-indicator" role="status">
          <span className="rec-dot" aria-hidden="true" />
          Recording
          {session.since !== null && <time aria-label="Elapsed">{formatElapsed(now - session.since)}</time>}
        </span>
      )}
      <ErrorText error={action.error} />
    </>
  );
}

/** Date.now(), re-rendering every second while `running`. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
