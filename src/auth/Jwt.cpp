#include "auth/Jwt.h"

#include "auth/FlatJson.h"
#include "auth/Secrets.h"
#include "base/Base64.h"
#include "base/ByteReader.h"

namespace ocellus::auth {
namespace {

constexpr std::string_view kAlg = "HS256";
// The base64url text of an HMAC-SHA256: 32 bytes → 43 characters.
constexpr std::size_t kSignatureChars = 43;
constexpr std::size_t kMaxUserIdDigits = 18;

base::Error invalid(std::string why) {
  return base::makeError(base::ErrorCode::Unauthorized, std::move(why));
}

std::string signingInput(std::string_view headerAndPayload, const JwtKey& key) {
  const auto mac = hmacSha256(key.secret, headerAndPayload);
  return base::base64UrlEncode(mac);
}

base::Result<FlatJson> decodePart(std::string_view part, std::string_view what) {
  auto bytes = base::base64UrlDecode(part);
  if (!bytes) return invalid(std::string(what) + " is not base64url");
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto json = FlatJson::parse(text);
  if (!json) return invalid(std::string(what) + ": " + json.error().message);
  return std::move(*json);
}

std::optional<std::int64_t> parseUserId(std::string_view s) {
  if (s.empty() || s.size() > kMaxUserIdDigits || s.front() == '0') return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string Jwt::encode(const JwtClaims& claims, const JwtKey& key) {
  FlatJson header;
  header.set("alg", std::string(kAlg));
  header.set("typ", std::string("JWT"));
  header.set("kid", key.kid);
  FlatJson payload;
  payload.set("sub", std::to_string(claims.userId));
  payload.set("name", claims.username);
  payload.set("role", claims.role);
  payload.set("iat", claims.issuedAt);
  payload.set("exp", claims.expiresAt);
  payload.set("jti", claims.jwtId);
  const std::string h = header.serialize();
  const std::string p = payload.serialize();
  std::string out = base::base64UrlEncode(base::asBytes(h));
  out += '.';
  out += base::base64UrlEncode(base::asBytes(p));
  const std::string signature = signingInput(out, key);
  out += '.';
  out += signature;
  return out;
}

base::Result<JwtClaims> Jwt::verify(std::string_view token, const JwtKeySet& keys, std::int64_t nowSeconds) {
  if (token.size() > kMaxTokenLength) {
    return base::makeError(base::ErrorCode::TooLarge, "token longer than " + std::to_string(kMaxTokenLength));
  }
  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return invalid("not a JWS compact serialization");
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return invalid("not a JWS compact serialization");
  }
  const std::string_view headerPart = token.substr(0, dot1);
  const std::string_view payloadPart = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signaturePart = token.substr(dot2 + 1);
  if (headerPart.empty() || payloadPart.empty()) return invalid("empty header or payload");
  // An unsigned token ("alg":"none") ends with an empty signature; refused here and below.
  if (signaturePart.size() != kSignatureChars) return invalid("signature is not an HMAC-SHA256");

  auto header = decodePart(headerPart, "header");
  if (!header) return header.error();
  for (const auto& [name, value] : header->members()) {
    if (name != "alg" && name != "typ" && name != "kid")
      return invalid("unsupported header member \"" + name + "\"");
  }
  const auto alg = header->string("alg");
  if (!alg || *alg != kAlg) return invalid("alg must be HS256");
  if (header->find("typ") != nullptr) {
    const auto typ = header->string("typ");
    if (!typ || *typ != "JWT") return invalid("typ must be JWT");
  }
  const auto kid = header->string("kid");
  if (!kid) return invalid("no kid");
  const JwtKey* key = keys.find(*kid);
  if (key == nullptr) return invalid("unknown kid");

  const std::string expected = signingInput(token.substr(0, dot2), *key);
  if (!constantTimeEquals(expected, signaturePart)) return invalid("bad signature");

  auto payload = decodePart(payloadPart, "payload");
  if (!payload) return payload.error();
  const auto sub = payload->string("sub");
  const auto name = payload->string("name");
  const auto role = payload->string("role");
  const auto iat = payload->integer("iat");
  const auto exp = payload->integer("exp");
  const auto jti = payload->string("jti");
  if (!sub || !name || !role || !iat || !exp || !jti) return invalid("missing or mistyped claim");
  const auto userId = parseUserId(*sub);
  if (!userId) return invalid("sub is not a user id");
  if (*exp <= *iat) return invalid("exp is not after iat");
  // Unsigned difference: exact for any two int64 with iat > now, where a signed one could overflow.
  if (*iat > nowSeconds &&
      static_cast<std::uint64_t>(*iat) - static_cast<std::uint64_t>(nowSeconds) > kMaxClockSkewSeconds) {
    return invalid("issued in the future");
  }
  if (*exp <= nowSeconds) return base::makeError(base::ErrorCode::Timeout, "token expired");
  return JwtClaims{*userId, std::string(*name), std::string(*role), *iat, *exp, std::string(*jti)};
}

}  // namespace ocellus::auth
