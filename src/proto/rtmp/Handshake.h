#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::rtmp {

// The server side of the RTMP handshake (RTMP specification 1.0 §5.2), sans I/O:
//
//   client                              server
//   C0 (1 byte: version 3) + C1 (1536) ──►
//                                      ◄── S0 (3) + S1 (1536) + S2 (1536)
//   C2 (1536)                          ──►   then the chunk stream starts
//
// C1/S1 are time(4) zero-or-version(4) random(1528). Flash-era clients and FFmpeg send the
// "complex" handshake instead: C1 carries an HMAC-SHA256 digest keyed with the Flash Player
// key at one of two offset schemes (the offset derived from 4 bytes at 8 or at 772); a server
// that answers it proves itself with a digest S1 (Flash Media Server key, same scheme) and an
// S2 whose last 32 bytes are HMAC-SHA256 keyed with HMAC-SHA256(C1 digest, full FMS key).
// FFmpeg as a player checks both, so a digest C1 is answered with a digest S1/S2; a C1
// without a valid digest gets the plain answer (S2 = echo of C1). C2 is read and not checked:
// clients disagree on what it holds, and nothing in it protects anything.
//
// feed() takes whatever bytes arrived and reports how many it consumed; bytes past C2 belong
// to the chunk stream and are left to the caller. Partial input is kept until it completes.
class Handshake {
 public:
  static constexpr std::uint8_t kVersion = 3;
  static constexpr std::size_t kPacketSize = 1536;  // C1, C2, S1, S2
  static constexpr std::size_t kDigestSize = 32;    // SHA-256

  enum class State { WaitC0C1, WaitC2, Done };
  // Where the digest lies (§ "complex handshake", as implemented by Flash and FFmpeg):
  // scheme 0 keys its offset on bytes 8..11, scheme 1 on bytes 772..775.
  enum class Scheme { Plain, Digest0, Digest1 };

  Handshake() = default;

  // Consumes bytes of C0/C1/C2; appends S0+S1+S2 to out once C1 is complete. Returns how
  // many bytes were consumed (fewer than given once Done). Errors: version other than 3.
  base::Result<std::size_t> feed(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out);

  State state() const { return state_; }
  bool done() const { return state_ == State::Done; }
  // How the client's C1 was answered (meaningful once S0/S1/S2 are produced).
  Scheme scheme() const { return scheme_; }

  // The digest offset a 1536-byte block would use under a digest scheme.
  static std::size_t digestOffset(std::span<const std::uint8_t, kPacketSize> block, Scheme scheme);
  // HMAC-SHA256 over the block without its 32 digest bytes at offset.
  static std::array<std::uint8_t, kDigestSize> computeDigest(std::span<const std::uint8_t, kPacketSize> block,
                                                             std::size_t offset,
                                                             std::span<const std::uint8_t> key);
  // Writes the digest of a block into it under a scheme (clients in tests, and S1).
  static void imprintDigest(std::span<std::uint8_t, kPacketSize> block, Scheme scheme,
                            std::span<const std::uint8_t> key);
  // Which digest scheme validates the block under key, trying scheme 1 then 0 as FFmpeg does.
  static Scheme findDigest(std::span<const std::uint8_t, kPacketSize> block, std::span<const std::uint8_t> key);

  // The well-known keys: the Flash Player key (30-byte open part signs C1) and the Flash
  // Media Server key (36-byte open part signs S1; all 68 bytes derive the S2 key).
  static std::span<const std::uint8_t> playerKey(bool full);
  static std::span<const std::uint8_t> serverKey(bool full);

 private:
  void answer(std::vector<std::uint8_t>& out);

  State state_ = State::WaitC0C1;
  Scheme scheme_ = Scheme::Plain;
  std::array<std::uint8_t, 1 + kPacketSize> c0c1_{};
  std::size_t have_ = 0;  // bytes of the current stage (C0C1 or C2) received
};

}  // namespace ocellus::proto::rtmp
