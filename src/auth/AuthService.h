#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/AuthResult.h"
#include "auth/Identity.h"
#include "auth/JwtKeys.h"
#include "auth/LoginThrottle.h"
#include "auth/LruMap.h"
#include "auth/Password.h"
#include "auth/RateLimiter.h"
#include "auth/SignedUrl.h"
#include "base/Clock.h"
#include "store/Store.h"

namespace ocellus::auth {

struct AuthOptions {
  std::chrono::seconds accessTokenTtl{15 * 60};
  std::chrono::seconds refreshTokenTtl{7 * 24 * 3600};
  std::chrono::seconds refreshTokenTtlRememberMe{30 * 24 * 3600};
  Password::Limits passwordLimits = Password::interactive();
  LoginThrottle::Options loginThrottle{};
  std::size_t maxRateLimitedTokens = RateLimiter::kDefaultMaxEntries;
  // last_used_at of an API token is written at most this often.
  std::chrono::seconds tokenTouchInterval{60};
  // verifyPassword() remembers a correct username/password this long, so a media client that
  // sends Basic credentials with every request costs one argon2 hash, not one per request.
  // The entry is keyed by the stored hash too: a password change ends it. 0 disables.
  std::chrono::seconds passwordCacheTtl{300};
  std::size_t passwordCacheEntries = 1024;
};

struct LoginResult {
  std::string accessToken;     // JWT
  std::string refreshToken;    // opaque; only its SHA-256 is stored
  std::int64_t expiresIn = 0;  // seconds the access token is valid
  store::TimeMs refreshExpiresAt = 0;
  store::User user;  // without passwordHash and digests
};

struct CreatedToken {
  store::ApiToken token;  // as stored: secretHash and digests, never the secret
  std::string secret;     // the whole "oc_<id>_<secret>" string: shown once, never again
};

// Logins, sessions (access + refresh tokens), API tokens, users' passwords and the checks that
// every server makes on a credential. The one place that knows how a credential is verified.
//
// `store`, `clock` and `keys` must outlive the service. Thread-safe: every method may be called
// from any thread; the throttle, the rate limiter and the password cache take short internal
// locks and no lock is held during store calls or hashing. Methods that hash a password
// (login, verifyPassword on a cache miss, createUser, setPassword, ensureAdmin) take tens of
// milliseconds of CPU: call them off an event loop.
//
// Every failure is an AuthError whose AuthFailure maps to the API's code (AuthError.h).
class AuthService {
 public:
  static constexpr std::size_t kMinUsernameLength = 2;
  static constexpr std::size_t kMaxUsernameLength = 64;
  static constexpr std::size_t kMinPasswordLength = 8;
  static constexpr std::size_t kGeneratedPasswordLength = 16;
  static constexpr std::size_t kMaxTokenNameLength = 100;
  static constexpr std::size_t kMaxRemarkLength = 1000;
  static constexpr std::size_t kMaxCameraScope = 1000;
  static constexpr std::size_t kMaxCameraIdLength = 128;
  static constexpr int kMaxRateLimitPerHour = 3'600'000;
  static constexpr std::size_t kMaxRefreshTokenLength = 128;
  static constexpr std::string_view kAdminUsername = "admin";

  AuthService(store::Store& store, const base::Clock& clock, JwtKeys& keys, AuthOptions options = {});

  // First start: when the store has no user at all, creates "admin" (role admin) with
  // `password` or, without one, a random 16-character password, and returns the password
  // used so the caller can print it once. nullopt when users existed already.
  AuthResult<std::optional<std::string>> ensureAdmin(std::optional<std::string> password);

  // Interactive login. Failures: Throttled (retryAfterSeconds set), CredentialsInvalid (the
  // same answer, after the same hashing work, for an unknown user and a wrong password),
  // UserInactive, RoleRestricted (api_only). Audited either way ("login" / "login_failed").
  AuthResult<LoginResult> login(std::string_view username, std::string_view password,
                                std::string_view remoteIp, bool rememberMe);
  // Exchanges a refresh token for a new pair; the new refresh token joins the old one's family
  // and keeps its expiry (a session lasts at most the TTL chosen at login). Presenting a token
  // that was already exchanged means it leaked: the whole family is revoked ("refresh_reuse")
  // and TokenInvalid returned. TokenExpired past its expiry.
  AuthResult<LoginResult> refresh(std::string_view refreshToken, std::string_view remoteIp);
  // Revokes the token's whole family. TokenInvalid for an unknown token.
  AuthResult<void> logout(std::string_view refreshToken, std::string_view remoteIp = {});

  // A JWT or an "oc_…" API token, as sent in "Authorization: Bearer", "X-API-Key" or a
  // JSON-RPC auth_token. TokenMissing (empty), TokenExpired, TokenInvalid (anything else,
  // including a disabled or deleted user or a revoked token).
  AuthResult<Identity> authenticate(std::string_view credential);

