// WhepPlayer: plays a stream over WebRTC-HTTP Egress (WHEP, draft-ietf-wish-whep) into a
// <video>, and keeps it playing.
//
//   import { WhepPlayer } from './whep.js';
//   const player = new WhepPlayer();
//   player.addEventListener('status', (e) => console.log(e.detail.state, e.detail.message));
//   player.play(videoElement, '/demo/whep', { token });   // token: a JWT or API token, optional
//   ...
//   player.stop();                                         // DELETEs the session
//
// One session at a time: POST the offer (recvonly video, and audio unless {audio: false}),
// apply the 201's answer, PATCH our ICE candidates to the Location as they come (RFC 8840
// trickle; Ocellus is ICE-lite and learns our address from our checks, so this is a courtesy),
// DELETE the Location on stop() and when the page goes away. STUN/TURN servers in the 201's
// `Link: <url>; rel="ice-server"` headers (RFC 9725 §4.6) are applied to the connection at once
// (best effort: gathering has begun) and used from the start by every later attempt; the
// `iceServers` option gives some before the first one.
//
// It retries by itself, with exponential backoff, when the POST fails (network, 404 while a
// camera reconnects, 429, 5xx), when the connection goes `failed` (or stays `disconnected`),
// when the server closes DTLS, and when no frame has been decoded for `stallTimeoutMs`. It does
// not retry on 401/403 (state `unauthorized`: give it a token with play() again) nor on an offer
// the server refuses (400/406, state `error`).
//
// Events (EventTarget): `status` {state, message, attempt, delayMs, status, code} where state is
// connecting | playing | retrying | unauthorized | error | stopped; `track` {track};
// `stats` {report, pc} once a second (the RTCStatsReport the watchdog read; stats.js digests it).

const kDefaults = {
  audio: true,
  iceServers: [], // RTCIceServer[]; the server's Link headers add theirs
  retryInitialMs: 500,
  retryMaxMs: 8000,
  stallTimeoutMs: 4000, // no new decoded frame for this long once playing: reconnect
  firstFrameTimeoutMs: 10000, // from the POST to the first decoded frame
  disconnectedGraceMs: 2500, // `disconnected` may heal by itself (ICE consent); `failed` does not
  requestTimeoutMs: 10000,
  statsIntervalMs: 1000,
};

