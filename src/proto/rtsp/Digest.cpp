#include "proto/rtsp/Digest.h"

#include <openssl/evp.h>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

std::string hexHash(DigestAlgorithm algorithm, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const EVP_MD* type = algorithm == DigestAlgorithm::Sha256 ? EVP_sha256() : EVP_md5();
  EVP_Digest(data.data(), data.size(), md, &length, type, nullptr);
  return toHex({md, length});
}

std::string join(std::initializer_list<std::string_view> parts) {
  std::string s;
  bool first = true;
  for (const auto part : parts) {
    if (!first) s += ':';
    first = false;
    s += part;
  }
  return s;
}

}  // namespace

std::optional<DigestAlgorithm> parseDigestAlgorithm(std::string_view name) {
  if (iequals(name, "MD5")) return DigestAlgorithm::Md5;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::Sha256;
  return std::nullopt;
}

std::string_view digestAlgorithmName(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Sha256 ? "SHA-256" : "MD5";
}

std::string digestHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                      std::string_view password) {
  return hexHash(algorithm, join({username, realm, password}));
}

std::string digestResponse(const DigestInput& in) {
  const std::string ha1 = in.ha1.empty() ? digestHa1(in.algorithm, in.username, in.realm, in.password) : std::string(in.ha1);
  const std::string ha2 = hexHash(in.algorithm, join({in.method, in.uri}));
  if (in.qop.empty()) return hexHash(in.algorithm, join({ha1, in.nonce, ha2}));
  return hexHash(in.algorithm, join({ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2}));
}

}  // namespace ocellus::proto::rtsp
