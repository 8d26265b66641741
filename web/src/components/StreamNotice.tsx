import type { Schemas } from "../api/client";
import type { StreamState } from "../lib/liveStream";

/** Over a live video until it plays: why there is no picture (camera offline, connecting, retrying…). */
export function StreamNotice({ status, state }: { status: Schemas["StreamStatus"]; state: StreamState }) {
  if (status === "online" && state.phase === "playing") return null;
  return <p className="stream-notice">{status === "online" ? state.message || "Waiting…" : `Camera ${status}`}</p>;
}
