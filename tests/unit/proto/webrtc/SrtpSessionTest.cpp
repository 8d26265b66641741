#include "proto/webrtc/SrtpSession.h"

#include <gtest/gtest.h>

#include <array>
#include <thread>

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The reference packets libsrtp checks itself against (its srtp_validate and
// srtp_validate_gcm): published known answers, so this checks our policy setup (key/salt
// layout, tag lengths, SRTCP index) rather than libsrtp's ciphers.
const Bytes kCmMaster = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
                         0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad,
                         0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
const Bytes kGcmMaster = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
                          0x0e, 0x0f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
const Bytes kRtpPlain = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab,
                         0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};
const Bytes kRtcpPlain = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab, 0xab, 0xab,
                          0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};
const Bytes kCmRtpCipher = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0x4e,
                            0x55, 0xdc, 0x4c, 0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d,
                            0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc, 0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb};
const Bytes kCmRtcpCipher = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28, 0x03, 0x5b, 0xe4,
                             0x87, 0xb9, 0xbd, 0xbe, 0xf8, 0x90, 0x41, 0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00,
                             0x00, 0x01, 0x99, 0x3e, 0x08, 0xcd, 0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98};
const Bytes kGcmRtpCipher = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba,
                             0xbe, 0xc5, 0x00, 0x2e, 0xde, 0x04, 0xcf, 0xdd, 0x2e, 0xb9, 0x11,
                             0x59, 0xe0, 0x88, 0x0a, 0xa0, 0x6e, 0xd2, 0x97, 0x68, 0x26, 0xf7,
                             0x96, 0xb2, 0x01, 0xdf, 0x31, 0x31, 0xa1, 0x27, 0xe8, 0xa3, 0x92};

std::span<const std::uint8_t> keyOf(const Bytes& master) {
  return std::span(master).first(16);
}
std::span<const std::uint8_t> saltOf(const Bytes& master) {
  return std::span(master).subspan(16);
}

SrtpSession make(SrtpProfile profile, SrtpDirection direction) {
  const Bytes& master = profile == SrtpProfile::AeadAes128Gcm ? kGcmMaster : kCmMaster;
  return SrtpSession::create(profile, keyOf(master), saltOf(master), direction).value();
}

Bytes rtpPacket(std::uint16_t seq, std::size_t payload = 100, std::uint32_t ssrc = 0x11223344) {
  Bytes p = {0x80,
             96,
             static_cast<std::uint8_t>(seq >> 8),
             static_cast<std::uint8_t>(seq),
             0,
             0,
             0x10,
             0x00,
             static_cast<std::uint8_t>(ssrc >> 24),
             static_cast<std::uint8_t>(ssrc >> 16),
             static_cast<std::uint8_t>(ssrc >> 8),
             static_cast<std::uint8_t>(ssrc)};
  for (std::size_t i = 0; i < payload; ++i) p.push_back(static_cast<std::uint8_t>(i * 7 + seq));
  return p;
}

TEST(SrtpSessionTest, ProfileSizes) {
  EXPECT_EQ(srtpKeySize(SrtpProfile::Aes128CmSha1_80), 16u);
  EXPECT_EQ(srtpSaltSize(SrtpProfile::Aes128CmSha1_80), 14u);
  EXPECT_EQ(srtpKeySize(SrtpProfile::AeadAes128Gcm), 16u);
  EXPECT_EQ(srtpSaltSize(SrtpProfile::AeadAes128Gcm), 12u);
  EXPECT_EQ(srtpProfileName(SrtpProfile::AeadAes128Gcm), "SRTP_AEAD_AES_128_GCM");
  EXPECT_EQ(srtpProfileName(SrtpProfile::Aes128CmSha1_80), "SRTP_AES128_CM_SHA1_80");
}

TEST(SrtpSessionTest, KnownAnswers) {
  struct Case {
    SrtpProfile profile;
    const Bytes& rtp;
    const Bytes* rtcp;  // libsrtp publishes no SRTCP answer for GCM
    std::size_t tag;
  };
  for (const Case& k : {Case{SrtpProfile::Aes128CmSha1_80, kCmRtpCipher, &kCmRtcpCipher, 10},
                        Case{SrtpProfile::AeadAes128Gcm, kGcmRtpCipher, nullptr, 16}}) {
    const std::string name(srtpProfileName(k.profile));
    auto out = make(k.profile, SrtpDirection::Outbound);
    auto in = make(k.profile, SrtpDirection::Inbound);
    EXPECT_EQ(out.rtpTrailerSize(), k.tag) << name;
    EXPECT_EQ(out.rtcpTrailerSize(), k.tag + 4) << name;
    Bytes rtp = kRtpPlain;
    ASSERT_TRUE(out.protectRtp(rtp)) << name;
    EXPECT_EQ(rtp, k.rtp) << name;
    ASSERT_TRUE(in.unprotectRtp(rtp)) << name;
    EXPECT_EQ(rtp, kRtpPlain) << name;
    if (k.rtcp == nullptr) continue;
    Bytes rtcp = kRtcpPlain;
    ASSERT_TRUE(out.protectRtcp(rtcp)) << name;
    EXPECT_EQ(rtcp, *k.rtcp) << name;
    ASSERT_TRUE(in.unprotectRtcp(rtcp)) << name;
    EXPECT_EQ(rtcp, kRtcpPlain) << name;
    EXPECT_EQ(in.counters().rtpPackets, 1u);
    EXPECT_EQ(in.counters().rtcpPackets, 1u);
  }
}

