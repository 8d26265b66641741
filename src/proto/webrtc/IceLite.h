#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "proto/webrtc/StunMessage.h"
#include "proto/webrtc/TransportAddress.h"

namespace ocellus::proto::webrtc {

// An ICE username fragment and password (RFC 8445 §5.3; ice-char strings, RFC 8839 §5.4).
struct IceCredentials {
  std::string ufrag;
  std::string pwd;
  friend bool operator==(const IceCredentials&, const IceCredentials&) = default;
};

// The server side of ICE for one WebRTC session: a lite agent (RFC 8445 §2.5), always in the
// controlled role (§6.1.1), that sends no checks and answers the peer's. Sans-I/O: handle()
// takes a STUN message and where it came from and returns the bytes to send back to that
// address with what happened; time is passed in, never read. One executor: not thread-safe.
//
// What it does with a Binding request, in order (RFC 8489 §9.1.3, §6.3.1; RFC 8445 §7.3):
//   FINGERPRINT present and wrong            → dropped, no answer (RFC 8489 §6.3, §7)
//   no USERNAME or no MESSAGE-INTEGRITY      → 400, without MESSAGE-INTEGRITY
//   USERNAME not "<local ufrag>:<remote ufrag>" (the remote part checked once known)
//                                            → 401, without MESSAGE-INTEGRITY
//   MESSAGE-INTEGRITY wrong under local pwd  → 401, without MESSAGE-INTEGRITY, not processed
//   unknown comprehension-required attribute → 420 with UNKNOWN-ATTRIBUTES
//   ICE-CONTROLLED (the peer thinks it is controlled too; a lite agent cannot take the
//   controlling role, so the peer must switch, §7.3.1.1)  → 487
//   a transaction id seen from another address → dropped (a replayed check must not move the
//                                                 selected address)
//   otherwise → success with XOR-MAPPED-ADDRESS (§7.3.1.2): the pair is valid (§7.3.2)
// Every answer from 420 on carries MESSAGE-INTEGRITY under the local pwd; all carry FINGERPRINT.
//
// Nomination (§7.3.2, §8.2): a lite agent considers a pair nominated when it accepts a
// check carrying USE-CANDIDATE, and that pair is selected. Browsers send USE-CANDIDATE to a
// lite agent (Chromium from its second check on), so a valid check without it does not select
// a pair by itself. A later USE-CANDIDATE from another address moves the selection (the peer's
// NAT mapping moved, or it renominated); so does a valid check without it while the selected
// address is Disconnected, for peers that nominate once and then only refresh consent.
//
// state(): New (no valid check) → Checking (valid checks, none nominated) → Connected (a
// selected address whose last valid check is younger than disconnectedTimeout) ⇄
// Disconnected → Failed when consent expires (RFC 7675 §5.1: no valid check from the selected
// address for consentTimeout) or nothing was nominated within connectTimeout. Failed is final:
// later requests are dropped and the session needs a new agent (an ICE restart).
class IceLite {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  static constexpr std::size_t kGeneratedUfragSize = 16;  // RFC 8839 §5.4: at least 4 ice-chars
  static constexpr std::size_t kGeneratedPwdSize = 32;    // RFC 8839 §5.4: at least 22 ice-chars
  static constexpr std::size_t kMaxCredentialSize = 256;  // RFC 8839 §5.4
  static constexpr std::size_t kMaxValidAddresses = 8;    // the oldest is forgotten beyond this
  static constexpr std::size_t kRecentTransactions = 16;  // remembered for replay detection

  struct Options {
    Duration connectTimeout = std::chrono::seconds(30);
    Duration disconnectedTimeout = std::chrono::seconds(10);
    Duration consentTimeout = std::chrono::seconds(30);  // RFC 7675 §5.1
  };

  enum class State : std::uint8_t { New, Checking, Connected, Disconnected, Failed };

  // What handle() did; the names double as metric labels (verdictName()).
  enum class Verdict : std::uint8_t {
    Accepted,          // success response: a valid check
    BadRequest,        // 400 sent
    Unauthenticated,   // 401 sent
    UnknownAttribute,  // 420 sent
    RoleConflict,      // 487 sent
    Ignored,           // not a Binding request (indication, response, other method): no answer
    Malformed,         // not a well-formed STUN message (the datagram overload): no answer
    BadFingerprint,    // dropped
    Replayed,          // dropped
    Expired,           // dropped: the agent has failed
  };

