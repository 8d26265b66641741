import { useEffect, useState, type RefObject } from "react";
import type { LiveStats } from "../lib/liveStats";
import { LiveStream, type StreamState } from "../lib/liveStream";
import { useApp } from "./context";

const idle: StreamState = { transport: "none", phase: "connecting", message: "" };

/** Plays `camera` live into the <video> of `video` while `active`; stops (and ends the WebRTC
 * session) when it turns false or the component goes. */
export function useLiveStream(video: RefObject<HTMLVideoElement | null>, camera: string, active: boolean) {
  const { api, session } = useApp();
  const [state, setState] = useState<StreamState>(idle);
  const [stats, setStats] = useState<LiveStats | null>(null);
  useEffect(() => {
    const element = video.current;
    if (!active || !element) return;
    const stream = new LiveStream(element, camera, { api, token: () => session.accessToken(), onState: setState, onStats: setStats });
    stream.start();
    return () => {
      stream.stop();
      setState(idle);
      setStats(null);
    };
  }, [video, camera, active, api, session]);
  return { state, stats };
}
