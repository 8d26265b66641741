#include "proto/webrtc/StunMessage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fakes/Hex.h"
#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

using test::hex;

Bytes bytesOf(std::span<const std::uint8_t> s) {
  return {s.begin(), s.end()};
}

StunMessage parsed(const Bytes& bytes) {
  auto m = StunMessage::parse(bytes);
  if (!m) ADD_FAILURE() << m.error().describe();
  return std::move(m).value();
}

// RFC 5769 §2: the test vectors' shared transaction id and short-term password.
const StunTransactionId kVectorId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
constexpr std::string_view kVectorPassword = "VOkJxbRl1RmTxUk/WvJxBt";

// RFC 5769 §2.1 Sample Request. USERNAME is padded with spaces (0x20), not zeros: the padding
// is covered by MESSAGE-INTEGRITY and FINGERPRINT, so verification must read the bytes as sent.
const Bytes kSampleRequest =
    hex("00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
        "00 24 00 04 6e 00 01 ff"
        "80 29 00 08 93 2f f9 b1 51 26 3b 36"
        "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
        "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
        "80 28 00 04 e5 7a 3b cf");

// RFC 5769 §2.2 Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853.
const Bytes kSampleIpv4Response =
    hex("01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 08 00 01 a1 47 e1 12 a6 43"
        "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
        "80 28 00 04 c0 7d 4c 96");

// RFC 5769 §2.3 Sample IPv6 Response: [2001:db8:1234:5678:11:2233:4455:6677]:32853.
const Bytes kSampleIpv6Response =
    hex("01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
        "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
        "80 28 00 04 c8 fb 0b 4c");