/** A WHEP request that did not answer 201: HTTP status, the API error code and message. */
export class WhepError extends Error {
  constructor(status, code, message, retryAfterMs = null) {
    super(message);
    this.name = 'WhepError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

async function errorFrom(response) {
  let code = `HTTP_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = await response.json(); // {"success": false, "error": {"code", "message", ...}}
    if (body?.error?.code) code = body.error.code;
    if (body?.error?.message) message = body.error.message;
  } catch {
    // not the API's JSON error body (a proxy's page, say): keep the status line
  }
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new WhepError(response.status, code, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null);
}

/**
 * RTCIceServer[] from Link header values: `<turn:h:3478?transport=udp>; rel="ice-server";
 * username="u"; credential="p"; credential-type="password", <stun:h:3478>; rel="ice-server"`.
 */
export function iceServersFromLink(header) {
  const servers = [];
  const link = /<([^>]*)>((?:\s*;\s*[\w*-]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)/g;
  const param = /;\s*([\w*-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?/g;
  for (const [, url, rest] of (header ?? '').matchAll(link)) {
    const params = {};
    for (const [, name, value = ''] of rest.matchAll(param)) {
      params[name.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    }
    if (params.rel?.toLowerCase().split(/\s+/).includes('ice-server') && /^(stuns?|turns?):/i.test(url)) {
      const server = { urls: url };
      if (params.username !== undefined) server.username = params.username;
      if (params.credential !== undefined) server.credential = params.credential;
      servers.push(server);
    }
  }
  return servers;
}

export class WhepPlayer extends EventTarget {
  #options;
  #iceServers;
  #video = null;
  #url = null;
  #token = null;
  #pc = null;
  #session = null; // {url, pc, candidates, gathered, sentEnd, patching, ended} of the current attempt
  #generation = 0; // bumped by every connect/stop: callbacks of an older attempt do nothing
  #attempt = 0;
  #retryTimer = null;
  #watchdog = null;
  #disconnectedTimer = null;
  #state = 'idle';
  #onPageHide = () => this.#endSession(true);
  // Back from the back/forward cache: the session ended at `pagehide`, start another.
  #onPageShow = (event) => {
    if (event.persisted && this.#session?.ended && ['connecting', 'playing', 'retrying'].includes(this.#state)) {
      this.#teardown();
      this.#attempt = 0;
      this.#connect();
    }
  };

  /** options: any of kDefaults above. */
  constructor(options = {}) {
    super();
    this.#options = { ...kDefaults, ...options };
    this.#iceServers = [...this.#options.iceServers];
  }

  /** The STUN/TURN servers a new connection starts with (the option's, then the server's). */
  get iceServers() {
    return this.#iceServers;
  }

  /** The current attempt's RTCPeerConnection (null between attempts). */
  get pc() {
    return this.#pc;
  }

  /** connecting | playing | retrying | unauthorized | error | stopped | idle */
  get state() {
    return this.#state;
  }

  /** The session's URL (the 201's Location), once there is one. */
  get sessionUrl() {
    return this.#session?.url ?? null;
  }

  /**
   * Starts playing `whepUrl` into `video` (muted: browsers only autoplay muted media), ending any
   * earlier session first. {token} is sent as `Authorization: Bearer`.
   */
  play(video, whepUrl, { token = null } = {}) {
    this.#teardown();
    this.#video = video;
    this.#url = new URL(whepUrl, document.baseURI).href;
    this.#token = token;
    this.#attempt = 0;
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    addEventListener('pagehide', this.#onPageHide);
    addEventListener('pageshow', this.#onPageShow);
    this.#connect();
  }

  /** Ends the session (DELETE) and stops retrying. */
  stop() {
    removeEventListener('pagehide', this.#onPageHide);
    removeEventListener('pageshow', this.#onPageShow);
    this.#teardown();
    if (this.#video) this.#video.srcObject = null;
    this.#setState('stopped', 'stopped');
  }

  // --- one attempt ---------------------------------------------------------------------------

  async #connect() {
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation;
    this.#setState('connecting', this.#attempt ? `connecting (attempt ${this.#attempt + 1})` : 'connecting');

    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers: this.#iceServers });
    const session = { url: null, pc, candidates: [], gathered: false, sentEnd: false, patching: false, ended: false };
    this.#pc = pc;
    this.#session = session;
    pc.addTransceiver('video', { direction: 'recvonly' });
    if (this.#options.audio) pc.addTransceiver('audio', { direction: 'recvonly' });

    const media = new MediaStream();
    pc.addEventListener('track', (event) => {
      if (stale()) return;
      media.addTrack(event.track);
      const video = this.#video;
      if (video.srcObject !== media) video.srcObject = media;
      video.play().catch(() => {}); // a refused autoplay shows as `video.paused`; the page offers a button
      this.dispatchEvent(new CustomEvent('track', { detail: { track: event.track } }));
    });
    pc.addEventListener('icecandidate', (event) => {
      if (stale()) return;
      if (event.candidate && event.candidate.candidate) session.candidates.push(event.candidate);
      else session.gathered = true;
      this.#sendCandidates(session);
    });
    pc.addEventListener('connectionstatechange', () => {
      if (!stale()) this.#onConnectionState(generation, pc.connectionState);
    });

    let response;
    try {
      await pc.setLocalDescription(await pc.createOffer());
      // No waiting for ICE gathering: the server is ICE-lite, our candidates follow by PATCH.
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', ...this.#authHeaders() },
        body: pc.localDescription.sdp,
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
      });
      if (stale()) return this.#deleteLate(response);
      if (response.status !== 201) return this.#onRequestFailed(generation, await errorFrom(response));
    } catch (error) {
      if (stale()) return;
      const message = error?.name === 'TimeoutError' ? 'the server did not answer' : 'cannot reach the server';
      return this.#retry(generation, message, { status: 0, code: 'NETWORK' });
    }
    try {
      const location = response.headers.get('Location');
      if (location) session.url = new URL(location, this.#url).href;
      this.#learnIceServers(pc, iceServersFromLink(response.headers.get('Link')));
      const answer = await response.text();
      if (stale()) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (error) {
      if (stale()) return;
      return this.#retry(generation, `the browser refused the server's answer (${error?.message ?? error})`,
                         { status: 201, code: 'BAD_ANSWER' });
    }
    if (stale()) return;
    this.#sendCandidates(session);
    this.#watchTransport(generation, pc);
    this.#startWatchdog(generation, pc);
  }

  #onRequestFailed(generation, error) {
    if (generation !== this.#generation) return;
    const detail = { status: error.status, code: error.code };
    if (error.status === 401 || error.status === 403) {
      this.#teardown();
      return this.#setState('unauthorized', error.message, detail);
    }
    if (error.status === 404) {
      return this.#retry(generation, 'stream not found: waiting for it to be published', detail);
    }
    if (error.status === 400 || error.status === 406 || error.status === 415) {
      this.#teardown();
      return this.#setState('error', `the server cannot play this stream here: ${error.message}`, detail);
    }
    return this.#retry(generation, `the server answered ${error.status}: ${error.message}`, detail, error.retryAfterMs);
  }

  #onConnectionState(generation, state) {
    clearTimeout(this.#disconnectedTimer);
    if (state === 'failed') this.#retry(generation, 'the connection failed');
    else if (state === 'disconnected') {
      this.#disconnectedTimer = setTimeout(() => this.#retry(generation, 'the connection was lost'),
                                           this.#options.disconnectedGraceMs);
    }
  }

  #learnIceServers(pc, servers) {
    if (!servers.length) return;
    const key = (list) => JSON.stringify(list);
    const known = new Set(this.#iceServers.map(key));
    const fresh = servers.filter((server) => !known.has(key(server)));
    // TURN credentials may be per session: the server's latest list replaces its earlier one.
    this.#iceServers = [...this.#options.iceServers, ...servers];
    if (!fresh.length) return;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: this.#iceServers });
    } catch {
      // a browser that will not change servers mid-gathering: the next attempt starts with them
    }
  }

  // A DTLS close_notify from the server (session DELETEd elsewhere, server stopping) closes the
  // transport while connectionState may still read `connected`.
  #watchTransport(generation, pc) {
    const transport = pc.getTransceivers().find((t) => t.receiver.transport)?.receiver.transport;
    transport?.addEventListener('statechange', () => {
      if (transport.state === 'closed' || transport.state === 'failed') {
        this.#retry(generation, transport.state === 'closed' ? 'the server ended the session' : 'the connection failed');
      }
    });
  }

  // Once a second: read getStats, publish it, and reconnect when frames stop coming.
  #startWatchdog(generation, pc) {
    const started = performance.now();
    let progress = 0;
    let progressAt = started;
    let playing = false;
    const tick = async () => {
      let report;
      try {
        report = await pc.getStats();
      } catch {
        return; // closed meanwhile
      }
      if (generation !== this.#generation) return;
      this.dispatchEvent(new CustomEvent('stats', { detail: { report, pc } }));
      const now = performance.now();
      const value = WhepPlayer.progressOf(report);
      if (value > progress) {
        progress = value;
        progressAt = now;
      }
      if (!playing && progress > 0) {
        playing = true;
        this.#attempt = 0;
        this.#setState('playing', 'playing');
      }
      if (!playing && now - started > this.#options.firstFrameTimeoutMs) {
        this.#retry(generation, `no video after ${Math.round(this.#options.firstFrameTimeoutMs / 1000)} s`);
      } else if (playing && now - progressAt > this.#options.stallTimeoutMs) {
        this.#retry(generation, `no video for ${Math.round((now - progressAt) / 1000)} s`);
      }
    };
    this.#watchdog = setInterval(tick, this.#options.statsIntervalMs);
    tick();
  }

  /** Decoded video frames in a stats report (received audio packets for an audio-only session). */
  static progressOf(report) {
    let frames = null;
    let packets = 0;
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') frames = (frames ?? 0) + (s.framesDecoded ?? 0);
      else packets += s.packetsReceived ?? 0;
    });
    return frames ?? packets;
  }

  // --- retries and teardown ------------------------------------------------------------------

  #retry(generation, reason, detail = {}, atLeastMs = null) {
    if (generation !== this.#generation) return;
    this.#teardown();
    const base = Math.min(this.#options.retryMaxMs, this.#options.retryInitialMs * 2 ** this.#attempt);
    const delayMs = Math.round(Math.max(atLeastMs ?? 0, base * (0.8 + 0.4 * Math.random())));
    this.#attempt += 1;
    // Read before the event: a listener may stop() or play() again, which must cancel this retry.
    const next = this.#generation;
    this.#setState('retrying', `${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
                   { ...detail, delayMs, reason });
    this.#retryTimer = setTimeout(() => {
      if (next === this.#generation) this.#connect();
    }, delayMs);
  }

  // Ends the current attempt, if any: DELETE, close, timers off. Callbacks of it turn stale.
  #teardown() {
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#disconnectedTimer);
    clearInterval(this.#watchdog);
    this.#endSession(false);
    this.#pc = null;
  }

  #endSession(unloading) {
    const session = this.#session;
    if (!session || session.ended) return;
    session.ended = true;
    if (!unloading) this.#session = null;
    if (session.url) {
      // keepalive: the request outlives the page when this runs from `pagehide`.
      fetch(session.url, { method: 'DELETE', headers: this.#authHeaders(), keepalive: true }).catch(() => {});
    }
    session.pc.close();
  }

  // The answer to a POST whose attempt was given up meanwhile (stop(), play() again): end it.
  #deleteLate(response) {
    const location = response.headers.get('Location');
    if (response.status === 201 && location) {
      fetch(new URL(location, this.#url), { method: 'DELETE', headers: this.#authHeaders(), keepalive: true }).catch(() => {});
    }
  }

  // RFC 8840 fragment with what has been gathered so far; one PATCH in flight at a time.
  async #sendCandidates(session) {
    if (!session.url || session.patching || session.ended) return;
    const sdp = session.pc.localDescription?.sdp ?? '';
    const ufrag = /^a=ice-ufrag:(.*)$/m.exec(sdp)?.[1]?.trim();
    const pwd = /^a=ice-pwd:(.*)$/m.exec(sdp)?.[1]?.trim();
    const mid = session.pc.getTransceivers()[0]?.mid ?? '0';
    if (!ufrag || !pwd) return;
    const candidates = session.candidates.splice(0);
    const end = session.gathered && !session.sentEnd;
    if (!candidates.length && !end) return;
    let body = `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:${mid}\r\n`;
    for (const c of candidates) body += `a=${c.candidate}\r\n`;
    if (end) {
      body += 'a=end-of-candidates\r\n';
      session.sentEnd = true;
    }
    session.patching = true;
    try {
      await fetch(session.url, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', ...this.#authHeaders() },
        body,
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
      });
    } catch {
      // trickle is optional with an ICE-lite server
    }
    session.patching = false;
    if (session.candidates.length || (session.gathered && !session.sentEnd)) this.#sendCandidates(session);
  }

  #authHeaders() {
    return this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
  }

  #setState(state, message, detail = {}) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('status', { detail: { state, message, attempt: this.#attempt, ...detail } }));
  }
}
