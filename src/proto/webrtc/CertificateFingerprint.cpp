#include "proto/webrtc/CertificateFingerprint.h"

#include <array>
#include <cctype>
#include <utility>

#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

// RFC 8122 §5 hash functions from RFC 3279 / RFC 4055 and their digest sizes.
constexpr std::array<std::pair<std::string_view, std::size_t>, 5> kHashes{{
    {"sha-1", 20},
    {"sha-224", 28},
    {"sha-256", 32},
    {"sha-384", 48},
    {"sha-512", 64},
}};

}  // namespace

base::Result<CertificateFingerprint> CertificateFingerprint::parse(std::string_view attributeValue) {
  const auto fields = splitFields(attributeValue);
  if (fields.size() != 2)
    return base::makeError(base::ErrorCode::Malformed, "fingerprint: expected <hash> <value>");
  const std::string algorithm = toLower(fields[0]);
  std::size_t size = 0;
  for (const auto& [name, digestSize] : kHashes) {
    if (algorithm == name) size = digestSize;
  }
  if (size == 0) {
    return base::makeError(base::ErrorCode::Unsupported, "fingerprint: unsupported hash function '" +
                                                             std::string(fields[0].substr(0, 16)) + "'");
  }
  // 2HEX *(":" 2HEX): size pairs, size - 1 colons.
  const std::string_view hex = fields[1];
  if (hex.size() != size * 3 - 1)
    return base::makeError(base::ErrorCode::Malformed, "fingerprint: wrong length");
  CertificateFingerprint fp{algorithm, std::string(hex)};
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const bool colon = i % 3 == 2;
    if (colon ? hex[i] != ':' : hexDigitValue(hex[i]) < 0) {
      return base::makeError(base::ErrorCode::Malformed, "fingerprint: expected hex pairs separated by ':'");
    }
    fp.value[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return fp;
}

std::string CertificateFingerprint::toString() const {
  return algorithm + " " + value;
}

std::vector<std::uint8_t> CertificateFingerprint::bytes() const {
  std::vector<std::uint8_t> out;
  if (value.size() % 3 != 2) return out;
  for (std::size_t i = 0; i + 1 < value.size(); i += 3) {
    const int hi = hexDigitValue(value[i]);
    const int lo = hexDigitValue(value[i + 1]);
    if (hi < 0 || lo < 0 || (i + 2 < value.size() && value[i + 2] != ':')) return {};
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

}  // namespace ocellus::proto::webrtc
