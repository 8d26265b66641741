// Packet loss on the way to the browser: with 5 % and then 10 % of the server's RTP packets dropped
// for 10 s, Chromium NACKs the gaps, the server sends every one again from the viewer's history,
// and the picture stays intact: no freeze in the browser's stats, at least 20 frames decoded in
// every second, nothing left lost. A control with NACK taken out of the offer shows the same loss freezing the
// picture, so the test can fail.
//
// Each packet is dropped at most once: its first transmission may be lost, its retransmission
// passes. The RTP header is in clear under SRTP, and the server resends without RTX, with the
// header it first sent (kept in its history), so the rules recognise a resend by that header (the
// first 12 bytes of the UDP payload) in a set they fill as they drop; a resend let through for
// every drop shows the resent headers are byte-identical. Were resends dropped too, each would
// cost Chromium its retry interval (a receive-only Chromium offers no `rrtr`, so it has no RTT and
// assumes 100 ms) and the picture stood still for 200-400 ms a few times per 10 s at these rates.
//
// The loss is nftables in this file's own network namespace (netns.mjs; `tc netem` is not
// available here, LAB.md). Everything runs on lo, where both directions pass the input hook: the
// rules take only datagrams from the server's WebRTC port whose first byte says RTP version 2 and
// whose second is not an RTCP packet type (RFC 5761 §4), so STUN, DTLS and the server's reports
// arrive and only media is lost. The server sends a frame's packets as one UDP GSO train, which lo
// would carry through the input hook as one buffer, so a drop would take a whole frame (a burst,
// not the independent losses modelled here): with lo's UDP segmentation off, the kernel cuts each
// train into its packets before lo, as for a network card without that offload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { openPlayer, videoStats, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();
execFileSync('ethtool', ['-K', 'lo', 'tx-udp-segmentation', 'off']);

const kTimeout = 120000; // per test: a hang guard only
const kLossMs = 10000;
const kTable = 'ocellus_loss';