TEST(StunMessageTest, Rfc5769SampleRequest) {
  const StunMessage m = parsed(kSampleRequest);
  EXPECT_TRUE(m.isBindingRequest());
  EXPECT_EQ(m.method(), 0x001);
  EXPECT_EQ(m.messageClass(), StunClass::Request);
  EXPECT_EQ(m.transactionId(), kVectorId);
  EXPECT_EQ(m.software(), "STUN test client");
  EXPECT_EQ(m.priority(), 0x6e0001ffu);
  EXPECT_EQ(m.iceControlled(), 0x932ff9b151263b36u);
  EXPECT_FALSE(m.iceControlling().has_value());
  EXPECT_FALSE(m.useCandidate());
  EXPECT_EQ(m.username(), "evtj:h6vY");
  EXPECT_EQ(m.attributeCount(), 6u);
  EXPECT_TRUE(m.unknownRequiredAttributes().empty());
  EXPECT_TRUE(m.hasMessageIntegrity());
  EXPECT_TRUE(m.verifyMessageIntegrity(kVectorPassword));
  EXPECT_FALSE(m.verifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBu"));
  EXPECT_FALSE(m.verifyMessageIntegrity(""));
  EXPECT_TRUE(m.hasFingerprint());
  EXPECT_TRUE(m.verifyFingerprint());
  EXPECT_TRUE(StunMessage::looksLikeStun(kSampleRequest));
}

TEST(StunMessageTest, Rfc5769SampleIpv4Response) {
  const StunMessage m = parsed(kSampleIpv4Response);
  EXPECT_EQ(m.messageClass(), StunClass::SuccessResponse);
  EXPECT_EQ(m.method(), 0x001);
  EXPECT_FALSE(m.isBindingRequest());
  EXPECT_EQ(m.software(), "test vector");
  EXPECT_EQ(m.xorMappedAddress(), TransportAddress::parse("192.0.2.1:32853"));
  EXPECT_FALSE(m.mappedAddress().has_value());
  EXPECT_TRUE(m.verifyMessageIntegrity(kVectorPassword));
  EXPECT_TRUE(m.verifyFingerprint());
}

TEST(StunMessageTest, Rfc5769SampleIpv6Response) {
  const StunMessage m = parsed(kSampleIpv6Response);
  EXPECT_EQ(m.messageClass(), StunClass::SuccessResponse);
  EXPECT_EQ(m.xorMappedAddress(), TransportAddress::parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853"));
  EXPECT_TRUE(m.verifyMessageIntegrity(kVectorPassword));
  EXPECT_TRUE(m.verifyFingerprint());
}

TEST(StunMessageTest, BuilderWritesTheRfc5769XorMappedAddresses) {
  for (const auto& [vector, address] :
       {std::pair{&kSampleIpv4Response, "192.0.2.1:32853"},
        std::pair{&kSampleIpv6Response, "[2001:db8:1234:5678:11:2233:4455:6677]:32853"}}) {
    const Bytes built =
        StunMessage::bindingSuccess(kVectorId, *TransportAddress::parse(address), kVectorPassword);
    const StunMessage ours = parsed(built);
    const StunMessage theirs = parsed(*vector);
    EXPECT_EQ(bytesOf(*ours.attribute(StunAttribute::XorMappedAddress)),
              bytesOf(*theirs.attribute(StunAttribute::XorMappedAddress)))
        << address;
    EXPECT_EQ(built[0], 0x01);  // success response type 0x0101
    EXPECT_EQ(built[1], 0x01);
    EXPECT_TRUE(ours.verifyMessageIntegrity(kVectorPassword));
    EXPECT_TRUE(ours.verifyFingerprint());
    EXPECT_EQ(ours.transactionId(), kVectorId);
  }
}

TEST(StunMessageTest, MessageTypeInterleavesMethodAndClass) {
  // RFC 8489 §5, §6: Binding request 0x0001, success 0x0101, error 0x0111, indication 0x0011.
  EXPECT_EQ(StunMessage::messageType(0x001, StunClass::Request), 0x0001);
  EXPECT_EQ(StunMessage::messageType(0x001, StunClass::SuccessResponse), 0x0101);
  EXPECT_EQ(StunMessage::messageType(0x001, StunClass::ErrorResponse), 0x0111);
  EXPECT_EQ(StunMessage::messageType(0x001, StunClass::Indication), 0x0011);
  EXPECT_EQ(StunMessage::messageType(0xFFF, StunClass::ErrorResponse), 0x3FFF);
  for (const std::uint16_t method : {0x001, 0x003, 0x07F, 0x080, 0xABC, 0xFFF}) {
    for (const auto c :
         {StunClass::Request, StunClass::Indication, StunClass::SuccessResponse, StunClass::ErrorResponse}) {
      const Bytes b = StunMessage::Builder(method, c, kVectorId).finish(std::string_view(), false);
      const StunMessage m = parsed(b);
      EXPECT_EQ(m.method(), method);
      EXPECT_EQ(m.messageClass(), c);
      EXPECT_EQ(m.attributeCount(), 0u);
    }
  }
}

TEST(StunMessageTest, BindingRequestRoundTrip) {
  const StunTransactionId id = StunMessage::randomTransactionId();
  const Bytes b = StunMessage::bindingRequest({.transactionId = id,
                                               .username = "abcd:efgh",
                                               .password = "0123456789012345678901",
                                               .priority = 0x6e001eff,
                                               .iceControlling = 0x0123456789abcdefULL,
                                               .useCandidate = true,
                                               .software = "ocellus"});
  EXPECT_EQ(b.size() % 4, 0u);
  const StunMessage m = parsed(b);
  EXPECT_TRUE(m.isBindingRequest());
  EXPECT_EQ(m.transactionId(), id);
  EXPECT_EQ(m.username(), "abcd:efgh");
  EXPECT_EQ(m.software(), "ocellus");
  EXPECT_EQ(m.priority(), 0x6e001effu);
  EXPECT_EQ(m.iceControlling(), 0x0123456789abcdefULL);
  EXPECT_FALSE(m.iceControlled().has_value());
  EXPECT_TRUE(m.useCandidate());
  EXPECT_TRUE(m.verifyMessageIntegrity("0123456789012345678901"));
  EXPECT_TRUE(m.verifyFingerprint());
  // The last two attributes are MESSAGE-INTEGRITY and FINGERPRINT, in that order.
  ASSERT_EQ(m.attributeCount(), 7u);
  EXPECT_EQ(m.attributeAt(5).type, 0x0008);
  EXPECT_EQ(m.attributeAt(6).type, 0x8028);
  EXPECT_EQ(m.attributeAt(7).type, 0);  // out of range: empty
  // Padding is zero: USERNAME is 9 bytes, then 3 zero bytes.
  const auto user = m.attributeAt(0).value;
  EXPECT_EQ(user.size(), 9u);
  EXPECT_EQ(user.data()[9], 0);
  EXPECT_EQ(user.data()[11], 0);
}

TEST(StunMessageTest, ErrorResponsesRoundTrip) {
  const std::uint16_t unknown[] = {0x0031, 0x7fff, 0x0014};
  const Bytes b = StunMessage::bindingError(kVectorId, 420, "pwd", unknown);
  const StunMessage m = parsed(b);
  EXPECT_EQ(m.messageClass(), StunClass::ErrorResponse);
  ASSERT_TRUE(m.errorCode().has_value());
  EXPECT_EQ(m.errorCode()->code, 420);
  EXPECT_EQ(m.errorCode()->reason, "Unknown Attribute");
  EXPECT_EQ(m.unknownAttributesList(), (std::vector<std::uint16_t>{0x0031, 0x7fff, 0x0014}));
  EXPECT_TRUE(m.verifyMessageIntegrity("pwd"));
  EXPECT_TRUE(m.verifyFingerprint());

  for (const std::uint16_t code : {400, 401, 487}) {
    const Bytes error = StunMessage::bindingError(kVectorId, code, "");
    const StunMessage e = parsed(error);
    EXPECT_EQ(e.errorCode()->code, code);
    EXPECT_EQ(e.errorCode()->reason, StunMessage::reasonPhrase(code));
    EXPECT_FALSE(e.hasMessageIntegrity());
    EXPECT_FALSE(e.verifyMessageIntegrity("pwd"));
    EXPECT_TRUE(e.verifyFingerprint());
    EXPECT_TRUE(e.unknownAttributesList().empty());
  }
  EXPECT_EQ(StunMessage::reasonPhrase(401), "Unauthenticated");
  EXPECT_EQ(StunMessage::reasonPhrase(487), "Role Conflict");
  EXPECT_EQ(StunMessage::reasonPhrase(499), "");
}

TEST(StunMessageTest, IntegrityAndFingerprintFailures) {
  const Bytes good = StunMessage::bindingRequest({.transactionId = kVectorId,
                                                  .username = "a:b",
                                                  .password = "secret",
                                                  .priority = 1,
                                                  .iceControlling = 7});
  // A changed USERNAME byte: neither verifies.
  Bytes b = good;
  b[24] ^= 0x01;
  EXPECT_FALSE(parsed(b).verifyMessageIntegrity("secret"));
  EXPECT_FALSE(parsed(b).verifyFingerprint());
  // A changed FINGERPRINT: MESSAGE-INTEGRITY (which does not cover it) still verifies.
  b = good;
  b.back() ^= 0x80;
  EXPECT_TRUE(parsed(b).verifyMessageIntegrity("secret"));
  EXPECT_FALSE(parsed(b).verifyFingerprint());
  // A changed HMAC byte.
  b = good;
  b[b.size() - 9] ^= 0x01;
  EXPECT_FALSE(parsed(b).verifyMessageIntegrity("secret"));
  EXPECT_FALSE(parsed(b).verifyFingerprint());
  // The transaction id is covered too.
  b = good;
  b[19] ^= 0x01;
  EXPECT_FALSE(parsed(b).verifyMessageIntegrity("secret"));
  // Without the attributes there is nothing to verify.
  const Bytes unsigned_ =
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).priority(1).finish("", false);
  const StunMessage bare = parsed(unsigned_);
  EXPECT_FALSE(bare.hasMessageIntegrity());
  EXPECT_FALSE(bare.verifyMessageIntegrity("secret"));
  EXPECT_FALSE(bare.hasFingerprint());
  EXPECT_FALSE(bare.verifyFingerprint());
}

TEST(StunMessageTest, AttributesAfterMessageIntegrityAreIgnored) {
  // RFC 8489 §14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow; the rest is
  // ignored, and the HMAC's length field counts only up to MESSAGE-INTEGRITY.
  Bytes b = StunMessage::Builder(0x001, StunClass::Request, kVectorId).username("a:b").finish("key", false);
  const Bytes software = hex("80 22 00 03 61 62 63 00");
  b.insert(b.end(), software.begin(), software.end());
  b[3] = static_cast<std::uint8_t>(b.size() - 20);
  const StunMessage m = parsed(b);
  EXPECT_FALSE(m.software().has_value());
  EXPECT_EQ(m.attributeCount(), 2u);
  EXPECT_TRUE(m.verifyMessageIntegrity("key"));

  // MESSAGE-INTEGRITY-SHA256 after MESSAGE-INTEGRITY counts; after it only FINGERPRINT does.
  Bytes c = StunMessage::Builder(0x001, StunClass::Request, kVectorId).username("a:b").finish("key", false);
  Bytes sha256 = hex("00 1c 00 20");
  sha256.resize(sha256.size() + 32, 0xaa);
  c.insert(c.end(), sha256.begin(), sha256.end());
  c.insert(c.end(), software.begin(), software.end());
  c[3] = static_cast<std::uint8_t>(c.size() - 20);
  const StunMessage n = parsed(c);
  EXPECT_TRUE(n.has(StunAttribute::MessageIntegritySha256));
  EXPECT_FALSE(n.software().has_value());
  EXPECT_TRUE(n.verifyMessageIntegrity("key"));
  EXPECT_TRUE(n.unknownRequiredAttributes().empty());
}

TEST(StunMessageTest, ReportsUnknownComprehensionRequiredAttributes) {
  const std::uint8_t four[4] = {1, 2, 3, 4};
  const Bytes b = StunMessage::Builder(0x001, StunClass::Request, kVectorId)
                      .attribute(0x0031, four)
                      .attribute(0xC057, four)  // comprehension-optional: not reported
                      .attribute(0x7FFF, {})
                      .attribute(0x0031, four)  // reported once
                      .attribute(0x0014, four)  // REALM: no use for it here
                      .finish("key");
  const StunMessage m = parsed(b);
  EXPECT_EQ(
      std::vector<std::uint16_t>(m.unknownRequiredAttributes().begin(), m.unknownRequiredAttributes().end()),
      (std::vector<std::uint16_t>{0x0031, 0x7FFF, 0x0014}));
  EXPECT_EQ(bytesOf(*m.attribute(0xC057)), Bytes(four, four + 4));
  EXPECT_TRUE(m.verifyMessageIntegrity("key"));
}

TEST(StunMessageTest, FirstOccurrenceWins) {
  const Bytes b = StunMessage::Builder(0x001, StunClass::Request, kVectorId)
                      .priority(1)
                      .priority(2)
                      .username("x:y")
                      .finish("k");
  const StunMessage m = parsed(b);
  EXPECT_EQ(m.priority(), 1u);
  EXPECT_EQ(m.attributeCount(), 5u);
}

TEST(StunMessageTest, RejectsMalformedMessages) {
  const auto rejects = [](Bytes b, base::ErrorCode code, const char* what) {
    const auto m = StunMessage::parse(b);
    ASSERT_FALSE(m.ok()) << what;
    EXPECT_EQ(m.error().code, code) << what << ": " << m.error().describe();
  };
  const Bytes good = StunMessage::bindingRequest({.transactionId = kVectorId,
                                                  .username = "a:b",
                                                  .password = "secret",
                                                  .priority = 1,
                                                  .iceControlling = 7});
  ASSERT_TRUE(StunMessage::parse(good).ok());

  rejects(Bytes(good.begin(), good.begin() + 19), base::ErrorCode::Truncated, "short header");
  rejects({}, base::ErrorCode::Truncated, "empty");
  Bytes b = good;
  b[0] |= 0x40;
  rejects(b, base::ErrorCode::Malformed, "top bits");
  b = good;
  b[5] = 0;
  rejects(b, base::ErrorCode::Malformed, "cookie");
  b = good;
  b[3] += 2;
  rejects(b, base::ErrorCode::Malformed, "length not a multiple of 4");
  b = good;
  b[3] += 4;
  rejects(b, base::ErrorCode::Malformed, "length beyond the datagram");
  b = good;
  b.insert(b.end(), {0, 0, 0, 0});
  rejects(b, base::ErrorCode::Malformed, "trailing bytes");
  b = good;
  b[22] = 0x10;  // USERNAME length runs past the end
  rejects(b, base::ErrorCode::Malformed, "attribute overrun");

  const std::uint8_t three[3] = {1, 2, 3};
  rejects(
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).attribute(0x0024, three).finish("", false),
      base::ErrorCode::Malformed, "PRIORITY of 3 bytes");
  rejects(
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).attribute(0x0025, three).finish("", false),
      base::ErrorCode::Malformed, "USE-CANDIDATE with a value");
  rejects(
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).attribute(0x8029, three).finish("", false),
      base::ErrorCode::Malformed, "ICE-CONTROLLED of 3 bytes");
  rejects(
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).attribute(0x0008, three).finish("", false),
      base::ErrorCode::Malformed, "MESSAGE-INTEGRITY of 3 bytes");
  const std::uint8_t badFamily[8] = {0, 3, 0, 1, 1, 2, 3, 4};
  rejects(StunMessage::Builder(0x001, StunClass::Request, kVectorId)
              .attribute(0x0020, badFamily)
              .finish("", false),
          base::ErrorCode::Malformed, "address family 3");
  const std::uint8_t shortV6[8] = {0, 2, 0, 1, 1, 2, 3, 4};
  rejects(
      StunMessage::Builder(0x001, StunClass::Request, kVectorId).attribute(0x0001, shortV6).finish("", false),
      base::ErrorCode::Malformed, "IPv6 address of 4 bytes");
  const std::uint8_t class7[4] = {0, 0, 7, 0};
  rejects(StunMessage::Builder(0x001, StunClass::ErrorResponse, kVectorId)
              .attribute(0x0009, class7)
              .finish("", false),
          base::ErrorCode::Malformed, "ERROR-CODE class 7");
  const std::uint8_t number100[4] = {0, 0, 4, 100};
  rejects(StunMessage::Builder(0x001, StunClass::ErrorResponse, kVectorId)
              .attribute(0x0009, number100)
              .finish("", false),
          base::ErrorCode::Malformed, "ERROR-CODE number 100");
  rejects(StunMessage::Builder(0x001, StunClass::Request, kVectorId)
              .username(std::string(StunMessage::kMaxUsernameSize + 1, 'u'))
              .finish("", false),
          base::ErrorCode::Malformed, "USERNAME too long");

  // FINGERPRINT is last (RFC 8489 §14.7).
  b = StunMessage::Builder(0x001, StunClass::Request, kVectorId).finish("", true);
  b.insert(b.end(), {0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1});
  b[3] = static_cast<std::uint8_t>(b.size() - 20);
  rejects(b, base::ErrorCode::Malformed, "attribute after FINGERPRINT");

  StunMessage::Builder many(0x001, StunClass::Request, kVectorId);
  for (std::size_t i = 0; i <= StunMessage::kMaxAttributes; ++i) many.attribute(0x8000, {});
  rejects(many.finish("", false), base::ErrorCode::TooLarge, "too many attributes");
  const Bytes large(StunMessage::kMaxMessageSize + 4, 0);
  rejects(large, base::ErrorCode::TooLarge, "larger than kMaxMessageSize");
}

