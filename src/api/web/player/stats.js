// Live playback statistics from RTCPeerConnection.getStats() (W3C webrtc-stats), digested into
// one plain object, and a small overlay that shows it.
//
//   const sampler = new StatsSampler();
//   player.addEventListener('stats', (e) => overlay.update(sampler.add(e.detail.report, e.detail.pc)));
//
// Rates (fps, bit rate) are deltas between two consecutive reports, so feed it every report of
// one connection in order; a report of another RTCPeerConnection starts over.

/** Digests successive stats reports of one RTCPeerConnection. */
export class StatsSampler {
  #pc = null;
  #previous = null; // {timestamp, bytes, frames} of the last report
  latest = null;

  /** Adds a report; returns the digest (also kept in `latest`). */
  add(report, pc) {
    if (pc !== this.#pc) {
      this.#pc = pc;
      this.#previous = null;
    }
    const digest = summarize(report, pc, this.#previous);
    this.#previous = { timestamp: digest.timestamp, bytes: digest.bytesReceived, frames: digest.framesDecoded };
    this.latest = digest;
    return digest;
  }
}

/**
 * One report as {timestamp, state, iceState, codec, codecParameters, audioCodec, width, height,
 * resolution, fps, bitrateKbps, rttMs, packetsReceived, packetsLost, framesDecoded, framesDropped,
 * freezeCount, jitterMs, bytesReceived}; numbers the report does not have are null.
 */
export function summarize(report, pc, previous = null) {
  const byId = new Map();
  report.forEach((s) => byId.set(s.id, s));
  let video = null;
  let audio = null;
  let transport = null;
  const pairs = [];
  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  report.forEach((s) => {
    if (s.type === 'inbound-rtp') {
      if (s.kind === 'video' && !video) video = s;
      if (s.kind === 'audio' && !audio) audio = s;
      bytesReceived += s.bytesReceived ?? 0;
      packetsReceived += s.packetsReceived ?? 0;
      packetsLost += Math.max(0, s.packetsLost ?? 0);
    } else if (s.type === 'transport' && !transport) {
      transport = s;
    } else if (s.type === 'candidate-pair') {
      pairs.push(s);
    }
  });

  // The selected pair: the transport names it; else the nominated pair that succeeded.
  const pair = (transport?.selectedCandidatePairId && byId.get(transport.selectedCandidatePairId))
    || pairs.find((p) => p.nominated && p.state === 'succeeded') || null;
  const codecOf = (rtp) => (rtp?.codecId ? byId.get(rtp.codecId) : null);
  const videoCodec = codecOf(video);
  const audioCodec = codecOf(audio);

  const timestamp = video?.timestamp ?? audio?.timestamp ?? performance.timeOrigin + performance.now();
  const framesDecoded = video?.framesDecoded ?? null;
  const seconds = previous ? (timestamp - previous.timestamp) / 1000 : 0;
  let fps = video?.framesPerSecond ?? null;
  if (fps === null && seconds > 0 && framesDecoded !== null && previous.frames !== null) {
    fps = (framesDecoded - previous.frames) / seconds;
  }
  const bitrateKbps = seconds > 0 ? Math.max(0, (bytesReceived - previous.bytes) * 8 / 1000 / seconds) : null;
  const width = video?.frameWidth ?? null;
  const height = video?.frameHeight ?? null;
  return {
    timestamp,
    state: pc?.connectionState ?? null,
    iceState: pc?.iceConnectionState ?? null,
    codec: videoCodec ? videoCodec.mimeType.replace(/^video\//i, '') : null,
    codecParameters: videoCodec?.sdpFmtpLine ?? null,
    audioCodec: audioCodec ? audioCodec.mimeType.replace(/^audio\//i, '') : null,
    width,
    height,
    resolution: width && height ? `${width}x${height}` : null,
    fps,
    bitrateKbps,
    rttMs: typeof pair?.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null,
    packetsReceived,
    packetsLost,
    framesDecoded,
    framesDropped: video?.framesDropped ?? null,
    freezeCount: video?.freezeCount ?? null,
    jitterMs: typeof video?.jitter === 'number' ? video.jitter * 1000 : null,
    bytesReceived,
  };
}

const dash = '–';
const fixed = (value, digits = 0) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : dash);

/** The digest as a few short lines (fits 360 px in the overlay's font). */
export function formatStats(s) {
  if (!s) return '';
  const profile = /profile-level-id=([0-9a-f]{6})/i.exec(s.codecParameters ?? '')?.[1];
  const codec = s.codec ? `${s.codec}${profile ? ` ${profile}` : ''}` : dash;
  return [
    `${codec}${s.audioCodec ? ` + ${s.audioCodec}` : ''} · ${s.resolution ?? dash} · ${fixed(s.fps)} fps`,
    `${fixed(s.bitrateKbps)} kbit/s · RTT ${s.rttMs === null ? dash : `${fixed(s.rttMs, s.rttMs < 10 ? 1 : 0)} ms`}`,
    `lost ${s.packetsLost} of ${s.packetsReceived + s.packetsLost} · frames ${s.framesDecoded ?? dash}` +
      (s.framesDropped ? ` (${s.framesDropped} dropped)` : ''),
    `${s.state ?? dash}${s.iceState && s.iceState !== s.state ? ` (ICE ${s.iceState})` : ''}`,
  ].join('\n');
}

/** Shows digests in `element` (white-space: pre-line in player.css). */
export class StatsOverlay {
  constructor(element) {
    this.element = element;
  }

  update(digest) {
    this.element.textContent = formatStats(digest);
  }

  clear() {
    this.element.textContent = '';
  }
}
