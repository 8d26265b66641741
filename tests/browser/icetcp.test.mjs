// ICE-TCP (webrtc.ice_tcp, RFC 6544) with a real browser: an nftables rule in the test's own
// loopback namespace drops every UDP packet to or from the server's WebRTC port, as a network
// that blocks UDP would. Chromium then plays the demo over its TCP candidate (getStats: the
// selected pair's local candidate is TCP, frames keep being decoded); with ice_tcp off the same
// page cannot connect at all (the control).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { Browser } from './lib/browser.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { openPlayer, videoStats, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { Server } from './lib/server.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

// Drops UDP to and from `port` on the namespace's loopback (its own table: removed by the
// namespace's end, and by after()).
function blockUdp(port) {
  const table = `ocellus_block_udp_${port}`;
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${table} {\n  chain input {\n    type filter hook input priority 0; policy accept;\n` +
           `    udp dport ${port} drop\n    udp sport ${port} drop\n  }\n}\n`,
  });
  return () => execFileSync('nft', ['delete', 'table', 'inet', table]);
}

// The page's selected ICE candidate pair, read from getStats: {state, local: {protocol, candidateType}, bytesReceived}.
async function selectedPair(page) {
  return page.evaluate(async () => {
    const pc = window.ocellusPlayer?.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    let pair = null;
    report.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
    });
    if (!pair) return null;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    return { state: pair.state, bytesReceived: pair.bytesReceived,
             local: { protocol: local?.protocol, candidateType: local?.candidateType },
             remote: { protocol: remote?.protocol, port: remote?.port } };
  });
}

describe('ICE-TCP when UDP is blocked', () => {
  let browser;
  after(async () => browser?.close());

  // A server whose WebRTC UDP port is blocked, for the length of fn(server, page); one at a time
  // (the servers share the default SRT port).
  async function withBlockedServer(t, config, fn) {
    const server = await Server.create(config);
    let unblock = null;
    try {
      await server.start();
      unblock = blockUdp(server.webrtcPort);
      browser ??= await Browser.launch();
      const page = await browser.newPage();
      await withDiagnostics(t, { server, browser, page }, () => fn(server, page));
      await page.close();
    } finally {
      unblock?.();
      await server.dispose();
    }
  }

  test('Chromium plays the demo over TCP', { timeout: kTimeout }, (t) => withBlockedServer(t, {}, async (server, page) => {
    await openPlayer(page, server);
    const first = await waitForFrames(page, 30);
    const pair = await selectedPair(page);
    t.diagnostic(`selected pair: ${JSON.stringify(pair)}`);
    assert.equal(pair.local.protocol, 'tcp');
    assert.equal(pair.remote.protocol, 'tcp');
    assert.equal(pair.remote.port, server.webrtcPort);
    // Still decoding later: media flows over the connection, not only the handshake.
    const later = await waitForFrames(page, first.framesDecoded + 20);
    t.diagnostic(`frames decoded: ${first.framesDecoded} then ${later.framesDecoded}`);
    assert.equal(later.mimeType, 'video/H264');
    assert.match(server.logTail(200000), /selected tcp 127\.0\.0\.1:\d+/);
  }));

  test('with ice_tcp off the same page cannot connect (the control)', { timeout: kTimeout },
       (t) => withBlockedServer(t, { webrtc: { ice_tcp: false } }, async (server, page) => {
         await openPlayer(page, server);
         // Long enough for a connection over TCP (the test above: well under a second) many times over.
         const until = Date.now() + 10000;
         let answered = false;
         while (Date.now() < until) {
           const stats = await videoStats(page);
           assert.ok(!stats || stats.framesDecoded === 0, 'frames decoded with UDP blocked and no ICE-TCP');
           const pair = await selectedPair(page);
           assert.ok(!pair || pair.state !== 'succeeded', `a pair succeeded: ${JSON.stringify(pair)}`);
           // The offer was answered: what fails is the media path, not signalling.
           answered ||= await page.evaluate(() => window.ocellusPlayer?.pc?.remoteDescription?.type === 'answer');
           await new Promise((r) => setTimeout(r, 250));
         }
         assert.ok(answered, 'the WHEP offer was never answered');
         const states = await page.evaluate(() => window.statusLog.map((s) => s.state));
         t.diagnostic(`player states: ${states.join(', ')}`);
       }));
});