TEST(StunMessageTest, LooksLikeStunDemultiplexes) {
  EXPECT_TRUE(StunMessage::looksLikeStun(kSampleIpv6Response));
  Bytes b = kSampleRequest;
  b[0] = 22;  // DTLS handshake (RFC 7983: 20..63)
  EXPECT_FALSE(StunMessage::looksLikeStun(b));
  b[0] = 0x80;  // RTP
  EXPECT_FALSE(StunMessage::looksLikeStun(b));
  b = kSampleRequest;
  b[4] = 0;  // no cookie
  EXPECT_FALSE(StunMessage::looksLikeStun(b));
  EXPECT_FALSE(StunMessage::looksLikeStun(Bytes(kSampleRequest.begin(), kSampleRequest.begin() + 19)));
  EXPECT_FALSE(StunMessage::looksLikeStun({}));
}

TEST(StunMessageTest, RandomTransactionIdsDiffer) {
  EXPECT_NE(StunMessage::randomTransactionId(), StunMessage::randomTransactionId());
}

// tests/data/webrtc/stun: the first two checks Chromium 156 sent to an ICE-lite answer whose
// ice-ufrag was "ocel" and ice-pwd "ocellusTestPassword0123456" (capture/ has the scripts).
constexpr std::string_view kCapturedPassword = "ocellusTestPassword0123456";

