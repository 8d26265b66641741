#include "proto/webrtc/IceLite.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;
using State = IceLite::State;
using Verdict = IceLite::Verdict;

// The credentials of tests/data/webrtc/stun/chromium156_*.bin: our answer said ice-ufrag "ocel"
// and ice-pwd "ocellusTestPassword0123456"; Chromium's offer said ice-ufrag "Dasc".
const IceCredentials kLocal{"ocel", "ocellusTestPassword0123456"};
const IceCredentials kRemote{"Dasc", "GDouHtT0s+ze0ucWiAmOSQmb"};

const TransportAddress kPeer = *TransportAddress::parse("192.0.2.7:50000");
const TransportAddress kMovedPeer = *TransportAddress::parse("192.0.2.7:50001");

class IceLiteTest : public ::testing::Test {
 protected:
  IceLiteTest() : ice_(kLocal, t0_) {
    EXPECT_TRUE(ice_.setRemoteCredentials(kRemote.ufrag, kRemote.pwd).ok());
  }

  // A check as a controlling browser sends it, under our password.
  static Bytes check(bool useCandidate, StunTransactionId id = StunMessage::randomTransactionId()) {
    return StunMessage::bindingRequest({.transactionId = id,
                                        .username = "ocel:Dasc",
                                        .password = kLocal.pwd,
                                        .priority = 0x6e001eff,
                                        .iceControlling = 0x1122334455667788ULL,
                                        .useCandidate = useCandidate});
  }

  IceLite::Outcome send(const Bytes& datagram, const TransportAddress& from, IceLite::Duration at) {
    return ice_.handle(datagram, from, t0_ + at);
  }

  State stateAt(IceLite::Duration at) const { return ice_.state(t0_ + at); }

  // Parses a response and checks what every response carries: FINGERPRINT, and
  // MESSAGE-INTEGRITY under our password when authenticated.
  static StunMessage response(const IceLite::Outcome& out, bool authenticated) {
    auto m = StunMessage::parse(out.response);
    EXPECT_TRUE(m.ok());
    EXPECT_TRUE(m->verifyFingerprint());
    EXPECT_EQ(m->hasMessageIntegrity(), authenticated);
    if (authenticated) {
      EXPECT_TRUE(m->verifyMessageIntegrity(kLocal.pwd));
    }
    return std::move(m).value();
  }

  const IceLite::TimePoint t0_ = IceLite::TimePoint{} + 1000s;
  IceLite ice_;
};

TEST_F(IceLiteTest, GeneratesCredentialsFromTheIceCharSet) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto c = IceLite::generateCredentials();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->ufrag.size(), IceLite::kGeneratedUfragSize);
    EXPECT_EQ(c->pwd.size(), IceLite::kGeneratedPwdSize);
    EXPECT_GE(c->ufrag.size(), 4u);
    EXPECT_GE(c->pwd.size(), 22u);
    for (const char ch : c->ufrag + c->pwd) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/') << ch;
    }
    seen.insert(c->ufrag);
    seen.insert(c->pwd);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(IceLiteTest, LocalUfragOfRoutesByUsername) {
  const Bytes captured = test::readTestData("webrtc/stun/chromium156_check.bin");
  const auto m = StunMessage::parse(captured);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(IceLite::localUfragOf(*m), "ocel");
  const Bytes noColon = StunMessage::Builder(0x001, StunClass::Request, {}).username("ocel").finish("", true);
  EXPECT_FALSE(IceLite::localUfragOf(*StunMessage::parse(noColon)).has_value());
  const Bytes noUser = StunMessage::Builder(0x001, StunClass::Request, {}).finish("", true);
  EXPECT_FALSE(IceLite::localUfragOf(*StunMessage::parse(noUser)).has_value());
  const Bytes emptyLocal =
      StunMessage::Builder(0x001, StunClass::Request, {}).username(":x").finish("", true);
  EXPECT_EQ(IceLite::localUfragOf(*StunMessage::parse(emptyLocal)), "");
}

