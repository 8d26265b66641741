#include "proto/rtsp/ClientAuth.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "base/Base64.h"
#include "base/ByteReader.h"
#include "proto/rtsp/AuthHeader.h"
#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

std::string randomCnonce() {
  std::array<std::uint8_t, 8> bytes{};
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  return toHex(bytes);
}

}  // namespace

base::Result<ClientAuth> ClientAuth::fromChallenges(std::span<const std::string_view> wwwAuthenticate,
                                                    std::string username, std::string password) {
  std::optional<AuthHeader> best;
  int bestRank = -1;
  for (const auto value : wwwAuthenticate) {
    auto challenges = AuthHeader::parseList(value);
    if (!challenges) continue;
    for (auto& c : *challenges) {
      int rank = -1;
      if (c.is("Basic")) {
        rank = 0;
      } else if (c.is("Digest") && c.param("realm") && c.param("nonce")) {
        const auto algorithm = parseDigestAlgorithm(c.param("algorithm").value_or("MD5"));
        const auto qop = c.param("qop");
        const auto qops = splitList(qop.value_or(""));
        const bool auth = std::ranges::any_of(qops, [](std::string_view q) { return iequals(q, "auth"); });
        if (algorithm && (!qop || auth)) rank = *algorithm == DigestAlgorithm::Sha256 ? 2 : 1;
      }
      if (rank > bestRank) {
        bestRank = rank;
        best = std::move(c);
      }
    }
  }
  if (!best) return base::makeError(base::ErrorCode::Unsupported, "no supported authentication challenge");

  ClientAuth auth;
  auth.username_ = std::move(username);
  auth.password_ = std::move(password);
  if (best->is("Digest")) {
    auth.algorithm_ = parseDigestAlgorithm(best->param("algorithm").value_or("MD5"));
    auth.realm_ = std::string(*best->param("realm"));
    auth.nonce_ = std::string(*best->param("nonce"));
    if (auto opaque = best->param("opaque")) auth.opaque_ = std::string(*opaque);
    auth.qopAuth_ = best->param("qop").has_value();
  }
  return auth;
}

std::string ClientAuth::authorization(std::string_view method, std::string_view uri) {
  if (!algorithm_) return "Basic " + base::base64Encode(base::asBytes(username_ + ":" + password_));

  DigestInput in{.algorithm = *algorithm_,
                 .username = username_,
                 .realm = realm_,
                 .password = password_,
                 .method = method,
                 .uri = uri,
                 .nonce = nonce_};
  char nc[9] = {};
  const std::string cnonce = qopAuth_ ? randomCnonce() : std::string();
  if (qopAuth_) {
    std::snprintf(nc, sizeof nc, "%08x", ++nonceCount_);
    in.qop = "auth";
    in.nc = nc;
    in.cnonce = cnonce;
  }
  AuthHeader h{"Digest",
               {},
               {{"username", username_},
                {"realm", realm_},
                {"nonce", nonce_},
                {"uri", std::string(uri)},
                {"response", digestResponse(in)}}};
  h.params.push_back({"algorithm", std::string(digestAlgorithmName(*algorithm_)), false});
  if (qopAuth_) {
    h.params.push_back({"qop", "auth", false});
    h.params.push_back({"nc", nc, false});
    h.params.push_back({"cnonce", cnonce});
  }
  if (opaque_) h.params.push_back({"opaque", *opaque_});
  return h.toString();
}

}  // namespace ocellus::proto::rtsp
