#include "proto/webrtc/IceLite.h"

#include <openssl/rand.h>

#include <algorithm>
#include <utility>

namespace ocellus::proto::webrtc {
namespace {

// ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4): 64 characters, so 6 random bits pick one
// uniformly.
constexpr std::string_view kIceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool isIceChars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return kIceChars.find(c) != std::string_view::npos; });
}

}  // namespace

IceLite::IceLite(IceCredentials local, TimePoint createdAt, Options options)
    : local_(std::move(local)), options_(options), createdAt_(createdAt) {}

IceLite::IceLite(IceCredentials local, TimePoint createdAt)
    : IceLite(std::move(local), createdAt, Options{}) {}

base::Result<IceCredentials> IceLite::generateCredentials() {
  std::array<std::uint8_t, kGeneratedUfragSize + kGeneratedPwdSize> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return base::makeError(base::ErrorCode::Internal, "ice: the CSPRNG failed");
  }
  IceCredentials c;
  for (std::size_t i = 0; i < random.size(); ++i) {
    (i < kGeneratedUfragSize ? c.ufrag : c.pwd) += kIceChars[random[i] & 0x3F];
  }
  return c;
}

std::optional<std::string_view> IceLite::localUfragOf(const StunMessage& message) {
  const auto username = message.username();
  if (!username) return std::nullopt;
  const auto colon = username->find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return username->substr(0, colon);
}

std::string_view IceLite::stateName(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Checking:
      return "checking";
    case State::Connected:
      return "connected";
    case State::Disconnected:
      return "disconnected";
    case State::Failed:
      return "failed";
  }
  return "unknown";
}

std::string_view IceLite::verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::Accepted:
      return "accepted";
    case Verdict::BadRequest:
      return "bad_request";
    case Verdict::Unauthenticated:
      return "unauthenticated";
    case Verdict::UnknownAttribute:
      return "unknown_attribute";
    case Verdict::RoleConflict:
      return "role_conflict";
    case Verdict::Ignored:
      return "ignored";
    case Verdict::Malformed:
      return "malformed";
    case Verdict::BadFingerprint:
      return "bad_fingerprint";
    case Verdict::Replayed:
      return "replayed";
    case Verdict::Expired:
      return "expired";
  }
  return "unknown";
}

base::Status IceLite::setRemoteCredentials(std::string_view ufrag, std::string_view pwd) {
  if (ufrag.empty() || pwd.empty() || ufrag.size() > kMaxCredentialSize || pwd.size() > kMaxCredentialSize ||
      !isIceChars(ufrag) || !isIceChars(pwd)) {
    return base::makeError(base::ErrorCode::InvalidArgument, "ice: ufrag and pwd must be 1 to 256 ice-chars");
  }
  if (remote_) {
    if (remote_->ufrag == ufrag && remote_->pwd == pwd) return {};
    return base::makeError(base::ErrorCode::InvalidState, "ice: the remote credentials are already set");
  }
  remote_ = IceCredentials{std::string(ufrag), std::string(pwd)};
  return {};
}

bool IceLite::usernameMatches(std::string_view username) const {
  // RFC 8445 §7.2.2: the checking agent writes "<receiver's ufrag>:<its own ufrag>"; §7.3 takes
  // the first part as the test of validity. The second part is compared once the SDP gave it.
  const auto colon = username.find(':');
  if (colon == std::string_view::npos || username.substr(0, colon) != local_.ufrag) return false;
  return !remote_ || username.substr(colon + 1) == remote_->ufrag;
}

bool IceLite::isReplay(const StunTransactionId& id, const TransportAddress& from) const {
  for (std::size_t i = 0; i < recentCount_; ++i) {
    if (recent_[i].id == id && recent_[i].from != from) return true;
  }
  return false;
}

void IceLite::remember(const StunTransactionId& id, const TransportAddress& from) {
  for (std::size_t i = 0; i < recentCount_; ++i) {
    if (recent_[i].id == id) return;  // a retransmission
  }
  recent_[recentNext_] = {id, from};
  recentNext_ = (recentNext_ + 1) % recent_.size();
  recentCount_ = std::min(recentCount_ + 1, recent_.size());
}

void IceLite::addValid(const TransportAddress& address) {
  const auto it = std::find(valid_.begin(), valid_.end(), address);
  if (it != valid_.end()) valid_.erase(it);
  if (valid_.size() == kMaxValidAddresses) valid_.erase(valid_.begin());
  valid_.push_back(address);
}