TEST(StunMessageTest, ParsesChromiumChecks) {
  const Bytes first = test::readTestData("webrtc/stun/chromium156_check.bin");
  const Bytes second = test::readTestData("webrtc/stun/chromium156_check_use_candidate.bin");
  ASSERT_EQ(first.size(), 96u);
  ASSERT_EQ(second.size(), 100u);
  for (const Bytes* b : {&first, &second}) {
    EXPECT_TRUE(StunMessage::looksLikeStun(*b));
    const StunMessage m = parsed(*b);
    EXPECT_TRUE(m.isBindingRequest());
    EXPECT_EQ(m.username(), "ocel:Dasc");
    EXPECT_EQ(m.priority(), 0x6e001effu);
    EXPECT_EQ(m.iceControlling(), 0xd76c92a091a755f4u);
    EXPECT_FALSE(m.iceControlled().has_value());
    EXPECT_TRUE(m.has(StunAttribute::GoogNetworkInfo));
    EXPECT_TRUE(m.unknownRequiredAttributes().empty());
    EXPECT_TRUE(m.verifyMessageIntegrity(kCapturedPassword));
    EXPECT_TRUE(m.verifyFingerprint());
  }
  // Regular nomination: the first check has no USE-CANDIDATE, the next ones do.
  EXPECT_FALSE(parsed(first).useCandidate());
  EXPECT_TRUE(parsed(second).useCandidate());
}