  // For the media servers' Basic auth (RFC 7617): a user's password; or an API token string
  // as password with any username; or username = token id and password = the token's secret
  // (or its whole string). With a remoteIp, failures count in the login throttle.
  AuthResult<Identity> verifyPassword(std::string_view username, std::string_view password,
                                      std::string_view remoteIp = {});

  // API tokens. Validation failures name the field: "name", "remark", "permissions",
  // "camera_scope", "rate_limit", "expires_at", "owner". The permissions must be held by the
  // owner's role (InsufficientPermissions otherwise); at authentication they are again cut
  // down to what the owner's role allows then.
  AuthResult<CreatedToken> createToken(std::int64_t ownerUserId, std::string_view name,
                                       std::string_view remark, std::vector<std::string> permissions,
                                       std::vector<std::string> cameraScope, int rateLimitPerHour,
                                       std::optional<store::TimeMs> expiresAt,
                                       std::string_view actor = "system");
  AuthResult<store::ApiToken> setTokenPermissions(const std::string& tokenId,
                                                  std::vector<std::string> permissions,
                                                  std::string_view actor = "system");
  // Deactivates the token (is_active = false); it stops working at once.
  AuthResult<void> revokeToken(const std::string& tokenId, std::string_view actor = "system");
  // API tokens: one token bucket per token, capacity = its hourly limit, refilled at
  // limit/3600 per second. Other identities are not limited here.
  RateDecision checkRateLimit(const Identity& identity);

  // Users. createUser returns the record without its hash and digests.
  AuthResult<store::User> createUser(std::string_view username, std::string_view password,
                                     std::string_view role, std::string_view actor = "system");
  // Sets a new password (and digests), and revokes the user's refresh tokens.
  AuthResult<void> setPassword(std::int64_t userId, std::string_view password,
                               std::string_view actor = "system");
  static AuthResult<void> validateUsername(std::string_view username);
  static AuthResult<void> validatePassword(std::string_view password);
  static AuthResult<void> validateRole(std::string_view role);
  // Hashes `password` into user.passwordHash and fills the RTSP Digest H(A1) fields for
  // user.username. ValidationFailed ("password") if it is too long; Internal if hashing fails.
  AuthResult<void> setPasswordFields(store::User& user, std::string_view password) const;
  // The record without passwordHash and digests, for answers to clients.
  static store::User publicView(store::User user);

  // Signed URLs with keys derived from the JWT keys (they rotate together).
  std::string signUrlQuery(std::string_view path, std::chrono::seconds ttl) const;
  AuthResult<void> verifySignedUrl(std::string_view path, std::string_view query) const;

  // New JWT signing key; tokens signed with the previous one stay valid until they expire.
  base::Status rotateKeys() { return keys_.rotate(); }

  const AuthOptions& options() const { return options_; }

 private:
  store::TimeMs nowMs() const;
  AuthError storageError(std::string_view what, const base::Error& error) const;
  void audit(std::string_view actor, std::string_view action, std::string_view target,
             std::string_view remoteIp, bool success, std::string_view details);
  // Verifies against the user's hash, or against a dummy hash when there is none, so the time
  // taken does not tell whether the user exists.
  bool checkPassword(const std::string* storedHash, std::string_view password) const;
  bool passwordCached(const std::string& key, base::SteadyTime now);
  void rememberPassword(const std::string& key, base::SteadyTime now);
  std::string passwordCacheKey(std::string_view username, std::string_view password,
                               std::string_view storedHash) const;
  AuthResult<LoginResult> issueSession(const store::User& user, const std::string& familyId,
                                       store::TimeMs refreshExpiresAt);
  // The user a credential stands for: TokenInvalid when deleted or disabled.
  AuthResult<store::User> activeUser(std::int64_t userId);
  AuthResult<Identity> authenticateJwt(std::string_view token);
  AuthResult<Identity> authenticateApiToken(std::string_view text);
  AuthResult<Identity> verifyUserPassword(std::string_view username, std::string_view password,
                                          std::string_view remoteIp);
  AuthResult<std::vector<std::string>> validatePermissions(std::vector<std::string> permissions) const;
  AuthResult<void> checkOwnerMayGrant(const store::User& owner,
                                      const std::vector<std::string>& permissions) const;

  store::Store& store_;
  const base::Clock& clock_;
  JwtKeys& keys_;
  const AuthOptions options_;
  std::string dummyHash_;               // a hash of a random password, made once
  std::vector<std::uint8_t> cacheKey_;  // per-process HMAC key for the password cache
  LoginThrottle throttle_;
  RateLimiter limiter_;
  std::mutex cacheMutex_;
  LruMap<std::string, base::SteadyTime> passwordCache_;  // guarded by cacheMutex_; value = valid until
};

}  // namespace ocellus::auth