TEST_F(IceLiteTest, AnswersChromiumsChecksAndSelectsOnUseCandidate) {
  const Bytes first = test::readTestData("webrtc/stun/chromium156_check.bin");
  const Bytes second = test::readTestData("webrtc/stun/chromium156_check_use_candidate.bin");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(stateAt(0s), State::New);

  const auto a = send(first, kPeer, 100ms);
  EXPECT_EQ(a.verdict, Verdict::Accepted);
  EXPECT_TRUE(a.validated);
  EXPECT_FALSE(a.nominated);
  EXPECT_FALSE(a.selectedChanged);
  EXPECT_FALSE(ice_.selectedAddress().has_value());
  EXPECT_TRUE(ice_.isValidAddress(kPeer));
  EXPECT_EQ(stateAt(100ms), State::Checking);
  const StunMessage ra = response(a, true);
  EXPECT_EQ(ra.messageClass(), StunClass::SuccessResponse);
  EXPECT_EQ(ra.method(), 0x001);
  EXPECT_EQ(ra.transactionId(), StunMessage::parse(first)->transactionId());
  EXPECT_EQ(ra.xorMappedAddress(), kPeer);

  const auto b = send(second, kPeer, 150ms);
  EXPECT_EQ(b.verdict, Verdict::Accepted);
  EXPECT_TRUE(b.nominated);
  EXPECT_TRUE(b.selectedChanged);
  EXPECT_EQ(ice_.selectedAddress(), kPeer);
  EXPECT_EQ(stateAt(150ms), State::Connected);
  EXPECT_EQ(response(b, true).xorMappedAddress(), kPeer);
}

TEST_F(IceLiteTest, NewFailsWhenNothingArrives) {
  EXPECT_EQ(stateAt(29s), State::New);
  EXPECT_EQ(ice_.nextTimeout(t0_), t0_ + 30s);
  EXPECT_EQ(stateAt(30s), State::Failed);
  EXPECT_FALSE(ice_.nextTimeout(t0_ + 30s).has_value());
  const auto late = send(check(true), kPeer, 31s);
  EXPECT_EQ(late.verdict, Verdict::Expired);
  EXPECT_TRUE(late.response.empty());
  EXPECT_EQ(stateAt(0s), State::Failed);  // latched
}

TEST_F(IceLiteTest, CheckingFailsWithoutNomination) {
  EXPECT_EQ(send(check(false), kPeer, 1s).verdict, Verdict::Accepted);
  EXPECT_EQ(stateAt(1s), State::Checking);
  EXPECT_EQ(send(check(false), kPeer, 20s).verdict, Verdict::Accepted);
  EXPECT_EQ(stateAt(29s), State::Checking);
  EXPECT_EQ(ice_.nextTimeout(t0_ + 29s), t0_ + 30s);
  EXPECT_EQ(stateAt(30s), State::Failed);
}

TEST_F(IceLiteTest, ConsentFreshnessTransitions) {
  ASSERT_TRUE(send(check(true), kPeer, 1s).selectedChanged);
  EXPECT_EQ(stateAt(1s), State::Connected);
  // Past the connect timeout: a selected pair keeps the session.
  EXPECT_EQ(send(check(true), kPeer, 25s).verdict, Verdict::Accepted);
  EXPECT_EQ(stateAt(34s), State::Connected);
  EXPECT_EQ(ice_.nextTimeout(t0_ + 34s), t0_ + 35s);
  EXPECT_EQ(stateAt(35s), State::Disconnected);
  EXPECT_EQ(ice_.nextTimeout(t0_ + 35s), t0_ + 55s);
  // A check from the selected address brings it back; USE-CANDIDATE is not needed for consent.
  const auto back = send(check(false), kPeer, 40s);
  EXPECT_EQ(back.verdict, Verdict::Accepted);
  EXPECT_FALSE(back.selectedChanged);
  EXPECT_EQ(stateAt(40s), State::Connected);
  EXPECT_EQ(stateAt(50s), State::Disconnected);
  EXPECT_EQ(stateAt(69s), State::Disconnected);
  // RFC 7675 §5.1: 30 s without consent: failed, for good.
  EXPECT_EQ(stateAt(70s), State::Failed);
  const auto late = send(check(true), kPeer, 71s);
  EXPECT_EQ(late.verdict, Verdict::Expired);
  EXPECT_TRUE(late.response.empty());
  EXPECT_EQ(stateAt(40s), State::Failed);
}

TEST_F(IceLiteTest, TimeoutsAreOptions) {
  IceLite ice(kLocal, t0_,
              IceLite::Options{.connectTimeout = 5s, .disconnectedTimeout = 2s, .consentTimeout = 4s});
  EXPECT_EQ(ice.state(t0_ + 5s), State::Failed);
  IceLite other(kLocal, t0_,
                IceLite::Options{.connectTimeout = 5s, .disconnectedTimeout = 2s, .consentTimeout = 4s});
  EXPECT_TRUE(other.handle(check(true), kPeer, t0_ + 1s).selectedChanged);
  EXPECT_EQ(other.state(t0_ + 2s), State::Connected);
  EXPECT_EQ(other.state(t0_ + 3s), State::Disconnected);
  EXPECT_EQ(other.state(t0_ + 5s), State::Failed);
}