class SrtpBothProfiles : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpBothProfiles, RoundTripInPlaceWithoutTouchingPastTheTrailer) {
  auto out = make(GetParam(), SrtpDirection::Outbound);
  auto in = make(GetParam(), SrtpDirection::Inbound);
  for (std::uint16_t seq = 65530; seq != 10; ++seq) {  // across the sequence number wrap
    const Bytes plain = rtpPacket(seq);
    std::array<std::uint8_t, 1500> buffer;
    buffer.fill(0xee);
    std::copy(plain.begin(), plain.end(), buffer.begin());
    std::size_t length = plain.size();
    // Exactly the trailer's room: the rest of the buffer must stay untouched.
    std::span<std::uint8_t> room(buffer.data(), plain.size() + out.rtpTrailerSize());
    ASSERT_TRUE(out.protectRtp(room, length));
    EXPECT_EQ(length, plain.size() + out.rtpTrailerSize());
    for (std::size_t i = length; i < buffer.size(); ++i) ASSERT_EQ(buffer[i], 0xee) << i;
    ASSERT_TRUE(in.unprotectRtp(room, length));
    EXPECT_EQ(Bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length)), plain);
  }
  EXPECT_EQ(out.counters().rtpPackets, 16u);
  EXPECT_EQ(in.counters().rtpPackets, 16u);

  // RTCP: a receiver report with one report block.
  Bytes rr = {0x81, 201, 0x00, 0x07, 0xaa, 0xbb, 0xcc, 0xdd, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
              0,    0,   0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0, 0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    Bytes packet = rr;
    ASSERT_TRUE(out.protectRtcp(packet));
    EXPECT_EQ(packet.size(), rr.size() + out.rtcpTrailerSize());
    // The SRTCP index (libsrtp's first is 1) with the E (encrypted) bit set: before the tag
    // with AES-CM (RFC 3711 §3.4), after it with AEAD (RFC 7714 §9.1).
    const std::size_t at = GetParam() == SrtpProfile::AeadAes128Gcm ? rr.size() + 16 : rr.size();
    EXPECT_EQ(packet[at], 0x80);
    EXPECT_EQ(packet[at + 3], i + 1);
    ASSERT_TRUE(in.unprotectRtcp(packet));
    EXPECT_EQ(packet, rr);
  }
}

TEST_P(SrtpBothProfiles, TamperedPacketsFailAuthentication) {
  auto out = make(GetParam(), SrtpDirection::Outbound);
  auto in = make(GetParam(), SrtpDirection::Inbound);
  Bytes packet = rtpPacket(1);
  ASSERT_TRUE(out.protectRtp(packet));
  for (std::size_t at : {std::size_t{1}, std::size_t{8}, std::size_t{20}, packet.size() - 1}) {
    Bytes bad = packet;
    bad[at] ^= 0x10;
    EXPECT_FALSE(in.unprotectRtp(bad)) << at;
  }
  EXPECT_EQ(in.counters().authFailures, 4u);
  Bytes control = {0x80, 201, 0x00, 0x01, 1, 2, 3, 4};
  ASSERT_TRUE(out.protectRtcp(control));
  control[5] ^= 1;
  EXPECT_FALSE(in.unprotectRtcp(control));
  EXPECT_EQ(in.counters().authFailures, 5u);
  // The genuine packet still passes afterwards.
  EXPECT_TRUE(in.unprotectRtp(packet));
  // A session with another key cannot read it either.
  Bytes otherKey(16, 0x42);
  auto stranger =
      SrtpSession::create(GetParam(), otherKey, Bytes(srtpSaltSize(GetParam()), 1), SrtpDirection::Inbound)
          .value();
  Bytes again = rtpPacket(2);
  ASSERT_TRUE(out.protectRtp(again));
  EXPECT_FALSE(stranger.unprotectRtp(again));
  EXPECT_EQ(stranger.counters().authFailures, 1u);
}

