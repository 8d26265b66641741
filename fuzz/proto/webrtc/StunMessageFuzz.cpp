// Parses arbitrary bytes as a STUN message and calls every accessor: every attribute must lie
// inside the input. Verifies MESSAGE-INTEGRITY under a fixed key and FINGERPRINT, then writes
// the attributes again through the builder with a fresh MESSAGE-INTEGRITY and FINGERPRINT:
// the result must parse to the same attributes and verify. Last, an IceLite agent handles the
// input: whatever it answers must be a well-formed, fingerprinted STUN message.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/ByteReader.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/StunMessage.h"

using namespace ocellus::proto::webrtc;

namespace {

// The credentials of the Chromium captures in the seed corpus, so that mutations of those
// reach the agent's authenticated paths.
constexpr std::string_view kUfrag = "ocel";
constexpr std::string_view kPassword = "ocellusTestPassword0123456";

void check(bool condition) {
  if (!condition) std::abort();
}

bool inside(std::span<const std::uint8_t> part, const std::uint8_t* data, std::size_t size) {
  return part.data() >= data && part.data() + part.size() <= data + size;
}

void callAccessors(const StunMessage& m, const std::uint8_t* data, std::size_t size) {
  check(StunMessage::looksLikeStun(m.bytes()) == (data[0] <= 3));  // RFC 7983 takes methods below 0x100
  check(m.method() <= 0xFFF);
  check(m.isBindingRequest() == (m.method() == 1 && m.messageClass() == StunClass::Request));
  check(std::memcmp(m.transactionId().data(), data + 8, 12) == 0);
  for (std::size_t i = 0; i < m.attributeCount(); ++i) check(inside(m.attributeAt(i).value, data, size));
  for (const std::uint16_t type : m.unknownRequiredAttributes()) check(type < 0x8000 && m.attribute(type));
  if (const auto v = m.username()) check(v->size() <= StunMessage::kMaxUsernameSize);
  if (const auto v = m.software()) check(v->size() <= StunMessage::kMaxTextSize);
  if (const auto e = m.errorCode()) check(e->code >= 300 && e->code <= 699);
  const std::size_t unknownListed = m.unknownAttributesList().size();
  if (const auto a = m.xorMappedAddress()) check(!a->toString().empty());
  if (const auto a = m.mappedAddress()) check(!a->toString().empty());
  const auto priority = m.priority();
  const auto controlling = m.iceControlling();
  const auto controlled = m.iceControlled();
  (void)unknownListed, (void)priority, (void)controlling, (void)controlled, (void)m.useCandidate();
  check(!m.verifyMessageIntegrity(kPassword) || m.hasMessageIntegrity());
  check(!m.verifyFingerprint() || m.hasFingerprint());
  if (const auto ufrag = IceLite::localUfragOf(m)) check(inside(ocellus::base::asBytes(*ufrag), data, size));
}

void rebuild(const StunMessage& m) {
  StunMessage::Builder builder(m.method(), m.messageClass(), m.transactionId());
  std::vector<StunMessage::Attribute> kept;
  for (std::size_t i = 0; i < m.attributeCount(); ++i) {
    const auto a = m.attributeAt(i);
    if (a.type == static_cast<std::uint16_t>(StunAttribute::MessageIntegrity) ||
        a.type == static_cast<std::uint16_t>(StunAttribute::MessageIntegritySha256) ||
        a.type == static_cast<std::uint16_t>(StunAttribute::Fingerprint)) {
      continue;
    }
    builder.attribute(a.type, a.value);
    kept.push_back(a);
  }
  const std::vector<std::uint8_t> bytes = builder.finish(kPassword);
  if (bytes.size() > StunMessage::kMaxMessageSize || kept.size() + 2 > StunMessage::kMaxAttributes) return;
  const auto again = StunMessage::parse(bytes);
  check(again.ok());
  check(again->method() == m.method() && again->messageClass() == m.messageClass());
  check(again->transactionId() == m.transactionId());
  check(again->attributeCount() == kept.size() + 2);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto a = again->attributeAt(i);
    check(a.type == kept[i].type && a.value.size() == kept[i].value.size());
    check(a.value.empty() || std::memcmp(a.value.data(), kept[i].value.data(), a.value.size()) == 0);
  }
  check(again->verifyMessageIntegrity(kPassword));
  check(again->verifyFingerprint());
  const auto before = m.unknownRequiredAttributes();
  const auto after = again->unknownRequiredAttributes();
  check(std::equal(before.begin(), before.end(), after.begin(), after.end()));
  check(again->username() == m.username() && again->priority() == m.priority());
  check(again->xorMappedAddress() == m.xorMappedAddress());
}

void feedAgent(std::span<const std::uint8_t> datagram, bool parsed) {
  const auto t0 = IceLite::TimePoint{} + std::chrono::seconds(1000);
  IceLite ice({std::string(kUfrag), std::string(kPassword)}, t0);
  check(ice.setRemoteCredentials("Dasc", "GDouHtT0s+ze0ucWiAmOSQmb").ok());
  const TransportAddress from = TransportAddress::ipv4({192, 0, 2, 7}, 50000);
  const auto out = ice.handle(datagram, from, t0 + std::chrono::seconds(1));
  check(parsed == (out.verdict != IceLite::Verdict::Malformed));
  check(out.validated == (out.verdict == IceLite::Verdict::Accepted));
  check(!out.selectedChanged || ice.selectedAddress() == from);
  if (!out.response.empty()) {
    const auto response = StunMessage::parse(out.response);
    check(response.ok());
    check(response->verifyFingerprint());
    check(!response->hasMessageIntegrity() || response->verifyMessageIntegrity(kPassword));
    if (out.verdict == IceLite::Verdict::Accepted) check(response->xorMappedAddress() == from);
  }
  const auto state = ice.state(t0 + std::chrono::seconds(2));
  check(out.validated == (state != IceLite::State::New));
  (void)ice.nextTimeout(t0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const auto m = StunMessage::parse(input);
  if (m) {
    callAccessors(*m, data, size);
    rebuild(*m);
  }
  feedAgent(input, m.ok());
  return 0;
}
