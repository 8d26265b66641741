#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::auth {

// Password storage: argon2id through libsodium's crypto_pwhash_str (the string carries the
// algorithm, salt and limits, so old hashes stay verifiable when the limits change), and the
// RTSP Digest H(A1) values (RFC 7616 §3.4.2), which cannot be derived from the argon2 hash.
// Stateless and thread-safe. Hashing takes tens of milliseconds and `memLimit` bytes of RAM
// at the interactive limits: call it off any event loop.
class Password {
 public:
  struct Limits {
    std::uint64_t opsLimit;
    std::size_t memLimit;
  };
  // crypto_pwhash_{OPS,MEM}LIMIT_INTERACTIVE: the production default.
  static Limits interactive();
  // crypto_pwhash_{OPS,MEM}LIMIT_MIN: for tests only.
  static Limits minimum();

  // Longer passwords are refused before hashing, so a request cannot buy unbounded work.
  static constexpr std::size_t kMaxLength = 1024;
  // The realm every RTSP Digest challenge of Ocellus names.
  static constexpr std::string_view kRealm = "ocellus";

  // InvalidArgument for a password over kMaxLength; Internal if libsodium cannot allocate.
  static base::Result<std::string> hash(std::string_view password, Limits limits);
  // False for a wrong password and for anything that is not a crypto_pwhash_str string.
  static bool verify(std::string_view storedHash, std::string_view password);
  // True when storedHash was made with other limits (or another algorithm) than `limits`:
  // rehash after a successful login.
  static bool needsRehash(std::string_view storedHash, Limits limits);

  // H(A1) = H(username ":" realm ":" password), lowercase hex (RFC 7616 §3.4.2, RFC 2617 §3.2.2.2).
  struct DigestHa1 {
    std::string md5;
    std::string sha256;
  };
  static DigestHa1 digestHa1(std::string_view username, std::string_view realm, std::string_view password);
};

}  // namespace ocellus::auth