TEST_P(SrtpBothProfiles, ReplaysAreRefusedAndCountedApart) {
  auto out = make(GetParam(), SrtpDirection::Outbound);
  auto in = make(GetParam(), SrtpDirection::Inbound);
  std::vector<Bytes> sent;
  for (std::uint16_t seq = 100; seq < 110; ++seq) {
    sent.push_back(rtpPacket(seq));
    ASSERT_TRUE(out.protectRtp(sent.back()));
  }
  // Out of order inside the window is fine; each only once.
  for (int i : {0, 2, 1, 5, 3, 4, 9, 6, 8, 7}) {
    Bytes copy = sent[static_cast<std::size_t>(i)];
    EXPECT_TRUE(in.unprotectRtp(copy)) << i;
  }
  for (int i : {0, 9, 4}) {
    Bytes copy = sent[static_cast<std::size_t>(i)];
    EXPECT_FALSE(in.unprotectRtp(copy)) << i;
  }
  EXPECT_EQ(in.counters().replayRejected, 3u);
  EXPECT_EQ(in.counters().authFailures, 0u);
  EXPECT_EQ(in.counters().rtpPackets, 10u);

  // The sender may protect the same packet again (a NACK retransmission without RTX): the
  // bytes are identical, and the receiver that lost the first copy accepts it.
  auto late = make(GetParam(), SrtpDirection::Inbound);
  Bytes first = rtpPacket(500);
  Bytes second = first;
  ASSERT_TRUE(out.protectRtp(first));
  ASSERT_TRUE(out.protectRtp(second));
  EXPECT_EQ(first, second);
  EXPECT_TRUE(late.unprotectRtp(second));
  EXPECT_FALSE(late.unprotectRtp(first));
  EXPECT_EQ(late.counters().replayRejected, 1u);
}

TEST_P(SrtpBothProfiles, BadCallsFailAndAreCounted) {
  auto out = make(GetParam(), SrtpDirection::Outbound);
  auto in = make(GetParam(), SrtpDirection::Inbound);
  Bytes tiny = {0x80, 96, 0, 1};
  EXPECT_FALSE(out.protectRtp(tiny));
  EXPECT_EQ(tiny.size(), 4u);  // left as it was
  Bytes packet = rtpPacket(7);
  EXPECT_FALSE(in.protectRtp(packet));  // wrong direction
  EXPECT_FALSE(out.unprotectRtp(packet));
  std::size_t length = packet.size();
  EXPECT_FALSE(out.protectRtp(packet, length));  // no room for the tag
  EXPECT_EQ(length, packet.size());
  std::size_t tooLong = packet.size() + 1;
  EXPECT_FALSE(in.unprotectRtp(packet, tooLong));
  Bytes shortSrtp(12 + in.rtpTrailerSize() - 1, 0x80);
  EXPECT_FALSE(in.unprotectRtp(shortSrtp));
  EXPECT_EQ(out.counters().otherFailures, 3u);
  EXPECT_EQ(in.counters().otherFailures, 3u);
  EXPECT_EQ(in.counters().authFailures, 0u);
  EXPECT_EQ(in.counters().replayRejected, 0u);
}

TEST_P(SrtpBothProfiles, MovedSessionKeepsWorking) {
  auto out = make(GetParam(), SrtpDirection::Outbound);
  auto in = make(GetParam(), SrtpDirection::Inbound);
  Bytes packet = rtpPacket(1);
  ASSERT_TRUE(out.protectRtp(packet));
  SrtpSession moved = std::move(out);
  Bytes next = rtpPacket(2);
  ASSERT_TRUE(moved.protectRtp(next));
  EXPECT_EQ(moved.counters().rtpPackets, 2u);
  SrtpSession assigned = make(GetParam(), SrtpDirection::Inbound);
  assigned = std::move(in);
  EXPECT_TRUE(assigned.unprotectRtp(packet));
  EXPECT_TRUE(assigned.unprotectRtp(next));
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpBothProfiles,
                         ::testing::Values(SrtpProfile::Aes128CmSha1_80, SrtpProfile::AeadAes128Gcm),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? std::string("Gcm")
                                                                           : std::string("CmSha1");
                         });

TEST(SrtpSessionTest, WrongKeyOrSaltSizeIsInvalidArgument) {
  const Bytes key(16, 1);
  EXPECT_EQ(SrtpSession::create(SrtpProfile::AeadAes128Gcm, key, Bytes(14, 1), SrtpDirection::Outbound)
                .error()
                .code,
            base::ErrorCode::InvalidArgument);
  EXPECT_EQ(SrtpSession::create(SrtpProfile::Aes128CmSha1_80, key, Bytes(12, 1), SrtpDirection::Outbound)
                .error()
                .code,
            base::ErrorCode::InvalidArgument);
  EXPECT_FALSE(
      SrtpSession::create(SrtpProfile::Aes128CmSha1_80, Bytes(32, 1), Bytes(14, 1), SrtpDirection::Inbound)
          .ok());
}

TEST(SrtpSessionTest, SessionsFromManyThreads) {
  // srtp_init runs once however many threads create the first sessions at the same time.
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto out = make(SrtpProfile::AeadAes128Gcm, SrtpDirection::Outbound);
        auto in = make(SrtpProfile::AeadAes128Gcm, SrtpDirection::Inbound);
        Bytes p = rtpPacket(static_cast<std::uint16_t>(i));
        if (out.protectRtp(p) && in.unprotectRtp(p)) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 80);
}

}  // namespace
}  // namespace ocellus::proto::webrtc
