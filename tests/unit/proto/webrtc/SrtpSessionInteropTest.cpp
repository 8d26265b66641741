// Our SRTP against libsrtp2 (Debian's, on NSS) as an oracle: both profiles, RTP and RTCP, both
// ways, across a ROC wrap, with CSRCs and header extensions. The two are deterministic with
// the same keys, so protected packets must be byte-identical, not merely readable.
#include <gtest/gtest.h>

#include <vector>

#include "fakes/LibSrtp.h"
#include "proto/webrtc/SrtpSession.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

using test::LibSrtp;
using test::makeLibSrtp;

// An RTP packet with `csrcs` CSRCs and, if extensionWords > 0, a one-byte-header extension
// (RFC 8285) of that many words; the payload varies with seq.
Bytes rtpPacket(std::uint32_t ssrc, std::uint16_t seq, std::size_t csrcs, std::size_t extensionWords,
                std::size_t payload) {
  Bytes p = {static_cast<std::uint8_t>(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcs),
             static_cast<std::uint8_t>(96 | (seq % 7 == 0 ? 0x80 : 0)),
             static_cast<std::uint8_t>(seq >> 8),
             static_cast<std::uint8_t>(seq),
             0x12,
             0x34,
             static_cast<std::uint8_t>(seq >> 4),
             static_cast<std::uint8_t>(seq),
             static_cast<std::uint8_t>(ssrc >> 24),
             static_cast<std::uint8_t>(ssrc >> 16),
             static_cast<std::uint8_t>(ssrc >> 8),
             static_cast<std::uint8_t>(ssrc)};
  for (std::size_t i = 0; i < csrcs; ++i) p.insert(p.end(), {0xc5, 0x00, 0x00, static_cast<std::uint8_t>(i)});
  if (extensionWords > 0) {
    p.insert(p.end(), {0xbe, 0xde, 0x00, static_cast<std::uint8_t>(extensionWords)});
    for (std::size_t i = 0; i < extensionWords; ++i)
      p.insert(p.end(), {0x10, static_cast<std::uint8_t>(seq), 0, 0});
  }
  for (std::size_t i = 0; i < payload; ++i) p.push_back(static_cast<std::uint8_t>(i * 31 + seq));
  return p;
}

// A sender report followed by an SDES chunk: a compound packet as browsers send.
Bytes rtcpPacket(std::uint32_t ssrc, std::uint8_t n) {
  Bytes p = {0x80, 200, 0x00, 0x06};
  for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<std::uint8_t>(ssrc >> shift));
  for (int i = 0; i < 20; ++i) p.push_back(static_cast<std::uint8_t>(n + i));
  p.insert(p.end(), {0x81, 202, 0x00, 0x02});
  for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<std::uint8_t>(ssrc >> shift));
  p.insert(p.end(), {0x01, 0x02, 'o', 'c'});
  return p;
}

// The sequence numbers sent: up to and across the wrap, one reordered pair on each side.
std::vector<std::uint16_t> wrappingSequence() {
  std::vector<std::uint16_t> seqs;
  for (std::uint32_t s = 65500; s < 65536 + 40; ++s) seqs.push_back(static_cast<std::uint16_t>(s));
  std::swap(seqs[33], seqs[34]);  // 65533 and 65534
  std::swap(seqs[36], seqs[37]);  // 0 and 1
  return seqs;
}

class SrtpInterop : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  Bytes key_ =
      Bytes{0x3a, 0x41, 0x7f, 0x09, 0xc2, 0x55, 0x10, 0xee, 0x81, 0x27, 0x66, 0x90, 0x0b, 0xd4, 0x5e, 0x13};
  Bytes salt_ = Bytes(srtpSaltSize(GetParam()), 0x5c);

  SrtpSession ours(SrtpDirection direction) {
    return SrtpSession::create(GetParam(), key_, salt_, direction).value();
  }
  LibSrtp theirs(SrtpDirection direction) {
    auto session = makeLibSrtp(GetParam(), key_, salt_, direction);
    EXPECT_TRUE(session);
    return session;
  }
};

TEST_P(SrtpInterop, RtpBothWaysAcrossTheRocWrapWithCsrcsAndExtensions) {
  auto ourOut = ours(SrtpDirection::Outbound);
  auto ourIn = ours(SrtpDirection::Inbound);
  auto theirOut = theirs(SrtpDirection::Outbound);
  auto theirIn = theirs(SrtpDirection::Inbound);
  std::size_t n = 0;
  for (const std::uint16_t seq : wrappingSequence()) {
    for (const std::uint32_t ssrc : {0x11223344u, 0xcafebabeu}) {
      ++n;
      const Bytes plain = rtpPacket(ssrc, seq, n % 3, n % 4, n % 5 == 0 ? 0 : 20 + (n * 37) % 1200);
      Bytes mine = plain;
      ASSERT_TRUE(ourOut.protectRtp(mine)) << seq;
      Bytes reference(plain.size() + SRTP_MAX_TRAILER_LEN);
      std::copy(plain.begin(), plain.end(), reference.begin());
      int size = static_cast<int>(plain.size());
      ASSERT_EQ(srtp_protect(theirOut.get(), reference.data(), &size), srtp_err_status_ok) << seq;
      reference.resize(static_cast<std::size_t>(size));
      ASSERT_EQ(mine, reference) << "seq " << seq << " ssrc " << ssrc;

      // Ours → libsrtp.
      Bytes read = mine;
      size = static_cast<int>(read.size());
      ASSERT_EQ(srtp_unprotect(theirIn.get(), read.data(), &size), srtp_err_status_ok) << seq;
      read.resize(static_cast<std::size_t>(size));
      EXPECT_EQ(read, plain);
      // libsrtp → ours.
      ASSERT_TRUE(ourIn.unprotectRtp(reference)) << seq;
      EXPECT_EQ(reference, plain);
    }
  }
  EXPECT_EQ(ourIn.counters().rtpPackets, n);
  EXPECT_EQ(ourIn.counters().authFailures + ourIn.counters().replayRejected + ourIn.counters().otherFailures,
            0u);
}