// Drops `percent` % of the RTP packets the server sends from `port`, each at most once: a dropped
// packet's fixed RTP header (12 bytes: marker, payload type, sequence number, timestamp, SSRC)
// goes into a set, and a packet with a header found there passes: the server's retransmission,
// if it is the same packet again. Named counters count both and outlive stopDropping().
function dropRtp(port, percent) {
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${kTable} {
      counter dropped {}
      counter resent {}
      set headers { typeof @th,64,96; flags dynamic; }
      chain input {
        type filter hook input priority filter; policy accept;
        udp sport ${port} @th,64,8 & 0xc0 == 0x80 @th,72,8 != 192-223 jump media
      }
      chain media {
        @th,64,96 @headers counter name resent accept
        jump loss
      }
      chain loss {
        numgen random mod 100 < ${percent} add @headers { @th,64,96 } counter name dropped drop
      }
    }`,
  });
}

// Ends the loss; resends of what was dropped still pass and are counted.
function stopDropping() {
  execFileSync('nft', ['flush', 'chain', 'inet', kTable, 'loss']);
}

// Removes the rules; returns how many packets they dropped and how many resends of those passed.
function removeRules() {
  const listed = JSON.parse(execFileSync('nft', ['-j', 'list', 'counters', 'table', 'inet', kTable],
                                         { encoding: 'utf8' }));
  execFileSync('nft', ['delete', 'table', 'inet', kTable]);
  const counted = (name) => listed.nftables.find((e) => e.counter?.name === name).counter.packets;
  return { dropped: counted('dropped'), resent: counted('resent') };
}

// The server's retransmission counters from /metrics.
async function nackMetrics(server, token) {
  const r = await fetch(server.http('/metrics'), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  const text = await r.text();
  const value = (name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { nacked: value('ocellus_webrtc_nacked_packets_total'),
           retransmitted: value('ocellus_webrtc_retransmitted_packets_total') };
}

// The browser's offer without `a=rtcp-fb:<pt> nack` (PLI stays): the server then answers no NACK
// and the browser asks for none.
async function offerWithoutNack(page) {
  await page.addInitScript(() => {
    const createOffer = RTCPeerConnection.prototype.createOffer;
    RTCPeerConnection.prototype.createOffer = async function (...args) {
      const offer = await createOffer.apply(this, args);
      return { type: offer.type, sdp: offer.sdp.replace(/^a=rtcp-fb:\d+ nack\r\n/gm, '') };
    };
  });
}

describe('packet loss', () => {
  let server;
  let browser;
  let token;

  serverAndBrowser({}, async (made) => {
    ({ server, browser } = made);
    token = await server.login();
  }, { withPage: false });

  // Plays the demo, drops `percent` % of its RTP for kLossMs, then lets the last gaps heal.
  // Returns what changed meanwhile: browser stats, frames decoded per second, server counters,
  // the packets nftables dropped and let through again, and whether the page gave up on its connection and made another
  // (then the browser's figures are not comparable).
  async function playThroughLoss(t, percent, { nack = true } = {}) {
    const page = await browser.newPage();
    try {
      return await withDiagnostics(t, { server, browser, page }, async () => {
        if (!nack) await offerWithoutNack(page);
        await openPlayer(page, server);
        await waitForFrames(page, 60); // past the GOP cache's burst at the start
        const before = await videoStats(page);
        // Marks this connection: the page replaces it when the picture stalls (stallTimeoutMs).
        await page.evaluate(() => { window.ocellusPlayer.pc.lossTest = true; });
        const serverBefore = await nackMetrics(server, token);
        const perSecond = [];
        dropRtp(server.webrtcPort, percent);
        let counted;
        try {
          let last = before.framesDecoded;
          for (let s = 0; s < kLossMs / 1000; s++) {
            await new Promise((r) => setTimeout(r, 1000));
            const framesDecoded = (await videoStats(page))?.framesDecoded ?? 0; // 0 while reconnecting
            perSecond.push(framesDecoded - last);
            last = framesDecoded;
          }
          stopDropping();
          // The last NACKs' answers (or the last keyframe request's) need a moment once loss stops.
          await new Promise((r) => setTimeout(r, 1000));
        } finally {
          counted = removeRules();
        }
        const reconnected = await page.evaluate(() => !window.ocellusPlayer.pc?.lossTest);
        const after = reconnected ? null : await videoStats(page);
        const serverAfter = await nackMetrics(server, token);
        const delta = (key) => (after ? after[key] - before[key] : null);
        const result = {
          ...counted, perSecond, reconnected,
          frames: delta('framesDecoded'), nacks: delta('nackCount'), lost: delta('packetsLost'),
          freezes: delta('freezeCount'), freezeMs: after && Math.round(delta('totalFreezesDuration') * 1000),
          plis: delta('pliCount'), received: delta('packetsReceived'),
          nacked: serverAfter.nacked - serverBefore.nacked,
          retransmitted: serverAfter.retransmitted - serverBefore.retransmitted,
        };
        t.diagnostic(`${percent} % RTP dropped for ${kLossMs / 1000} s, NACK ${nack ? 'on' : 'off'}: ` +
                     JSON.stringify(result));
        return result;
      });
    } finally {
      await page.close();
    }
  }

  for (const percent of [5, 10]) {
    test(`${percent} % of the RTP dropped once: every packet sent again, no freeze, nothing lost`, { timeout: kTimeout },
         async (t) => {
           const r = await playThroughLoss(t, percent);
           assert.ok(r.dropped > 10, `only ${r.dropped} packets dropped: the rule did not take the media`);
           assert.equal(r.reconnected, false, 'the picture stalled until the page reconnected');
           assert.ok(r.nacks > 0, 'the browser sent no NACK');
           assert.ok(r.retransmitted >= r.dropped, `${r.retransmitted} packets retransmitted for ${r.dropped} dropped`);
           assert.ok(r.resent >= r.dropped, `${r.resent} retransmissions came through for ${r.dropped} packets dropped`);
           assert.ok(r.perSecond.every((n) => n >= 20), `frames decoded per second: ${r.perSecond}`);
           assert.equal(r.freezes, 0, `${r.freezes} freezes for ${r.freezeMs} ms`);
           assert.equal(r.freezeMs, 0);
           assert.equal(r.lost, 0, `${r.lost} packets still lost of ${r.dropped} dropped`);
         });
  }

  test('control: the same loss without NACK freezes the picture', { timeout: kTimeout }, async (t) => {
    const r = await playThroughLoss(t, 5, { nack: false });
    assert.ok(r.dropped > 10, `only ${r.dropped} packets dropped: the rule did not take the media`);
    assert.equal(r.nacked, 0, 'the server was asked for retransmissions');
    // A picture stalled so long that the page made a new connection is the harm itself.
    if (r.reconnected) return;
    assert.equal(r.nacks, 0, 'the browser sent NACKs although the offer had none');
    assert.ok(r.lost >= r.dropped * 0.5, `only ${r.lost} packets lost of ${r.dropped} dropped`);
    // The NACK cases allow no freeze: this loss must make some.
    assert.ok(r.freezes > 0,
              `no freeze, ${r.frames} frames decoded: the loss did no visible harm, so the NACK cases prove nothing`);
  });
});
