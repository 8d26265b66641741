// Packet loss on the way to the browser: with 5 % and then 10 % of the server's RTP packets dropped
// for 10 s, Chromium NACKs the gaps, the server sends every one again from the viewer's history,
// the picture keeps moving and nothing stays lost. A control with NACK taken out of the offer shows
// the same loss freezing the picture, so the test can fail.
//
// Not asserted: no freeze at all. Freezes of about 200-300 ms remain, seen here 0 to 2 per 10 s
// at 5 % and 0 to 5 (at most 1.4 s in all) at 10-12 %, against 8.6-10 s of freeze without NACK,
// while the server answered every NACK it got at once. Not explained yet; a suspect is a
// retransmission the rule dropped too, which Chromium asks for again only after its retry
// interval (a receive-only Chromium offers no `rrtr`, so it has no RTT and assumes 100 ms).
//
// The loss is an nftables rule in this file's own network namespace (netns.mjs; `tc netem` is not
// available here, LAB.md). Everything runs on lo, where both directions pass the input hook: the
// rule takes only datagrams from the server's WebRTC port whose first byte says RTP version 2 and
// whose second is not an RTCP packet type (RFC 5761 §4), so STUN, DTLS and the server's reports
// arrive and only media is lost, retransmissions included.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { openPlayer, videoStats, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only
const kLossMs = 10000;
// How long the picture may stand still in all while NACK repairs the loss (twice the worst seen);
// the control exceeds it by far.
const kMaxFreezeMs = 3000;
const kTable = 'ocellus_loss';

// Drops `percent` % of the RTP packets the server sends from `port`, counting them.
function dropRtp(port, percent) {
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${kTable} {
      chain input {
        type filter hook input priority filter; policy accept;
        udp sport ${port} @th,64,8 & 0xc0 == 0x80 @th,72,8 != 192-223 numgen random mod 100 < ${percent} counter drop
      }
    }`,
  });
}

// Removes the rule; returns how many packets it dropped.
function stopDropping() {
  const ruleset = JSON.parse(execFileSync('nft', ['-j', 'list', 'table', 'inet', kTable], { encoding: 'utf8' }));
  execFileSync('nft', ['delete', 'table', 'inet', kTable]);
  const rule = ruleset.nftables.find((e) => e.rule)?.rule;
  return rule.expr.find((e) => e.counter).counter.packets;
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
  // the packets nftables dropped and whether the page gave up on its connection and made another
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
        let dropped;
        try {
          let last = before.framesDecoded;
          for (let s = 0; s < kLossMs / 1000; s++) {
            await new Promise((r) => setTimeout(r, 1000));
            const framesDecoded = (await videoStats(page))?.framesDecoded ?? 0; // 0 while reconnecting
            perSecond.push(framesDecoded - last);
            last = framesDecoded;
          }
        } finally {
          dropped = stopDropping();
        }
        // The last NACKs' answers (or the last keyframe request's) need a moment once loss stops.
        await new Promise((r) => setTimeout(r, 1000));
        const reconnected = await page.evaluate(() => !window.ocellusPlayer.pc?.lossTest);
        const after = reconnected ? null : await videoStats(page);
        const serverAfter = await nackMetrics(server, token);
        const delta = (key) => (after ? after[key] - before[key] : null);
        const result = {
          dropped, perSecond, reconnected,
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
    test(`${percent} % of the RTP dropped: NACKs answered, the picture keeps moving, nothing stays lost`, { timeout: kTimeout },
         async (t) => {
           const r = await playThroughLoss(t, percent);
           assert.ok(r.dropped > 10, `only ${r.dropped} packets dropped: the rule did not take the media`);
           assert.equal(r.reconnected, false, 'the picture stalled until the page reconnected');
           assert.ok(r.nacks > 0, 'the browser sent no NACK');
           assert.ok(r.nacked > 0, 'the server counted no NACKed packet');
           // Every drop is asked for again; what the server sends again is dropped as often.
           assert.ok(r.retransmitted >= r.dropped * 0.5,
                     `${r.retransmitted} packets retransmitted for ${r.dropped} dropped`);
           assert.ok(r.perSecond.every((n) => n >= 20), `frames decoded per second: ${r.perSecond}`);
           assert.ok(r.freezeMs <= kMaxFreezeMs, `${r.freezes} freezes for ${r.freezeMs} ms of ${kLossMs} ms`);
           assert.ok(r.lost <= r.dropped * 0.1, `${r.lost} packets still lost of ${r.dropped} dropped`);
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
    // The NACK cases' bound on freezes must be one this loss breaks.
    assert.ok(r.freezeMs > kMaxFreezeMs,
              `${r.freezes} freezes for ${r.freezeMs} ms, ${r.frames} frames decoded: the loss did no visible ` +
              'harm, so the NACK cases prove nothing');
  });
});