bool IceLite::isValidAddress(const TransportAddress& address) const {
  return std::find(valid_.begin(), valid_.end(), address.unmapped()) != valid_.end();
}

IceLite::Outcome IceLite::reject(const StunMessage& message, Verdict verdict, std::uint16_t code,
                                 bool authenticated) const {
  Outcome out;
  out.verdict = verdict;
  out.response = StunMessage::bindingError(
      message.transactionId(), code, authenticated ? std::string_view(local_.pwd) : std::string_view(),
      code == 420 ? message.unknownRequiredAttributes() : std::span<const std::uint16_t>());
  return out;
}

IceLite::Outcome IceLite::handle(std::span<const std::uint8_t> datagram, const TransportAddress& from,
                                 TimePoint now) {
  const auto message = StunMessage::parse(datagram);
  if (!message) {
    Outcome out;
    out.verdict = Verdict::Malformed;
    return out;
  }
  return handle(*message, from, now);
}

IceLite::Outcome IceLite::handle(const StunMessage& message, const TransportAddress& from, TimePoint now) {
  Outcome out;
  if (state(now) == State::Failed) {
    failed_ = true;
    out.verdict = Verdict::Expired;
    return out;
  }
  // A lite agent sends no requests (§2.5), so it has no responses to read either.
  if (!message.isBindingRequest()) return out;
  // RFC 8489 §6.3, §7: a FINGERPRINT that does not verify means the datagram is not STUN.
  if (message.hasFingerprint() && !message.verifyFingerprint()) {
    out.verdict = Verdict::BadFingerprint;
    return out;
  }
  // RFC 8489 §9.1.3: the short-term credential checks, answered without MESSAGE-INTEGRITY.
  const auto username = message.username();
  if (!username || !message.hasMessageIntegrity()) return reject(message, Verdict::BadRequest, 400, false);
  if (!usernameMatches(*username) || !message.verifyMessageIntegrity(local_.pwd)) {
    return reject(message, Verdict::Unauthenticated, 401, false);
  }
  // Authenticated from here: every answer carries MESSAGE-INTEGRITY (§9.1.3).
  if (!message.unknownRequiredAttributes().empty())
    return reject(message, Verdict::UnknownAttribute, 420, true);
  // RFC 8445 §7.3.1.1: a controlled agent receiving ICE-CONTROLLED compares tie-breakers and may
  // take the controlling role; a lite agent never can (§6.1.1), so the peer must: 487.
  if (message.iceControlled()) return reject(message, Verdict::RoleConflict, 487, true);

  const TransportAddress source = from.unmapped();
  const StunTransactionId id = message.transactionId();
  if (isReplay(id, source)) {
    out.verdict = Verdict::Replayed;
    return out;
  }
  remember(id, source);

  // RFC 8445 §7.3.1.2 / RFC 8489 §12: the success response reflects the source address.
  out.response = StunMessage::bindingSuccess(id, source, local_.pwd);
  out.verdict = Verdict::Accepted;
  out.validated = true;
  out.nominated = message.useCandidate();
  checked_ = true;
  addValid(source);
  const bool selectedSilent = selected_ && state(now) == State::Disconnected;
  if (selected_ != source && (out.nominated || selectedSilent)) {
    selected_ = source;
    out.selectedChanged = true;
  }
  // RFC 7675 §5.1: consent is refreshed by a valid check on the selected pair.
  if (selected_ == source) lastConsent_ = now;
  return out;
}

IceLite::State IceLite::state(TimePoint now) const {
  if (failed_) return State::Failed;
  if (!selected_) {
    if (now - createdAt_ >= options_.connectTimeout) return State::Failed;
    return checked_ ? State::Checking : State::New;
  }
  const Duration silence = now - lastConsent_;
  if (silence >= options_.consentTimeout) return State::Failed;
  if (silence >= options_.disconnectedTimeout) return State::Disconnected;
  return State::Connected;
}

std::optional<IceLite::TimePoint> IceLite::nextTimeout(TimePoint now) const {
  switch (state(now)) {
    case State::Failed:
      return std::nullopt;
    case State::New:
    case State::Checking:
      return createdAt_ + options_.connectTimeout;
    case State::Connected:
      return lastConsent_ + std::min(options_.disconnectedTimeout, options_.consentTimeout);
    case State::Disconnected:
      return lastConsent_ + options_.consentTimeout;
  }
  return std::nullopt;
}

}  // namespace ocellus::proto::webrtc
