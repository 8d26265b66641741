// When a live view stops waiting for WebRTC and plays LL-HLS instead. WhepPlayer retries by
// itself; a retry before the first frame (the POST failed or answered 404/5xx, the connection
// failed, no frame within the first-frame timeout) means WebRTC does not work from here, so the
// view falls back at once. Once it has played, a blip (server restart, network change) gets a
// few of WhepPlayer's own reconnects first.
import type { WhepStatus } from "@player/whep.js";

/** Reconnects allowed after WebRTC has played, before falling back. */
export const RETRIES_AFTER_PLAYING = 3;

/** First-frame timeout given to WhepPlayer: "no frame within a few seconds". */
export const FIRST_FRAME_TIMEOUT_MS = 5000;

export function whepGivesUp(status: Pick<WhepStatus, "state" | "attempt">, played: boolean): boolean {
  if (status.state === "error" || status.state === "unauthorized") return true;
  if (status.state !== "retrying") return false;
  return !played || status.attempt >= RETRIES_AFTER_PLAYING;
}