TEST_P(SrtpInterop, RtcpBothWays) {
  auto ourOut = ours(SrtpDirection::Outbound);
  auto ourIn = ours(SrtpDirection::Inbound);
  auto theirOut = theirs(SrtpDirection::Outbound);
  auto theirIn = theirs(SrtpDirection::Inbound);
  for (std::uint8_t i = 0; i < 20; ++i) {
    for (const std::uint32_t ssrc : {0x0badf00du, 0x22334455u}) {
      const Bytes plain = rtcpPacket(ssrc, i);
      Bytes mine = plain;
      ASSERT_TRUE(ourOut.protectRtcp(mine));
      Bytes reference(plain.size() + SRTP_MAX_TRAILER_LEN + 4);
      std::copy(plain.begin(), plain.end(), reference.begin());
      int size = static_cast<int>(plain.size());
      ASSERT_EQ(srtp_protect_rtcp(theirOut.get(), reference.data(), &size), srtp_err_status_ok);
      reference.resize(static_cast<std::size_t>(size));
      ASSERT_EQ(mine, reference) << int{i};

      Bytes read = mine;
      size = static_cast<int>(read.size());
      ASSERT_EQ(srtp_unprotect_rtcp(theirIn.get(), read.data(), &size), srtp_err_status_ok);
      read.resize(static_cast<std::size_t>(size));
      EXPECT_EQ(read, plain);
      ASSERT_TRUE(ourIn.unprotectRtcp(reference));
      EXPECT_EQ(reference, plain);
      // A second copy is a replay for both.
      Bytes again = mine;
      EXPECT_FALSE(ourIn.unprotectRtcp(again));
    }
  }
  EXPECT_EQ(ourIn.counters().rtcpPackets, 40u);
  EXPECT_EQ(ourIn.counters().replayRejected, 40u);
}

// Packets from before the wrap that arrive after it (reordering, NACK retransmissions) are
// read with ROC - 1 (RFC 3711 §3.3.1) by both, and a repeat is a replay.
TEST_P(SrtpInterop, LateRetransmissionsFromBeforeTheWrapStillDecrypt) {
  auto ourOut = ours(SrtpDirection::Outbound);
  auto theirIn = theirs(SrtpDirection::Inbound);
  auto ourIn = ours(SrtpDirection::Inbound);
  auto theirOut = theirs(SrtpDirection::Outbound);
  std::vector<Bytes> mine;
  std::vector<Bytes> reference;
  for (std::uint32_t s = 65000; s < 65536 + 500; ++s) {
    const Bytes plain = rtpPacket(0x01020304, static_cast<std::uint16_t>(s), 0, 0, 100);
    mine.push_back(plain);
    ASSERT_TRUE(ourOut.protectRtp(mine.back()));
    Bytes r(plain.size() + SRTP_MAX_TRAILER_LEN);
    std::copy(plain.begin(), plain.end(), r.begin());
    int size = static_cast<int>(plain.size());
    ASSERT_EQ(srtp_protect(theirOut.get(), r.data(), &size), srtp_err_status_ok);
    r.resize(static_cast<std::size_t>(size));
    reference.push_back(r);
  }
  // Deliver everything except 65400..65535, then those late (still inside the window).
  const auto late = [](std::size_t i) { return i >= 400 && i < 536; };
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (late(i) != (pass == 1)) continue;
      Bytes a = mine[i];
      int size = static_cast<int>(a.size());
      ASSERT_EQ(srtp_unprotect(theirIn.get(), a.data(), &size), srtp_err_status_ok) << i;
      Bytes b = reference[i];
      ASSERT_TRUE(ourIn.unprotectRtp(b)) << i;
    }
  }
  // A retransmission of 65300 (seq number reused, identical bytes) is a replay for the receiver.
  Bytes again = reference[300];
  EXPECT_FALSE(ourIn.unprotectRtp(again));
  EXPECT_EQ(ourIn.counters().replayRejected, 1u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpInterop,
                         ::testing::Values(SrtpProfile::Aes128CmSha1_80, SrtpProfile::AeadAes128Gcm),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? std::string("Gcm")
                                                                           : std::string("CmSha1");
                         });

}  // namespace
}  // namespace ocellus::proto::webrtc