TEST_F(IceLiteTest, OnlyTheSelectedAddressRefreshesConsent) {
  ASSERT_TRUE(send(check(true), kPeer, 0s).selectedChanged);
  // Checks from another address without USE-CANDIDATE validate it but neither move the
  // selection nor keep the selected pair alive while it is Connected.
  const auto other = send(check(false), kMovedPeer, 5s);
  EXPECT_EQ(other.verdict, Verdict::Accepted);
  EXPECT_FALSE(other.selectedChanged);
  EXPECT_TRUE(ice_.isValidAddress(kMovedPeer));
  EXPECT_EQ(ice_.selectedAddress(), kPeer);
  EXPECT_EQ(stateAt(10s), State::Disconnected);
}

TEST_F(IceLiteTest, UseCandidateFromAnotherAddressMovesTheSelection) {
  ASSERT_TRUE(send(check(true), kPeer, 0s).selectedChanged);
  const auto moved = send(check(true), kMovedPeer, 3s);
  EXPECT_TRUE(moved.nominated);
  EXPECT_TRUE(moved.selectedChanged);
  EXPECT_EQ(ice_.selectedAddress(), kMovedPeer);
  EXPECT_EQ(response(moved, true).xorMappedAddress(), kMovedPeer);
  // Nominating the same address again is not a change.
  EXPECT_FALSE(send(check(true), kMovedPeer, 4s).selectedChanged);
  EXPECT_EQ(stateAt(13s), State::Connected);
}

TEST_F(IceLiteTest, ADisconnectedSelectionMovesToTheAddressThatStillChecks) {
  // A peer that nominated once and whose NAT mapping then moved: its consent checks come from
  // a new address without USE-CANDIDATE.
  ASSERT_TRUE(send(check(true), kPeer, 0s).selectedChanged);
  EXPECT_EQ(stateAt(11s), State::Disconnected);
  const auto moved = send(check(false), kMovedPeer, 11s);
  EXPECT_TRUE(moved.selectedChanged);
  EXPECT_FALSE(moved.nominated);
  EXPECT_EQ(ice_.selectedAddress(), kMovedPeer);
  EXPECT_EQ(stateAt(11s), State::Connected);
}

TEST_F(IceLiteTest, RequestsWithoutCredentialsGet400) {
  const Bytes noIntegrity =
      StunMessage::Builder(0x001, StunClass::Request, StunMessage::randomTransactionId())
          .username("ocel:Dasc")
          .useCandidate()
          .finish("", true);
  const Bytes noUsername = StunMessage::Builder(0x001, StunClass::Request, StunMessage::randomTransactionId())
                               .useCandidate()
                               .finish(kLocal.pwd, true);
  for (const Bytes* b : {&noIntegrity, &noUsername}) {
    const auto out = send(*b, kPeer, 1s);
    EXPECT_EQ(out.verdict, Verdict::BadRequest);
    EXPECT_FALSE(out.validated);
    const StunMessage r = response(out, false);
    EXPECT_EQ(r.messageClass(), StunClass::ErrorResponse);
    EXPECT_EQ(r.errorCode()->code, 400);
    EXPECT_EQ(r.transactionId(), StunMessage::parse(*b)->transactionId());
  }
  EXPECT_EQ(stateAt(1s), State::New);
  EXPECT_FALSE(ice_.isValidAddress(kPeer));
}

TEST_F(IceLiteTest, WrongUsernameOrIntegrityGets401WithoutProcessing) {
  const auto request = [](std::string_view username, std::string_view password) {
    return StunMessage::bindingRequest({.transactionId = StunMessage::randomTransactionId(),
                                        .username = username,
                                        .password = password,
                                        .priority = 1,
                                        .iceControlling = 1,
                                        .useCandidate = true});
  };
  for (const Bytes& b :
       {request("other:Dasc", kLocal.pwd), request("ocel:Other", kLocal.pwd), request("ocel", kLocal.pwd),
        request("ocelx:Dasc", kLocal.pwd), request("ocel:Dasc", "wrongPassword0123456789")}) {
    const auto out = send(b, kPeer, 1s);
    EXPECT_EQ(out.verdict, Verdict::Unauthenticated);
    EXPECT_FALSE(out.validated);
    EXPECT_FALSE(out.nominated);
    EXPECT_EQ(response(out, false).errorCode()->code, 401);
  }
  EXPECT_EQ(stateAt(1s), State::New);
  EXPECT_FALSE(ice_.selectedAddress().has_value());
}

