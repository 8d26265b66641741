// A WHIP publisher (RFC 9725) in a Chromium tab: the browser's fake camera and microphone
// (Browser.launch({args: FAKE_MEDIA_FLAGS})) sent to POST /{path}/whip, for the tests that feed
// ocellus from a real browser. Not the player page's WhepPlayer: that one is a viewer that
// retries and watches decoded frames; a publisher here makes one attempt and the test looks.
//
// The tab is a blank page the browser answers itself on the server's origin (page.route), so it
// is a secure context (getUserMedia) and its requests are same-origin.

const kPagePath = '/__whip__/';

/**
 * Runs in the page (page.evaluate; it uses nothing from outside its body): getUserMedia, one
 * sendonly transceiver per track, H.264 Constrained Baseline with packetization-mode 1 first in
 * the video codec preferences (readable by every client: LAB.md) — or, with videoCodec (a
 * mimeType such as 'video/AV1'), that codec alone —, the offer POSTed, the 201's answer applied.
 * Leaves window.whip = {pc, sessionUrl, status, answer, settings, errors}.
 */
async function publishInPage({ url, token, audio, videoCodec }) {
  const whip = window.whip = { pc: null, sessionUrl: null, status: null, answer: null, settings: null, errors: [] };
  const media = await navigator.mediaDevices.getUserMedia({ video: true, audio });
  const pc = whip.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of media.getTracks()) {
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
    if (track.kind !== 'video') continue;
    const rank = (c) => (c.mimeType !== 'video/H264' ? 2
      : /profile-level-id=42e01f/.test(c.sdpFmtpLine) && /packetization-mode=1/.test(c.sdpFmtpLine) ? 0 : 1);
    const codecs = RTCRtpSender.getCapabilities('video').codecs;
    const only = codecs.filter((c) => c.mimeType === videoCodec);
    if (videoCodec && !only.length) throw new Error(`this Chromium cannot send ${videoCodec}`);
    transceiver.setCodecPreferences(videoCodec ? only : [...codecs].sort((a, b) => rank(a) - rank(b)));
    // The size readers see is the camera's: the encoder must not scale down when the machine is busy.
    const parameters = transceiver.sender.getParameters();
    parameters.degradationPreference = 'maintain-resolution';
    await transceiver.sender.setParameters(parameters);
    whip.settings = track.getSettings();
  }
  pc.addEventListener('connectionstatechange', () => {
    if (pc.connectionState === 'failed') whip.errors.push('connection failed');
  });
  await pc.setLocalDescription(await pc.createOffer());
  // No waiting for ICE gathering: ocellus is ICE-lite and learns our address from our checks.
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: pc.localDescription.sdp,
  });
  whip.status = response.status;
  whip.answer = await response.text();
  if (response.status !== 201) {
    whip.errors.push(`POST answered ${response.status}: ${whip.answer}`);
    return;
  }
  whip.sessionUrl = new URL(response.headers.get('Location'), url).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: whip.answer });
}

/**
 * A new tab publishing to /{stream}/whip with `token` (a JWT or API token; none: anonymous).
 * Returns the page once the POST is answered and the answer applied (window.whip, see above);
 * throws when getUserMedia or the browser fails (a refused POST is left in whip.errors).
 */
export async function openWhipPublisher(browser, server, stream, { token = null, audio = true, videoCodec = null } = {}) {
  const page = await browser.newPage();
  await page.route(server.http(`${kPagePath}**`), (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><html><head><meta charset="utf-8"><title>WHIP publisher</title></head><body></body></html>',
  }));
  await page.goto(server.http(kPagePath));
  await page.evaluate(publishInPage, { url: server.http(`/${stream}/whip`), token, audio, videoCodec });
  return page;
}

/**
 * The publisher's own view: {connectionState, transportState, errors, status, sessionUrl,
 * settings, video, audio} where video/audio are its outbound-rtp ({packetsSent, mimeType, fmtp,
 * frameWidth, frameHeight, framesEncoded, keyFramesEncoded, pliCount, qualityLimitationReason})
 * or null.
 */
export async function publisherStats(page) {
  return page.evaluate(async () => {
    const { pc, errors, status, sessionUrl, settings } = window.whip;
    const report = await pc.getStats();
    const out = { connectionState: pc.connectionState, errors, status, sessionUrl, settings, video: null, audio: null,
                  transportState: pc.getSenders()[0]?.transport?.state ?? null };
    report.forEach((s) => {
      if (s.type !== 'outbound-rtp') return;
      const codec = s.codecId ? report.get(s.codecId) : null;
      out[s.kind] = { packetsSent: s.packetsSent ?? 0, mimeType: codec?.mimeType ?? null, fmtp: codec?.sdpFmtpLine ?? null,
                      frameWidth: s.frameWidth, frameHeight: s.frameHeight, framesEncoded: s.framesEncoded,
                      keyFramesEncoded: s.keyFramesEncoded, pliCount: s.pliCount,
                      qualityLimitationReason: s.qualityLimitationReason };
    });
    return out;
  });
}

/** Ends the publication as a WHIP client does: DELETE of the 201's Location; returns the status. */
export async function endWhipSession(page, { token = null } = {}) {
  return page.evaluate(async (token) => {
    const r = await fetch(window.whip.sessionUrl, { method: 'DELETE', headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return r.status;
  }, token);
}
