import { TRANSPORT_LABEL, type Transport } from "../lib/liveStats";

/** Which transport a live view plays over: "WebRTC", "HLS", or nothing yet. */
export function TransportBadge({ transport }: { transport: Transport }) {
  if (transport === "none") return null;
  return (
    <span className="badge transport" title={`Playing over ${TRANSPORT_LABEL[transport]}`}>
      {TRANSPORT_LABEL[transport]}
    </span>
  );
}