TEST_F(IceLiteTest, RemoteUfragIsCheckedOnlyOnceKnown) {
  IceLite ice(kLocal, t0_);
  const Bytes b = StunMessage::bindingRequest({.transactionId = StunMessage::randomTransactionId(),
                                               .username = "ocel:Whatever",
                                               .password = kLocal.pwd,
                                               .priority = 1,
                                               .iceControlling = 1,
                                               .useCandidate = true});
  EXPECT_EQ(ice.handle(b, kPeer, t0_).verdict, Verdict::Accepted);
  ASSERT_TRUE(ice.setRemoteCredentials("Dasc", "GDouHtT0s+ze0ucWiAmOSQmb").ok());
  EXPECT_EQ(ice.handle(b, kPeer, t0_).verdict, Verdict::Unauthenticated);
}

TEST_F(IceLiteTest, UnknownComprehensionRequiredAttributeGets420) {
  const std::uint8_t value[4] = {0, 0, 0, 1};
  const Bytes b = StunMessage::Builder(0x001, StunClass::Request, StunMessage::randomTransactionId())
                      .username("ocel:Dasc")
                      .attribute(0x0031, value)
                      .attribute(0xC057, value)
                      .iceControlling(1)
                      .useCandidate()
                      .priority(1)
                      .finish(kLocal.pwd);
  const auto out = send(b, kPeer, 1s);
  EXPECT_EQ(out.verdict, Verdict::UnknownAttribute);
  EXPECT_FALSE(out.validated);
  const StunMessage r = response(out, true);
  EXPECT_EQ(r.errorCode()->code, 420);
  EXPECT_EQ(r.unknownAttributesList(), std::vector<std::uint16_t>{0x0031});
  EXPECT_FALSE(ice_.selectedAddress().has_value());
}

TEST_F(IceLiteTest, PeerClaimingControlledGets487) {
  // RFC 8445 §7.3.1.1: the lite agent cannot become controlling, so the peer must.
  const Bytes b = StunMessage::bindingRequest({.transactionId = StunMessage::randomTransactionId(),
                                               .username = "ocel:Dasc",
                                               .password = kLocal.pwd,
                                               .priority = 1,
                                               .iceControlled = ~0ULL,
                                               .useCandidate = true});
  const auto out = send(b, kPeer, 1s);
  EXPECT_EQ(out.verdict, Verdict::RoleConflict);
  EXPECT_FALSE(out.nominated);
  EXPECT_EQ(response(out, true).errorCode()->code, 487);
  EXPECT_EQ(stateAt(1s), State::New);
}

TEST_F(IceLiteTest, BadFingerprintIsDroppedSilently) {
  Bytes b = check(true);
  b.back() ^= 1;
  const auto out = send(b, kPeer, 1s);
  EXPECT_EQ(out.verdict, Verdict::BadFingerprint);
  EXPECT_TRUE(out.response.empty());
  EXPECT_EQ(stateAt(1s), State::New);
}

TEST_F(IceLiteTest, CheckWithoutFingerprintIsAccepted) {
  const Bytes b = StunMessage::Builder(0x001, StunClass::Request, StunMessage::randomTransactionId())
                      .username("ocel:Dasc")
                      .iceControlling(1)
                      .useCandidate()
                      .priority(1)
                      .finish(kLocal.pwd, false);
  EXPECT_EQ(send(b, kPeer, 1s).verdict, Verdict::Accepted);
}

TEST_F(IceLiteTest, IgnoresWhatIsNotABindingRequest) {
  const StunTransactionId id = StunMessage::randomTransactionId();
  const Bytes indication = StunMessage::Builder(0x001, StunClass::Indication, id).finish("", true);
  const Bytes success = StunMessage::bindingSuccess(id, kPeer, kLocal.pwd);
  const Bytes allocate =
      StunMessage::Builder(0x003, StunClass::Request, id).username("ocel:Dasc").finish(kLocal.pwd);
  for (const Bytes* b : {&indication, &success, &allocate}) {
    const auto out = send(*b, kPeer, 1s);
    EXPECT_EQ(out.verdict, Verdict::Ignored);
    EXPECT_TRUE(out.response.empty());
  }
  const Bytes garbage = {0x00, 0x01, 0x00};
  EXPECT_EQ(send(garbage, kPeer, 1s).verdict, Verdict::Malformed);
  EXPECT_EQ(stateAt(1s), State::New);
}

