#include "proto/rtsp/ServerAuth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "base/Base64.h"
#include "base/ByteWriter.h"
#include "proto/rtsp/AuthHeader.h"
#include "proto/rtsp/Digest.h"
#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

constexpr std::size_t kSecretSize = 32;
constexpr std::size_t kMacSize = 16;                   // HMAC-SHA-256 truncated to 128 bits
constexpr std::size_t kNonceSize = 16 + 2 * kMacSize;  // hex issue time, hex MAC
constexpr std::chrono::seconds kClockSkew{60};

bool equalConstantTime(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::int64_t unixSeconds(base::WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

base::Error denied(std::string message) {
  return base::makeError(base::ErrorCode::Unauthorized, std::move(message));
}

bool sameUri(std::string_view a, std::string_view b) {
  if (a.ends_with('/')) a.remove_suffix(1);
  if (b.ends_with('/')) b.remove_suffix(1);
  return a == b;
}

}  // namespace

ServerAuth::ServerAuth(Options options) : options_(std::move(options)) {
  if (options_.secret.empty()) {
    options_.secret.resize(kSecretSize);
    RAND_bytes(options_.secret.data(), static_cast<int>(options_.secret.size()));
  }
}

std::string ServerAuth::makeNonce(std::int64_t issuedAt) const {
  std::vector<std::uint8_t> time;
  base::ByteWriter(time).u64(static_cast<std::uint64_t>(issuedAt));
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
  std::size_t macLength = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, options_.secret.data(), options_.secret.size(),
            time.data(), time.size(), mac.data(), mac.size(), &macLength);
  return toHex(time) + toHex(std::span(mac).first(kMacSize));
}

bool ServerAuth::nonceFresh(std::string_view nonce, base::WallTime now) const {
  if (nonce.size() != kNonceSize) return false;
  const auto issuedAt = parseUnsigned<std::uint64_t>(nonce.substr(0, 16), 16);
  if (!issuedAt || !equalConstantTime(makeNonce(static_cast<std::int64_t>(*issuedAt)), nonce)) return false;
  const auto age = unixSeconds(now) - static_cast<std::int64_t>(*issuedAt);
  return age >= -kClockSkew.count() && age <= options_.nonceLifetime.count();
}

std::vector<std::string> ServerAuth::challenges(base::WallTime now, bool stale) const {
  const std::string nonce = makeNonce(unixSeconds(now));
  std::vector<std::string> out;
  for (const auto algorithm : {DigestAlgorithm::Sha256, DigestAlgorithm::Md5}) {
    AuthHeader h{"Digest", {}, {{"realm", options_.realm}, {"nonce", nonce}}};
    h.params.push_back({"algorithm", std::string(digestAlgorithmName(algorithm)), false});
    if (algorithm == DigestAlgorithm::Sha256) h.params.push_back({"qop", "auth"});
    if (stale) h.params.push_back({"stale", "true", false});
    out.push_back(h.toString());
  }
  if (options_.allowBasic) out.push_back(AuthHeader{"Basic", {}, {{"realm", options_.realm}}}.toString());
  return out;
}

ServerAuth::Credentials ServerAuth::plaintext(PasswordLookup lookup) const {
  Credentials c;
  c.basic = [lookup](std::string_view user, std::string_view password) -> std::optional<std::string> {
    const auto expected = lookup(user);
    if (!expected || !equalConstantTime(*expected, password)) return std::nullopt;
    return std::string(user);
  };
  c.digestHa1 = [lookup, realm = options_.realm](std::string_view user, DigestAlgorithm algorithm) -> std::optional<std::string> {
    const auto password = lookup(user);
    if (!password) return std::nullopt;
    return digestHa1(algorithm, user, realm, *password);
  };
  return c;
}

base::Result<std::string> ServerAuth::verify(std::string_view authorization, std::string_view method,
                                             std::string_view uri, const Credentials& credentials,
                                             base::WallTime now) const {
  auto header = AuthHeader::parse(authorization);
  if (!header) return denied("malformed Authorization");

  if (header->is("Basic")) {
    if (!options_.allowBasic) return denied("Basic not allowed");
    const auto decoded = base::base64Decode(header->token68);
    if (!decoded) return denied("bad Basic credentials");
    const std::string_view text(reinterpret_cast<const char*>(decoded->data()), decoded->size());
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return denied("bad Basic credentials");
    auto principal = credentials.basic ? credentials.basic(text.substr(0, colon), text.substr(colon + 1)) : std::nullopt;
    if (!principal) return denied("wrong credentials");
    return std::move(*principal);
  }
  if (!header->is("Digest")) return denied("unsupported scheme");

  const auto username = header->param("username");
  const auto realm = header->param("realm");
  const auto nonce = header->param("nonce");
  const auto digestUri = header->param("uri");
  const auto response = header->param("response");
  const auto algorithm = parseDigestAlgorithm(header->param("algorithm").value_or("MD5"));
  if (!username || !realm || !nonce || !digestUri || !response || !algorithm)
    return denied("incomplete Digest");
  if (*realm != options_.realm) return denied("wrong realm");
  if (!sameUri(*digestUri, uri)) return denied("Digest uri is not the request URI");
  DigestInput in{.algorithm = *algorithm,
                 .username = *username,
                 .realm = *realm,
                 .method = method,
                 .uri = *digestUri,
                 .nonce = *nonce};
  if (const auto qop = header->param("qop")) {
    const auto nc = header->param("nc");
    const auto cnonce = header->param("cnonce");
    if (!iequals(*qop, "auth") || !nc || !cnonce) return denied("unsupported qop");
    in.qop = *qop;
    in.nc = *nc;
    in.cnonce = *cnonce;
  }
  const auto ha1 = credentials.digestHa1 ? credentials.digestHa1(*username, *algorithm) : std::nullopt;
  if (!ha1) return denied("unknown user");
  in.ha1 = *ha1;
  std::string given(*response);
  std::ranges::transform(given, given.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!equalConstantTime(digestResponse(in), given)) return denied("wrong credentials");
  if (!nonceFresh(*nonce, now)) return base::makeError(base::ErrorCode::Timeout, "stale nonce");
  return std::string(*username);
}

}  // namespace ocellus::proto::rtsp
