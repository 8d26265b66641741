import { useRef, useState, type DragEvent } from "react";
import type { Schemas } from "../api/client";
import { useInView } from "../app/useInView";
import { useLiveStream } from "../app/useLiveStream";
import { href } from "../router";
import { StatusBadge } from "./StatusBadge";
import { StreamNotice } from "./StreamNotice";
import { TransportBadge } from "./TransportBadge";

// What a drag carries: the id of the camera whose tile is dragged.
const kDragType = "application/x-ocellus-camera";

type Props = {
  camera: Schemas["Camera"];
  status: Schemas["StreamStatus"];
  /** Place in the whole grid (all pages) and how many tiles there are, for the move buttons. */
  index: number;
  count: number;
  /** Moves this tile by `delta` places (keyboard and touch: the Earlier/Later buttons). */
  onMove: (delta: number) => void;
  /** Another tile (its camera id) was dropped on this one. */
  onDropCamera: (camera: string) => void;
};

/** One camera in the live grid: streams while on screen and online, says over what. */
export function CameraTile({ camera, status, index, count, onMove, onDropCamera }: Props) {
  const tile = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const inView = useInView(tile);
  const { state } = useLiveStream(video, camera.id, inView && status === "online");
  const [dropTarget, setDropTarget] = useState(false);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(kDragType)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    setDropTarget(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDropTarget(false);
    const dragged = e.dataTransfer.getData(kDragType);
    if (dragged && dragged !== camera.id) onDropCamera(dragged);
  };

  return (
    <article
      ref={tile}
      className={dropTarget ? "tile drop-target" : "tile"}
      data-camera={camera.id}
      data-transport={state.transport}
      aria-label={camera.name}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(kDragType, camera.id);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDragOver={onDragOver}
      onDragLeave={() => setDropTarget(false)}
      onDrop={onDrop}
    >
      <div className="tile-video">
        <video ref={video} muted playsInline autoPlay aria-label={`${camera.name} live video`} />
        <StreamNotice status={status} state={state} />
      </div>
      <div className="tile-bar">
        <h2>
          <a href={href(`/live/${encodeURIComponent(camera.id)}`)} title="Open the full view">
            {camera.name}
          </a>
        </h2>
        <StatusBadge value={status} />
        <TransportBadge transport={state.transport} />
        <span className="tile-move">
          <button type="button" className="icon" aria-label={`Move ${camera.name} earlier`} disabled={index === 0} onClick={() => onMove(-1)}>
            ←
          </button>
          <button type="button" className="icon" aria-label={`Move ${camera.name} later`} disabled={index === count - 1} onClick={() => onMove(1)}>
            →
          </button>
        </span>
      </div>
    </article>
  );
}
