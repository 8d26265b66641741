#include "auth/SignedUrl.h"

#include <cassert>
#include <optional>

#include "auth/Secrets.h"
#include "base/Base64.h"

namespace ocellus::auth {
namespace {

constexpr std::string_view kDerivationLabel = "ocellus signed-url v1";
constexpr std::size_t kMaxExpiresDigits = 12;  // Unix seconds until the year 33658
constexpr std::size_t kSignatureChars = 43;    // base64url of 32 bytes

base::Error invalid(std::string why) {
  return base::makeError(base::ErrorCode::Unauthorized, std::move(why));
}

}  // namespace

SignedUrl::SignedUrl(std::vector<std::vector<std::uint8_t>> keys) : keys_(std::move(keys)) {
  assert(!keys_.empty());
}

SignedUrl SignedUrl::fromJwtKeys(const JwtKeySet& keys) {
  std::vector<std::vector<std::uint8_t>> derived;
  const auto derive = [&](const JwtKey& key) {
    const auto mac = hmacSha256(key.secret, kDerivationLabel);
    derived.emplace_back(mac.begin(), mac.end());
  };
  derive(keys.current);
  if (keys.previous) derive(*keys.previous);
  return SignedUrl(std::move(derived));
}

std::string SignedUrl::signature(const std::vector<std::uint8_t>& key, std::string_view path,
                                 std::string_view expires) const {
  std::string message;
  message.reserve(path.size() + 1 + expires.size());
  message.append(path).append("\n").append(expires);
  return base::base64UrlEncode(hmacSha256(key, message));
}

std::string SignedUrl::sign(std::string_view path, std::int64_t expiresUnix) const {
  const std::string expires = std::to_string(expiresUnix);
  return "expires=" + expires + "&sig=" + signature(keys_.front(), path, expires);
}

base::Status SignedUrl::verify(std::string_view path, std::string_view expires, std::string_view sig,
                               std::int64_t nowUnix) const {
  if (path.size() > kMaxPathLength) return base::makeError(base::ErrorCode::TooLarge, "path too long");
  if (expires.empty() || expires.size() > kMaxExpiresDigits ||
      (expires.size() > 1 && expires.front() == '0')) {
    return invalid("bad expires");
  }
  std::int64_t expiresAt = 0;
  for (char c : expires) {
    if (c < '0' || c > '9') return invalid("bad expires");
    expiresAt = expiresAt * 10 + (c - '0');
  }
  if (sig.size() != kSignatureChars) return invalid("bad sig");
  bool match = false;
  for (const auto& key : keys_) {
    // Every key is tried, so the time does not tell which one matched.
    match |= constantTimeEquals(signature(key, path, expires), sig);
  }
  if (!match) return invalid("bad sig");
  if (nowUnix > expiresAt) return base::makeError(base::ErrorCode::Timeout, "signed URL expired");
  return {};
}

base::Status SignedUrl::verifyQuery(std::string_view path, std::string_view query,
                                    std::int64_t nowUnix) const {
  if (query.size() > kMaxQueryLength) return base::makeError(base::ErrorCode::TooLarge, "query too long");
  std::optional<std::string_view> expires;
  std::optional<std::string_view> sig;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    const std::size_t eq = param.find('=');
    const std::string_view name = param.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    std::optional<std::string_view>* slot = name == "expires" ? &expires : name == "sig" ? &sig : nullptr;
    if (slot == nullptr) continue;
    if (slot->has_value()) return invalid("repeated " + std::string(name));
    *slot = value;
  }
  if (!expires || !sig) return invalid("missing expires or sig");
  return verify(path, *expires, *sig, nowUnix);
}

}  // namespace ocellus::auth