TEST_F(IceLiteTest, AReplayedCheckDoesNotMoveTheSelection) {
  const StunTransactionId id = StunMessage::randomTransactionId();
  const Bytes b = check(true, id);
  EXPECT_TRUE(send(b, kPeer, 1s).selectedChanged);
  // A retransmission from the same address is answered again.
  EXPECT_EQ(send(b, kPeer, 1100ms).verdict, Verdict::Accepted);
  // The same transaction from elsewhere is a replay.
  const auto replay = send(b, kMovedPeer, 1200ms);
  EXPECT_EQ(replay.verdict, Verdict::Replayed);
  EXPECT_TRUE(replay.response.empty());
  EXPECT_EQ(ice_.selectedAddress(), kPeer);
  EXPECT_FALSE(ice_.isValidAddress(kMovedPeer));
}

TEST_F(IceLiteTest, MappedIpv6SourcesAreTakenAsIpv4) {
  const TransportAddress mapped = *TransportAddress::parse("[::ffff:192.0.2.7]:50000");
  const auto out = send(check(true), mapped, 1s);
  EXPECT_EQ(ice_.selectedAddress(), kPeer);
  EXPECT_EQ(response(out, true).xorMappedAddress(), kPeer);
  EXPECT_TRUE(ice_.isValidAddress(mapped));
  EXPECT_TRUE(ice_.isValidAddress(kPeer));
}

TEST_F(IceLiteTest, Ipv6Sources) {
  const TransportAddress v6 = *TransportAddress::parse("[2001:db8::7]:40000");
  const auto out = send(check(true), v6, 1s);
  EXPECT_EQ(ice_.selectedAddress(), v6);
  EXPECT_EQ(response(out, true).xorMappedAddress(), v6);
}

TEST_F(IceLiteTest, RememberedValidAddressesAreBounded) {
  for (std::uint16_t port = 1; port <= IceLite::kMaxValidAddresses + 2; ++port) {
    EXPECT_EQ(send(check(false), TransportAddress::ipv4({192, 0, 2, 9}, port), 1s).verdict,
              Verdict::Accepted);
  }
  EXPECT_FALSE(ice_.isValidAddress(TransportAddress::ipv4({192, 0, 2, 9}, 1)));
  EXPECT_FALSE(ice_.isValidAddress(TransportAddress::ipv4({192, 0, 2, 9}, 2)));
  EXPECT_TRUE(ice_.isValidAddress(TransportAddress::ipv4({192, 0, 2, 9}, 3)));
  EXPECT_TRUE(ice_.isValidAddress(TransportAddress::ipv4({192, 0, 2, 9}, IceLite::kMaxValidAddresses + 2)));
}

TEST_F(IceLiteTest, RemoteCredentialsAreSetOnce) {
  EXPECT_TRUE(ice_.setRemoteCredentials(kRemote.ufrag, kRemote.pwd).ok());  // the same again: fine
  const auto changed = ice_.setRemoteCredentials("Xxxx", kRemote.pwd);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, base::ErrorCode::InvalidState);
  EXPECT_EQ(ice_.remoteCredentials(), kRemote);
  EXPECT_EQ(ice_.localCredentials(), kLocal);

  IceLite fresh(kLocal, t0_);
  EXPECT_FALSE(fresh.remoteCredentials().has_value());
  for (const auto& [ufrag, pwd] :
       {std::pair{"", "pwd"}, std::pair{"uf", ""}, std::pair{"u:f", "pwd"}, std::pair{"uf", "pw d"}}) {
    const auto bad = fresh.setRemoteCredentials(ufrag, pwd);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, base::ErrorCode::InvalidArgument);
  }
  EXPECT_FALSE(fresh.setRemoteCredentials(std::string(257, 'a'), "pwd").ok());
  EXPECT_TRUE(fresh.setRemoteCredentials("a+/Z", "pwd").ok());
}

TEST_F(IceLiteTest, NamesForLogsAndMetrics) {
  EXPECT_EQ(IceLite::stateName(State::Disconnected), "disconnected");
  EXPECT_EQ(IceLite::verdictName(Verdict::RoleConflict), "role_conflict");
  EXPECT_EQ(IceLite::verdictName(Verdict::Accepted), "accepted");
}

}  // namespace
}  // namespace ocellus::proto::webrtc
