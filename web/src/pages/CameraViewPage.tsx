import { useEffect, useRef, useState, type RefObject } from "react";
import { useApp } from "../app/context";
import { useAsync } from "../app/useAsync";
import { useCameraStatus } from "../app/useCameraStatus";
import { useLiveStream } from "../app/useLiveStream";
import { CameraControls } from "../components/CameraControls";
import { ErrorText } from "../components/ErrorText";
import { StatsPanel } from "../components/StatsPanel";
import { StatusBadge } from "../components/StatusBadge";
import { StreamNotice } from "../components/StreamNotice";
import { TransportBadge } from "../components/TransportBadge";
import { href } from "../router";

/** One camera, big: its live video (WebRTC, else HLS), status, statistics, full screen, controls. */
export function CameraViewPage({ camera: id = "" }: Record<string, string>) {
  const { api } = useApp();
  const camera = useAsync(() => api.get("/cameras/{id}", { path: { id } }), [api, id]);
  const updates = useCameraStatus();
  const stage = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const status = updates[id] ?? camera.data?.stream_status ?? "connecting";
  const { state, stats } = useLiveStream(video, id, status === "online" && camera.data !== undefined);
  const fullscreen = useFullscreen(stage);

  if (camera.error && !camera.data) {
    return (
      <section>
        <p>
          <a href={href("/live")}>← Live</a>
        </p>
        <ErrorText error={camera.error} />
      </section>
    );
  }
  return (
    <section className="camera-view" data-camera={id} data-transport={state.transport}>
      <div className="camera-view-head">
        <a href={href("/live")}>← Live</a>
        <h1>{camera.data?.name ?? id}</h1>
        <StatusBadge value={status} />
        <TransportBadge transport={state.transport} />
      </div>
      <div className="camera-view-body">
        <div ref={stage} className="stage">
          <video ref={video} muted playsInline autoPlay aria-label={`${camera.data?.name ?? id} live video`} />
          <StreamNotice status={status} state={state} />
          {/* Inside the stage: the only part on screen in full screen. */}
          <button type="button" className="stage-fullscreen" onClick={fullscreen.toggle} disabled={!fullscreen.supported}>
            {fullscreen.active ? "Exit full screen" : "Full screen"}
          </button>
        </div>
        <div className="stack">
          <StatsPanel stats={stats} />
          {camera.data && <CameraControls camera={camera.data} />}
        </div>
      </div>
    </section>
  );
}

/** The Fullscreen API on `element`: whether it is full screen now, and a toggle. */
function useFullscreen(element: RefObject<HTMLElement | null>) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const onChange = () => setActive(document.fullscreenElement !== null && document.fullscreenElement === element.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [element]);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void element.current?.requestFullscreen().catch(() => {});
  };
  return { active, toggle, supported: document.fullscreenEnabled };
}
