import { useEffect, useRef, useState } from "react";
import { useApp } from "../app/context";
import { sameOrigin } from "../lib/download";
import { isoTime } from "../lib/format";
import { mediaTimeOf, wallTimeOf, type Fragment } from "../lib/vod";
import { ErrorText } from "./ErrorText";

/** What to play: the period [from, to) a playlist is made of, and where in it to be (`start`,
 * wall time). A new `seq` with the same period seeks without loading the playlist again. */
export type PlaybackSource = { from: number; to: number; start: number; seq: number };

type Props = {
  camera: string;
  label: string;
  source: PlaybackSource | null;
  speed: number;
  /** The wall time being shown, as playback moves. */
  onPlayhead: (ms: number) => void;
};

/** Recorded video of one camera through hls.js (loaded only now, with a dynamic import) from the
 * signed VOD playlist URL, which carries its own signature: players send no header. */
export function RecordingPlayer({ camera, label, source, speed, onPlayhead }: Props) {
  const { api } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const fragments = useRef<Fragment[]>([]);
  const start = useRef<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  // Where the page wants to be, applied now or as soon as the playlist's fragments are known.
  const seek = () => {
    const v = video.current;
    const at = start.current === null ? null : mediaTimeOf(start.current, fragments.current);
    if (!v || at === null) return;
    start.current = null;
    v.currentTime = at;
    void v.play().catch(() => {}); // refused autoplay leaves the controls to the user
  };

  const from = source?.from;
  const to = source?.to;
  useEffect(() => {
    if (from === undefined || to === undefined) return;
    let gone = false;
    let destroy = () => {};
    fragments.current = [];
    setError(null);
    (async () => {
      const [signed, { default: Hls }] = await Promise.all([
        api.get("/recordings/playlist/{cameraId}", { path: { cameraId: camera }, query: { from: isoTime(from), to: isoTime(to), signed: "1" } }),
        import("hls.js/light"),
      ]);
      const v = video.current;
      if (gone || !v) return;
      if (!Hls.isSupported()) throw new Error("This browser cannot play HLS video (no Media Source Extensions).");
      const hls = new Hls({ maxBufferLength: 30 });
      destroy = () => hls.destroy();
      hls.on(Hls.Events.LEVEL_LOADED, (_, data) => {
        fragments.current = data.details.fragments.map((f) => ({ start: f.start, duration: f.duration, programDateTime: f.programDateTime }));
        seek();
      });
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (!data.fatal) return;
        setError(new Error(`Playback failed (${data.details})`));
        destroy();
        destroy = () => {};
      });
      hls.loadSource(sameOrigin(signed.url));
      hls.attachMedia(v);
    })().catch((e: unknown) => !gone && setError(e));
    return () => {
      gone = true;
      destroy();
    };
  }, [api, camera, from, to]);

  const seq = source?.seq;
  useEffect(() => {
    if (source === null) return;
    start.current = source.start;
    seek();
    // `seq` alone says when the page asked again (the rest of `source` comes with it).
  }, [seq]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.defaultPlaybackRate = speed;
    v.playbackRate = speed;
  }, [speed]);

  const onTimeUpdate = () => {
    const ms = video.current && wallTimeOf(video.current.currentTime, fragments.current);
    if (ms !== null && ms !== undefined) onPlayhead(ms);
  };

  return (
    <div className="recording-player">
      <video ref={video} aria-label={label} controls muted playsInline onTimeUpdate={onTimeUpdate} />
      {!source && <p className="player-hint muted">Click the timeline to play from that moment, or drag to select a period.</p>}
      <ErrorText error={error} />
    </div>
  );
}