  struct Outcome {
    std::vector<std::uint8_t> response;  // to send to the request's source; empty: send nothing
    Verdict verdict = Verdict::Ignored;
    bool validated = false;        // the check succeeded: the source is a valid remote address
    bool nominated = false;        // ... and carried USE-CANDIDATE
    bool selectedChanged = false;  // selectedAddress() became the source (first selection included)
  };

  // local: this session's credentials, as put in the SDP answer (generateCredentials()).
  // createdAt starts the connect timeout.
  IceLite(IceCredentials local, TimePoint createdAt, Options options);
  IceLite(IceCredentials local, TimePoint createdAt);  // default Options

  // A fresh ufrag (kGeneratedUfragSize) and pwd (kGeneratedPwdSize) of ice-chars
  // (ALPHA / DIGIT / "+" / "/") drawn from OpenSSL's CSPRNG; an error only if it fails.
  // The server picks the ufrag, so it must also check it against the sessions it routes to.
  static base::Result<IceCredentials> generateCredentials();

  // The part of USERNAME before ':' — in a check sent to us, our ufrag (RFC 8445 §7.2.2) — by
  // which the server routes a session's first packet on the shared port. nullopt without
  // USERNAME or ':'. The view points into the message's bytes.
  static std::optional<std::string_view> localUfragOf(const StunMessage& message);

  static std::string_view stateName(State state);
  static std::string_view verdictName(Verdict verdict);

  const IceCredentials& localCredentials() const { return local_; }
  const std::optional<IceCredentials>& remoteCredentials() const { return remote_; }
  // The peer's ice-ufrag and ice-pwd from its SDP, whenever they become known. Once set they
  // cannot change (trickle keeps them; an ICE restart makes a new agent): InvalidState if
  // different, InvalidArgument unless 1..256 ice-chars. A lite agent sends no checks, so the
  // pwd is kept only for the record; the ufrag is checked in USERNAME.
  base::Status setRemoteCredentials(std::string_view ufrag, std::string_view pwd);

  // `from` as the socket reported it; an IPv4-mapped IPv6 address is taken as IPv4.
  Outcome handle(const StunMessage& message, const TransportAddress& from, TimePoint now);
  // The same for a datagram the demultiplexer took for STUN (StunMessage::looksLikeStun).
  Outcome handle(std::span<const std::uint8_t> datagram, const TransportAddress& from, TimePoint now);

  State state(TimePoint now) const;
  // When state() next changes if nothing arrives; nullopt once Failed. For the server's timer.
  std::optional<TimePoint> nextTimeout(TimePoint now) const;
  // The remote address media goes to: that of the selected pair, once nominated.
  const std::optional<TransportAddress>& selectedAddress() const { return selected_; }
  // Whether a valid check came from this address (one of the last kMaxValidAddresses): the
  // server may take DTLS, SRTP and SRTCP from these only.
  bool isValidAddress(const TransportAddress& address) const;

 private:
  struct Recent {
    StunTransactionId id{};
    TransportAddress from;
  };

  bool usernameMatches(std::string_view username) const;
  bool isReplay(const StunTransactionId& id, const TransportAddress& from) const;
  void remember(const StunTransactionId& id, const TransportAddress& from);
  void addValid(const TransportAddress& address);
  Outcome reject(const StunMessage& message, Verdict verdict, std::uint16_t code, bool authenticated) const;

  IceCredentials local_;
  std::optional<IceCredentials> remote_;
  Options options_;
  TimePoint createdAt_;
  TimePoint lastConsent_{};  // the last valid check from selected_
  std::optional<TransportAddress> selected_;
  std::vector<TransportAddress> valid_;  // oldest first
  std::array<Recent, kRecentTransactions> recent_{};
  std::size_t recentCount_ = 0;
  std::size_t recentNext_ = 0;
  bool checked_ = false;  // a valid check has arrived
  bool failed_ = false;
};

}  // namespace ocellus::proto::webrtc
