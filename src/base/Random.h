#pragma once

#include <cstdint>
#include <string>

namespace ocellus::base {

// Fast non-cryptographic randomness (SSRCs, initial sequence numbers, jitter), per thread,
// seeded from the OS. Secrets and nonces use OpenSSL's RAND_bytes instead.
std::uint64_t randomU64();
inline std::uint32_t randomU32() { return static_cast<std::uint32_t>(randomU64()); }
// A uniformly distributed double in [0, 1).
double randomUnit();
// `length` lowercase hex digits.
std::string randomHex(std::size_t length);

}  // namespace ocellus::base
