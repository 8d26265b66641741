#include "auth/ApiTokenString.h"

#include "auth/Secrets.h"

namespace ocellus::auth {

bool ApiTokenString::isTokenId(std::string_view text) {
  if (text.size() != kIdLength || text.substr(0, kIdPrefix.size()) != kIdPrefix) return false;
  for (char c : text.substr(kIdPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool ApiTokenString::isSecret(std::string_view text) {
  if (text.size() < kMinSecretLength || text.size() > kMaxSecretLength) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

std::optional<ApiTokenString> ApiTokenString::parse(std::string_view text) {
  if (!looksLikeToken(text)) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  if (text.size() < kIdLength + 1 || text[kIdLength] != '_') return std::nullopt;
  const std::string_view id = text.substr(0, kIdLength);
  const std::string_view secret = text.substr(kIdLength + 1);
  if (!isTokenId(id) || !isSecret(secret)) return std::nullopt;
  return ApiTokenString{id, secret};
}

std::string ApiTokenString::format(std::string_view id, std::string_view secret) {
  std::string out(kPrefix);
  out.append(id).append("_").append(secret);
  return out;
}

std::string ApiTokenString::newId() {
  return std::string(kIdPrefix) + randomHexString(kIdHexDigits / 2);
}

std::string ApiTokenString::newSecret() {
  return randomToken(kSecretBytes);
}

}  // namespace ocellus::auth
