// Verifies arbitrary text as a JWT with a fixed key; also signs the text's first two parts so
// the header and payload parsers behind the MAC check are reached, checks that whatever
// verifies re-encodes to a token that verifies to the same claims, round-trips the input
// through FlatJson, and encodes claims built from the input (any bytes in the strings).
#include <cstdlib>
#include <cstring>

#include "auth/FlatJson.h"
#include "auth/Jwt.h"
#include "auth/Secrets.h"
#include "base/Base64.h"

namespace {

using namespace ocellus::auth;

constexpr std::int64_t kNow = 1'700'000'000;

const JwtKeySet& keys() {
  static const JwtKeySet set = [] {
    JwtKey current{"fuzzkid000000000", {}};
    JwtKey previous{"fuzzkid000000001", {}};
    for (std::uint8_t i = 0; i < 32; ++i) {
      current.secret.push_back(static_cast<std::uint8_t>(i + 1));
      previous.secret.push_back(static_cast<std::uint8_t>(0xff - i));
    }
    return JwtKeySet{current, previous};
  }();
  return set;
}

void checkVerified(const JwtClaims& claims) {
  const std::string again = Jwt::encode(claims, keys().current);
  // Our header may be longer than the one that verified (it always carries "typ").
  if (again.size() > Jwt::kMaxTokenLength) return;
  auto back = Jwt::verify(again, keys(), kNow);
  if (!back || !(*back == claims)) std::abort();
}

void verifyAndCheck(std::string_view token) {
  auto claims = Jwt::verify(token, keys(), kNow);
  if (claims) {
    checkVerified(*claims);
  } else if (token.size() > Jwt::kMaxTokenLength &&
             claims.error().code != ocellus::base::ErrorCode::TooLarge) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  verifyAndCheck(text);

  // The same header and payload with a correct signature from either key.
  if (const std::size_t dot = text.rfind('.'); dot != std::string_view::npos) {
    const std::string_view signingInput = text.substr(0, dot);
    for (const JwtKey* key : {&keys().current, &*keys().previous}) {
      const std::string token =
          std::string(signingInput) + "." + ocellus::base::base64UrlEncode(hmacSha256(key->secret, signingInput));
      verifyAndCheck(token);
    }
  }

  if (auto json = FlatJson::parse(text)) {
    auto again = FlatJson::parse(json->serialize());
    if (!again || !(*again == *json)) std::abort();
    (void)json->string("alg");
    (void)json->integer("exp");
  }

  // Claims from the input: the name and role are arbitrary bytes.
  if (size >= 8) {
    std::uint64_t n = 0;
    std::memcpy(&n, data, 8);
    const std::string_view rest = text.substr(8);
    JwtClaims claims;
    claims.userId = static_cast<std::int64_t>(n % 999'999'999'999ULL) + 1;
    claims.username = std::string(rest.substr(0, rest.size() / 2));
    claims.role = std::string(rest.substr(rest.size() / 2));
    claims.issuedAt = kNow - static_cast<std::int64_t>(n % 1000);
    claims.expiresAt = kNow + 1 + static_cast<std::int64_t>((n >> 16) % 100'000);
    claims.jwtId = ocellus::base::base64UrlEncode({data, 8});
    const std::string token = Jwt::encode(claims, keys().current);
    auto back = Jwt::verify(token, keys(), kNow);
    if (token.size() <= Jwt::kMaxTokenLength && (!back || !(*back == claims))) std::abort();
  }
  return 0;
}
