// Makes headless Chromium send ICE checks to lite_responder.py: a recvonly offer, then an
// ice-lite answer whose only candidate is 127.0.0.1:PORT with the given ufrag and pwd. The DTLS
// fingerprint is a dummy, so only ICE gets anywhere. Usage (playwright-core on NODE_PATH):
//   node chromium_checks.js PORT UFRAG PWD
const { chromium } = require('playwright-core');
const port = Number(process.argv[2]), ufrag = process.argv[3], pwd = process.argv[4];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--allow-loopback-in-peer-connection'] });
  const page = await browser.newPage();
  const result = await page.evaluate(async ({ port, ufrag, pwd }) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const mid = /a=mid:(\S+)/.exec(offer.sdp)[1];
    const pt = /m=video \d+ \S+ (\d+)/.exec(offer.sdp)[1];
    const rtpmap = new RegExp('a=rtpmap:' + pt + ' .*').exec(offer.sdp)[0];
    const answer = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE ' + mid, 'a=ice-lite',
      'm=video ' + port + ' UDP/TLS/RTP/SAVPF ' + pt, 'c=IN IP4 127.0.0.1', 'a=mid:' + mid, 'a=sendonly', 'a=rtcp-mux',
      'a=ice-ufrag:' + ufrag, 'a=ice-pwd:' + pwd,
      'a=fingerprint:sha-256 ' + Array(32).fill('AB').join(':'), 'a=setup:passive', rtpmap,
      'a=candidate:1 1 udp 2130706431 127.0.0.1 ' + port + ' typ host', 'a=end-of-candidates', ''].join('\r\n');
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await new Promise(r => setTimeout(r, 5000));
    return { offer: offer.sdp, ice: pc.iceConnectionState };
  }, { port, ufrag, pwd });
  require('fs').writeFileSync('offer.sdp', result.offer);
  console.log(await browser.version(), result.ice);
  await browser.close();
})();
