// Captures WHEP- and WHIP-style offers from headless Chromium (tests/data/webrtc/sdp/README.md).
// Usage: npm install playwright-core (in a scratch folder), then
//   NODE_PATH=<scratch>/node_modules node chromium_offers.js <output dir>
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

// Resolves once ICE gathering is complete (or after a few seconds), then returns the local SDP.
const gathered = `pc => new Promise(resolve => {
  const done = () => resolve(pc.localDescription.sdp);
  if (pc.iceGatheringState === 'complete') return done();
  pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') done(); };
  setTimeout(done, 3000);
})`;

const scenarios = {
  // WHEP: receive video and audio.
  whep: `async () => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    return { trickle: offer.sdp, gathered: await (${gathered})(pc) };
  }`,
  // WHIP: send the fake camera and microphone.
  whip: `async () => {
    const pc = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    return { trickle: offer.sdp, gathered: await (${gathered})(pc) };
  }`,
  // WHEP with a data channel: an m=application section the server rejects.
  whep_datachannel: `async () => {
    const pc = new RTCPeerConnection();
    pc.createDataChannel('events');
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    return { trickle: (await pc.createOffer()).sdp };
  }`,
};

(async () => {
  const out = process.argv[2] || '.';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  const major = browser.version().split('.')[0];
  const page = await browser.newPage();
  // getUserMedia needs a secure context: http://localhost is one; serve a blank page there.
  await page.route('http://localhost/**', route => route.fulfill({ contentType: 'text/html', body: '<html></html>' }));
  await page.goto('http://localhost/');
  for (const [name, script] of Object.entries(scenarios)) {
    const sdp = await page.evaluate(`(${script})()`);
    fs.writeFileSync(path.join(out, `chromium${major}_${name}_offer.sdp`), sdp.gathered || sdp.trickle);
    if (sdp.gathered) fs.writeFileSync(path.join(out, `chromium${major}_${name}_offer_trickle.sdp`), sdp.trickle);
  }
  await browser.close();
})();
