#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::webrtc {

// The value of "a=fingerprint:<hash-func> <fingerprint>" (RFC 8122 §5): the hash of the DTLS
// certificate a peer will present, e.g. "sha-256 E2:D9:...:0A". The DTLS handshake checks the
// peer's certificate against it (RFC 8842 §5.1).
struct CertificateFingerprint {
  std::string algorithm;  // lower case: "sha-1", "sha-224", "sha-256", "sha-384", "sha-512"
  std::string value;      // upper-case hex byte pairs joined by ':'

  // Hash functions other than the SHA family above (md5, md2: RFC 8122 §5 forbids them) are
  // Unsupported; a value that is not hex pairs of the hash's length is Malformed. Hex digits
  // may be either case (UHEX in the grammar, but implementations differ); they come out upper.
  static base::Result<CertificateFingerprint> parse(std::string_view attributeValue);
  // "sha-256 AB:CD:..."
  std::string toString() const;
  // The digest bytes (empty when value is not well formed).
  std::vector<std::uint8_t> bytes() const;

  bool operator==(const CertificateFingerprint&) const = default;
};

}  // namespace ocellus::proto::webrtc