TEST(StunMessageTest, BuildsACheckShapedLikeChromiums) {
  // USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY,
  // FINGERPRINT: the same attributes, order and size as the capture.
  const Bytes captured = test::readTestData("webrtc/stun/chromium156_check_use_candidate.bin");
  ASSERT_FALSE(captured.empty());
  const StunMessage theirs = parsed(captured);
  const std::uint8_t networkInfo[4] = {0x00, 0x00, 0x03, 0xe7};
  const Bytes built = StunMessage::Builder(0x001, StunClass::Request, theirs.transactionId())
                          .username("ocel:Dasc")
                          .attribute(0xC057, networkInfo)
                          .iceControlling(0xd76c92a091a755f4u)
                          .useCandidate()
                          .priority(0x6e001eff)
                          .finish(kCapturedPassword);
  // Chromium pads USERNAME with zeros too, so the bytes are the same to the last one.
  EXPECT_EQ(built, captured);
}

TEST(StunMessageTest, AttributesAreViewsIntoTheDatagram) {
  const StunMessage m = parsed(kSampleRequest);
  const auto user = *m.attribute(StunAttribute::Username);
  EXPECT_GE(user.data(), kSampleRequest.data());
  EXPECT_LE(user.data() + user.size(), kSampleRequest.data() + kSampleRequest.size());
  EXPECT_EQ(m.bytes().data(), kSampleRequest.data());
}

}  // namespace
}  // namespace ocellus::proto::webrtc
