#include "auth/AuthService.h"

#include <algorithm>

#include "auth/ApiTokenString.h"
#include "auth/Jwt.h"
#include "auth/Permissions.h"
#include "auth/Secrets.h"
#include "base/Log.h"

namespace ocellus::auth {
namespace {

const base::Logger& logger() {
  static const base::Logger log("auth");
  return log;
}

constexpr std::string_view kInvalidCredentials = "invalid username or password";
// Unknown usernames are written to the audit log cut to this length.
constexpr std::size_t kMaxAuditNameLength = 80;
// Attempts to find a free token id before giving up (12 hex digits: a clash is already rare).
constexpr int kTokenIdAttempts = 3;

std::string auditName(std::string_view username) {
  std::string out(username.substr(0, kMaxAuditNameLength));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::int64_t floorSeconds(store::TimeMs ms) {
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

}  // namespace

AuthService::AuthService(store::Store& store, const base::Clock& clock, JwtKeys& keys, AuthOptions options)
    : store_(store),
      clock_(clock),
      keys_(keys),
      options_(options),
      cacheKey_(randomBytes(32)),
      throttle_(options_.loginThrottle),
      limiter_(options_.maxRateLimitedTokens),
      passwordCache_(options_.passwordCacheEntries) {
  // The dummy hash is made with the same limits as real ones, so verifying against it costs
  // the same time.
  auto dummy = Password::hash(randomToken(16), options_.passwordLimits);
  if (dummy) {
    dummyHash_ = std::move(*dummy);
  } else {
    logger().error("cannot make the dummy password hash: {}", dummy.error().describe());
  }
}

store::TimeMs AuthService::nowMs() const {
  return base::wallMillis(clock_.wallNow());
}

AuthError AuthService::storageError(std::string_view what, const base::Error& error) const {
  logger().error("{}: {}", what, error.describe());
  return authError(AuthFailure::Internal, "storage error");
}

void AuthService::audit(std::string_view actor, std::string_view action, std::string_view target,
                        std::string_view remoteIp, bool success, std::string_view details) {
  store::AuditEntry entry;
  entry.at = nowMs();
  entry.actor = actor.empty() ? "anonymous" : std::string(actor);
  entry.action = action;
  entry.target = target;
  entry.remoteIp = remoteIp;
  entry.success = success;
  entry.details = details;
  if (auto st = store_.appendAudit(std::move(entry)); !st) {
    logger().warn("cannot append to the audit log ({} {}): {}", action, actor, st.error().describe());
  }
}

// ---------------------------------------------------------------------------------------------
// Passwords

bool AuthService::checkPassword(const std::string* storedHash, std::string_view password) const {
  if (storedHash == nullptr || storedHash->empty()) {
    (void)Password::verify(dummyHash_, password);
    return false;
  }
  return Password::verify(*storedHash, password);
}

std::string AuthService::passwordCacheKey(std::string_view username, std::string_view password,
                                          std::string_view storedHash) const {
  std::string material;
  material.reserve(username.size() + password.size() + storedHash.size() + 2);
  material.append(username).push_back('\0');
  material.append(password).push_back('\0');
  material.append(storedHash);
  const auto mac = hmacSha256(cacheKey_, material);
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

bool AuthService::passwordCached(const std::string& key, base::SteadyTime now) {
  if (options_.passwordCacheTtl.count() <= 0) return false;
  std::lock_guard lock(cacheMutex_);
  const base::SteadyTime* until = passwordCache_.find(key);
  if (until == nullptr) return false;
  if (now >= *until) {
    passwordCache_.erase(key);
    return false;
  }
  return true;
}

void AuthService::rememberPassword(const std::string& key, base::SteadyTime now) {
  if (options_.passwordCacheTtl.count() <= 0) return;
  std::lock_guard lock(cacheMutex_);
  passwordCache_.put(key, now + options_.passwordCacheTtl);
}

AuthResult<void> AuthService::validateUsername(std::string_view username) {
  if (username.size() < kMinUsernameLength || username.size() > kMaxUsernameLength) {
    return authError(AuthFailure::ValidationFailed,
                     "username must have " + std::to_string(kMinUsernameLength) + " to " +
                         std::to_string(kMaxUsernameLength) + " characters",
                     "username");
  }
  for (char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == '@';
    if (!ok) {
      return authError(AuthFailure::ValidationFailed, "username may contain only letters, digits and . _ - @",
                       "username");
    }
  }
  const char first = username.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9'))) {
    return authError(AuthFailure::ValidationFailed, "username must start with a letter or digit", "username");
  }
  // API token ids are accepted as usernames by verifyPassword; a user must not look like one.
  if (startsWithIgnoringCase(username, ApiTokenString::kIdPrefix) ||
      startsWithIgnoringCase(username, ApiTokenString::kPrefix)) {
    return authError(AuthFailure::ValidationFailed, "usernames starting with tok_ or oc_ are reserved",
                     "username");
  }
  return {};
}

AuthResult<void> AuthService::validatePassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return authError(AuthFailure::ValidationFailed,
                     "password must have at least " + std::to_string(kMinPasswordLength) + " characters",
                     "password");
  }
  if (password.size() > Password::kMaxLength) {
    return authError(AuthFailure::ValidationFailed,
                     "password must have at most " + std::to_string(Password::kMaxLength) + " characters",
                     "password");
  }
  return {};
}

AuthResult<void> AuthService::validateRole(std::string_view role) {
  if (!isValidRole(role)) {
    return authError(AuthFailure::ValidationFailed, "role must be one of admin, operator, viewer, api_only",
                     "role");
  }
  return {};
}

AuthResult<void> AuthService::setPasswordFields(store::User& user, std::string_view password) const {
  auto hash = Password::hash(password, options_.passwordLimits);
  if (!hash) {
    if (hash.error().code == base::ErrorCode::InvalidArgument) {
      return authError(AuthFailure::ValidationFailed, hash.error().message, "password");
    }
    logger().error("password hashing failed: {}", hash.error().describe());
    return authError(AuthFailure::Internal, "password hashing failed");
  }
  user.passwordHash = std::move(*hash);
  auto digest = Password::digestHa1(user.username, Password::kRealm, password);
  user.digestMd5 = std::move(digest.md5);
  user.digestSha256 = std::move(digest.sha256);
  return {};
}

store::User AuthService::publicView(store::User user) {
  user.passwordHash.clear();
  user.digestMd5.clear();
  user.digestSha256.clear();
  return user;
}

// ---------------------------------------------------------------------------------------------
// Users

AuthResult<store::User> AuthService::createUser(std::string_view username, std::string_view password,
                                                std::string_view role, std::string_view actor) {
  if (auto v = validateUsername(username); !v) return v.error();
  if (auto v = validatePassword(password); !v) return v.error();
  if (auto v = validateRole(role); !v) return v.error();
  store::User user;
  user.username = username;
  user.role = role;
  user.isActive = true;
  if (auto set = setPasswordFields(user, password); !set) return set.error();
  auto created = store_.createUser(std::move(user));
  if (!created) {
    if (created.error().code == base::ErrorCode::AlreadyExists) {
      return authError(AuthFailure::UsernameTaken, "username is taken", "username");
    }
    return storageError("create user", created.error());
  }
  audit(actor, "user_created", created->username, {}, true, "role " + created->role);
  return publicView(std::move(*created));
}

AuthResult<void> AuthService::setPassword(std::int64_t userId, std::string_view password,
                                          std::string_view actor) {
  if (auto v = validatePassword(password); !v) return v.error();
  auto user = store_.userById(userId);
  if (!user) {
    if (user.error().code == base::ErrorCode::NotFound)
      return authError(AuthFailure::UserNotFound, "no such user");
    return storageError("read user", user.error());
  }
  if (auto set = setPasswordFields(*user, password); !set) return set.error();
  if (auto updated = store_.updateUser(*user); !updated) return storageError("update user", updated.error());
  if (auto revoked = store_.revokeRefreshTokensOfUser(userId); !revoked) {
    return storageError("revoke refresh tokens", revoked.error());
  }
  audit(actor, "password_changed", user->username, {}, true, {});
  return {};
}

AuthResult<std::optional<std::string>> AuthService::ensureAdmin(std::optional<std::string> password) {
  auto users = store_.listUsers();
  if (!users) return storageError("list users", users.error());
  if (!users->empty()) return std::optional<std::string>();
  std::string chosen = password ? std::move(*password) : randomPassword(kGeneratedPasswordLength);
  auto created = createUser(kAdminUsername, chosen, kRoleAdmin, "system");
  if (!created) {
    // Another process created it in between: it is there, which is all this asks.
    if (created.error().failure == AuthFailure::UsernameTaken) return std::optional<std::string>();
    return created.error();
  }
  logger().info("created the first user \"{}\" (role admin)", kAdminUsername);
  return std::optional<std::string>(std::move(chosen));
}

// ---------------------------------------------------------------------------------------------
// Sessions

AuthResult<LoginResult> AuthService::issueSession(const store::User& user, const std::string& familyId,
                                                  store::TimeMs refreshExpiresAt) {
  const store::TimeMs now = nowMs();
  const std::int64_t nowSeconds = floorSeconds(now);
  JwtClaims claims;
  claims.userId = user.id;
  claims.username = user.username;
  claims.role = user.role;
  claims.issuedAt = nowSeconds;
  claims.expiresAt = nowSeconds + options_.accessTokenTtl.count();
  claims.jwtId = randomToken(16);

  LoginResult out;
  out.accessToken = Jwt::encode(claims, keys_.snapshot().current);
  out.refreshToken = randomToken(32);
  out.expiresIn = options_.accessTokenTtl.count();
  out.refreshExpiresAt = refreshExpiresAt;
  out.user = publicView(user);

  store::RefreshToken row;
  row.hash = sha256Hex(out.refreshToken);
  row.familyId = familyId;
  row.userId = user.id;
  row.expiresAt = refreshExpiresAt;
  row.createdAt = now;
  if (auto st = store_.insertRefreshToken(row); !st) return storageError("store refresh token", st.error());
  return out;
}

AuthResult<LoginResult> AuthService::login(std::string_view username, std::string_view password,
                                           std::string_view remoteIp, bool rememberMe) {
  const base::SteadyTime steadyNow = clock_.now();
  const std::string actor = auditName(username);
  if (const auto wait = throttle_.check(remoteIp, username, steadyNow); wait.count() > 0) {
    audit(actor, "login_failed", actor, remoteIp, false, "throttled");
    AuthError error = authError(AuthFailure::Throttled, "too many failed logins; try again later");
    error.retryAfterSeconds = wait.count();
    return error;
  }
  const auto refuse = [&](std::string_view why) -> AuthError {
    throttle_.recordFailure(remoteIp, username, steadyNow);
    audit(actor, "login_failed", actor, remoteIp, false, why);
    return authError(AuthFailure::CredentialsInvalid, std::string(kInvalidCredentials));
  };
  if (username.empty() || username.size() > kMaxUsernameLength || password.size() > Password::kMaxLength) {
    (void)checkPassword(nullptr, password.substr(0, Password::kMaxLength));
    return refuse("malformed credentials");
  }

  auto user = store_.userByName(std::string(username));
  if (!user) {
    if (user.error().code != base::ErrorCode::NotFound) return storageError("read user", user.error());
    (void)checkPassword(nullptr, password);
    return refuse("unknown user");
  }
  if (!checkPassword(&user->passwordHash, password)) return refuse("wrong password");
  // The password was right: only now may the answer reveal the account's state.
  if (!user->isActive) {
    audit(actor, "login_failed", actor, remoteIp, false, "user inactive");
    return authError(AuthFailure::UserInactive, "account is disabled");
  }
  if (!mayLogInWithPassword(user->role)) {
    audit(actor, "login_failed", actor, remoteIp, false,
          "role " + user->role + " may not log in with a password");
    return authError(AuthFailure::RoleRestricted, "this account may only use API tokens");
  }
  throttle_.recordSuccess(remoteIp, username);

  const store::TimeMs now = nowMs();
  if (Password::needsRehash(user->passwordHash, options_.passwordLimits)) {
    store::User rehashed = *user;
    if (setPasswordFields(rehashed, password) && store_.updateUser(rehashed)) *user = std::move(rehashed);
  }
  if (auto st = store_.touchLogin(user->id, now); !st) {
    logger().warn("cannot record the login time of {}: {}", user->username, st.error().describe());
  }
  user->lastLoginAt = now;
  const auto ttl = rememberMe ? options_.refreshTokenTtlRememberMe : options_.refreshTokenTtl;
  auto session = issueSession(*user, randomToken(16), now + ttl.count() * 1000);
  if (!session) return session.error();
  audit(user->username, "login", user->username, remoteIp, true, rememberMe ? "remember me" : "");
  return session;
}

AuthResult<LoginResult> AuthService::refresh(std::string_view refreshToken, std::string_view remoteIp) {
  if (refreshToken.empty()) return authError(AuthFailure::TokenMissing, "no refresh token");
  if (refreshToken.size() > kMaxRefreshTokenLength)
    return authError(AuthFailure::TokenInvalid, "invalid refresh token");
  const std::string hash = sha256Hex(refreshToken);
  auto row = store_.refreshTokenByHash(hash);
  if (!row) {
    if (row.error().code == base::ErrorCode::NotFound) {
      return authError(AuthFailure::TokenInvalid, "invalid refresh token");
    }
    return storageError("read refresh token", row.error());
  }
  const store::TimeMs now = nowMs();
  const auto reuse = [&]() -> AuthError {
    if (auto st = store_.revokeRefreshFamily(row->familyId); !st) {
      logger().error("cannot revoke refresh family {}: {}", row->familyId, st.error().describe());
    }
    std::string who = "user:" + std::to_string(row->userId);
    if (auto u = store_.userById(row->userId)) who = u->username;
    logger().warn("refresh token reused for {} from {}: family revoked", who, remoteIp);
    audit(who, "refresh_reuse", "family " + row->familyId, remoteIp, false,
          "an exchanged refresh token was presented again; every session of this login revoked");
    return authError(AuthFailure::TokenInvalid, "invalid refresh token");
  };
  if (row->revoked) return authError(AuthFailure::TokenInvalid, "refresh token revoked");
  if (row->usedAt) return reuse();
  if (row->expiresAt <= now) return authError(AuthFailure::TokenExpired, "refresh token expired");
  auto consumed = store_.consumeRefreshToken(hash, now);
  if (!consumed) return storageError("consume refresh token", consumed.error());
  if (!*consumed) return reuse();  // another request exchanged it first

  auto user = store_.userById(row->userId);
  if (!user || !user->isActive || !mayLogInWithPassword(user->role)) {
    if (!user && user.error().code != base::ErrorCode::NotFound)
      return storageError("read user", user.error());
    (void)store_.revokeRefreshFamily(row->familyId);
    return authError(AuthFailure::TokenInvalid, "invalid refresh token");
  }
  return issueSession(*user, row->familyId, row->expiresAt);
}

AuthResult<void> AuthService::logout(std::string_view refreshToken, std::string_view remoteIp) {
  if (refreshToken.empty()) return authError(AuthFailure::TokenMissing, "no refresh token");
  if (refreshToken.size() > kMaxRefreshTokenLength)
    return authError(AuthFailure::TokenInvalid, "invalid refresh token");
  auto row = store_.refreshTokenByHash(sha256Hex(refreshToken));
  if (!row) {
    if (row.error().code == base::ErrorCode::NotFound) {
      return authError(AuthFailure::TokenInvalid, "invalid refresh token");
    }
    return storageError("read refresh token", row.error());
  }
  if (auto st = store_.revokeRefreshFamily(row->familyId); !st) {
    return storageError("revoke refresh family", st.error());
  }
  std::string who = "user:" + std::to_string(row->userId);
  if (auto u = store_.userById(row->userId)) who = u->username;
  audit(who, "logout", who, remoteIp, true, {});
  return {};
}

// ---------------------------------------------------------------------------------------------
// Credentials

AuthResult<Identity> AuthService::authenticate(std::string_view credential) {
  if (credential.empty()) return authError(AuthFailure::TokenMissing, "no credential");
  if (ApiTokenString::looksLikeToken(credential)) return authenticateApiToken(credential);
  return authenticateJwt(credential);
}

AuthResult<store::User> AuthService::activeUser(std::int64_t userId) {
  auto user = store_.userById(userId);
  if (!user) {
    if (user.error().code != base::ErrorCode::NotFound) return storageError("read user", user.error());
    return authError(AuthFailure::TokenInvalid, "invalid token");
  }
  if (!user->isActive) return authError(AuthFailure::TokenInvalid, "invalid token");
  return std::move(user).value();
}

AuthResult<Identity> AuthService::authenticateJwt(std::string_view token) {
  auto claims = Jwt::verify(token, keys_.snapshot(), floorSeconds(nowMs()));
  if (!claims) {
    if (claims.error().code == base::ErrorCode::Timeout)
      return authError(AuthFailure::TokenExpired, "token expired");
    return authError(AuthFailure::TokenInvalid, "invalid token");
  }
  auto user = activeUser(claims->userId);
  if (!user) return user.error();
  // The role is read from the store, so a demotion takes effect before the token expires.
  Identity id;
  id.userId = user->id;
  id.username = user->username;
  id.role = user->role;
  id.permissions = permissionsOf(user->role);
  id.expiresAt = claims->expiresAt * 1000;
  id.kind = IdentityKind::Jwt;
  return id;
}

AuthResult<Identity> AuthService::authenticateApiToken(std::string_view text) {
  const auto parsed = ApiTokenString::parse(text);
  if (!parsed) return authError(AuthFailure::TokenInvalid, "invalid token");
  auto token = store_.tokenById(std::string(parsed->id));
  if (!token) {
    if (token.error().code != base::ErrorCode::NotFound) return storageError("read API token", token.error());
    return authError(AuthFailure::TokenInvalid, "invalid token");
  }
  // The secret is checked first: only its holder learns whether the token is revoked or expired.
  if (!constantTimeEquals(sha256Hex(parsed->secret), token->secretHash)) {
    return authError(AuthFailure::TokenInvalid, "invalid token");
  }
  if (!token->isActive) return authError(AuthFailure::TokenInvalid, "token revoked");
  const store::TimeMs now = nowMs();
  if (token->expiresAt && *token->expiresAt <= now)
    return authError(AuthFailure::TokenExpired, "token expired");
  auto owner = activeUser(token->createdBy);
  if (!owner) return owner.error();

  Identity id;
  id.userId = owner->id;
  id.username = owner->username;
  id.role = owner->role;
  // A token never does more than its owner's role allows now.
  const PermissionSet& allowed = permissionsOf(owner->role);
  for (const auto& p : token->permissions) {
    if (allowed.count(p) != 0) id.permissions.insert(p);
  }
  id.cameraScope = token->cameraScope;
  id.tokenId = token->id;
  id.expiresAt = token->expiresAt;
  id.kind = IdentityKind::ApiToken;
  id.rateLimitPerHour = token->rateLimitPerHour;

  const store::TimeMs touchEvery = std::chrono::milliseconds(options_.tokenTouchInterval).count();
  if (!token->lastUsedAt || now - *token->lastUsedAt >= touchEvery) {
    if (auto st = store_.touchToken(token->id, now); !st) {
      logger().warn("cannot record the use of token {}: {}", token->id, st.error().describe());
    }
  }
  return id;
}

AuthResult<Identity> AuthService::verifyPassword(std::string_view username, std::string_view password,
                                                 std::string_view remoteIp) {
  if (ApiTokenString::looksLikeToken(password)) return authenticateApiToken(password);
  if (ApiTokenString::isTokenId(username)) {
    if (ApiTokenString::parse(password)) return authenticateApiToken(password);
    return authenticateApiToken(ApiTokenString::format(username, password));
  }
  return verifyUserPassword(username, password, remoteIp);
}

AuthResult<Identity> AuthService::verifyUserPassword(std::string_view username, std::string_view password,
                                                     std::string_view remoteIp) {
  const base::SteadyTime steadyNow = clock_.now();
  const bool throttled = !remoteIp.empty();
  if (throttled) {
    if (const auto wait = throttle_.check(remoteIp, username, steadyNow); wait.count() > 0) {
      AuthError error = authError(AuthFailure::Throttled, "too many failed logins; try again later");
      error.retryAfterSeconds = wait.count();
      return error;
    }
  }
  const auto refuse = [&](std::string_view why) -> AuthError {
    if (throttled) {
      throttle_.recordFailure(remoteIp, username, steadyNow);
      audit(auditName(username), "password_check_failed", auditName(username), remoteIp, false, why);
    }
    return authError(AuthFailure::CredentialsInvalid, std::string(kInvalidCredentials));
  };
  if (username.empty() || username.size() > kMaxUsernameLength || password.size() > Password::kMaxLength) {
    (void)checkPassword(nullptr, password.substr(0, Password::kMaxLength));
    return refuse("malformed credentials");
  }
  auto user = store_.userByName(std::string(username));
  if (!user) {
    if (user.error().code != base::ErrorCode::NotFound) return storageError("read user", user.error());
    (void)checkPassword(nullptr, password);
    return refuse("unknown user");
  }
  const std::string cacheKey = passwordCacheKey(username, password, user->passwordHash);
  if (!passwordCached(cacheKey, steadyNow)) {
    if (!checkPassword(&user->passwordHash, password)) return refuse("wrong password");
    rememberPassword(cacheKey, steadyNow);
  }
  if (!user->isActive) return authError(AuthFailure::UserInactive, "account is disabled");
  if (!mayLogInWithPassword(user->role)) {
    return authError(AuthFailure::RoleRestricted, "this account may only use API tokens");
  }
  if (throttled) throttle_.recordSuccess(remoteIp, username);
  Identity id;
  id.userId = user->id;
  id.username = user->username;
  id.role = user->role;
  id.permissions = permissionsOf(user->role);
  id.kind = IdentityKind::Password;
  return id;
}

// ---------------------------------------------------------------------------------------------
// API tokens

AuthResult<std::vector<std::string>> AuthService::validatePermissions(
    std::vector<std::string> permissions) const {
  if (permissions.empty()) {
    return authError(AuthFailure::ValidationFailed, "at least one permission is required", "permissions");
  }
  std::vector<std::string> out;
  for (auto& p : permissions) {
    if (!isValidPermission(p)) {
      return authError(AuthFailure::ValidationFailed, "unknown permission \"" + auditName(p) + "\"",
                       "permissions");
    }
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
  }
  return out;
}

AuthResult<void> AuthService::checkOwnerMayGrant(const store::User& owner,
                                                 const std::vector<std::string>& permissions) const {
  const PermissionSet& allowed = permissionsOf(owner.role);
  for (const auto& p : permissions) {
    if (allowed.count(p) == 0) {
      return authError(AuthFailure::InsufficientPermissions,
                       "the owner's role " + owner.role + " does not have \"" + p + "\"", "permissions");
    }
  }
  return {};
}

AuthResult<CreatedToken> AuthService::createToken(std::int64_t ownerUserId, std::string_view name,
                                                  std::string_view remark,
                                                  std::vector<std::string> permissions,
                                                  std::vector<std::string> cameraScope, int rateLimitPerHour,
                                                  std::optional<store::TimeMs> expiresAt,
                                                  std::string_view actor) {
  if (name.empty() || name.size() > kMaxTokenNameLength) {
    return authError(AuthFailure::ValidationFailed,
                     "name must have 1 to " + std::to_string(kMaxTokenNameLength) + " characters", "name");
  }
  if (remark.size() > kMaxRemarkLength) {
    return authError(AuthFailure::ValidationFailed,
                     "remark must have at most " + std::to_string(kMaxRemarkLength) + " characters",
                     "remark");
  }
  auto perms = validatePermissions(std::move(permissions));
  if (!perms) return perms.error();
  if (cameraScope.size() > kMaxCameraScope) {
    return authError(AuthFailure::ValidationFailed,
                     "at most " + std::to_string(kMaxCameraScope) + " cameras in the scope", "camera_scope");
  }
  for (const auto& cam : cameraScope) {
    if (cam.empty() || cam.size() > kMaxCameraIdLength) {
      return authError(
          AuthFailure::ValidationFailed,
          "camera ids in the scope must have 1 to " + std::to_string(kMaxCameraIdLength) + " characters",
          "camera_scope");
    }
  }
  if (rateLimitPerHour < 1 || rateLimitPerHour > kMaxRateLimitPerHour) {
    return authError(AuthFailure::ValidationFailed,
                     "rate limit must be 1 to " + std::to_string(kMaxRateLimitPerHour) + " requests per hour",
                     "rate_limit");
  }
  const store::TimeMs now = nowMs();
  if (expiresAt && *expiresAt <= now) {
    return authError(AuthFailure::ValidationFailed, "expiry must be in the future", "expires_at");
  }
  auto owner = store_.userById(ownerUserId);
  if (!owner) {
    if (owner.error().code == base::ErrorCode::NotFound) {
      return authError(AuthFailure::UserNotFound, "no such user", "owner");
    }
    return storageError("read user", owner.error());
  }
  if (!owner->isActive) return authError(AuthFailure::ValidationFailed, "the owner is disabled", "owner");
  if (auto may = checkOwnerMayGrant(*owner, *perms); !may) return may.error();

  store::ApiToken token;
  token.name = name;
  token.remark = remark;
  token.permissions = std::move(*perms);
  token.cameraScope = std::move(cameraScope);
  token.rateLimitPerHour = rateLimitPerHour;
  token.expiresAt = expiresAt;
  token.isActive = true;
  token.createdBy = owner->id;
  token.createdAt = now;
  const std::string secret = ApiTokenString::newSecret();
  token.secretHash = sha256Hex(secret);
  for (int attempt = 0;; ++attempt) {
    token.id = ApiTokenString::newId();
    const std::string full = ApiTokenString::format(token.id, secret);
    // RTSP Digest: username = token id, password = the whole token string as shown.
    auto digest = Password::digestHa1(token.id, Password::kRealm, full);
    token.digestMd5 = std::move(digest.md5);
    token.digestSha256 = std::move(digest.sha256);
    auto created = store_.createToken(token);
    if (created) {
      audit(actor, "token_created", created->id, {}, true,
            "owner " + owner->username + ", name " + created->name);
      return CreatedToken{std::move(*created), full};
    }
    if (created.error().code != base::ErrorCode::AlreadyExists || attempt + 1 >= kTokenIdAttempts) {
      return storageError("create API token", created.error());
    }
  }
}

AuthResult<store::ApiToken> AuthService::setTokenPermissions(const std::string& tokenId,
                                                             std::vector<std::string> permissions,
                                                             std::string_view actor) {
  auto perms = validatePermissions(std::move(permissions));
  if (!perms) return perms.error();
  auto token = store_.tokenById(tokenId);
  if (!token) {
    if (token.error().code == base::ErrorCode::NotFound)
      return authError(AuthFailure::TokenNotFound, "no such token");
    return storageError("read API token", token.error());
  }
  auto owner = store_.userById(token->createdBy);
  if (!owner) {
    if (owner.error().code == base::ErrorCode::NotFound) {
      return authError(AuthFailure::ValidationFailed, "the token's owner no longer exists", "owner");
    }
    return storageError("read user", owner.error());
  }
  if (auto may = checkOwnerMayGrant(*owner, *perms); !may) return may.error();
  token->permissions = std::move(*perms);
  auto updated = store_.updateToken(*token);
  if (!updated) return storageError("update API token", updated.error());
  audit(actor, "token_permissions_changed", tokenId, {}, true, {});
  return std::move(*updated);
}

AuthResult<void> AuthService::revokeToken(const std::string& tokenId, std::string_view actor) {
  auto token = store_.tokenById(tokenId);
  if (!token) {
    if (token.error().code == base::ErrorCode::NotFound)
      return authError(AuthFailure::TokenNotFound, "no such token");
    return storageError("read API token", token.error());
  }
  token->isActive = false;
  if (auto updated = store_.updateToken(*token); !updated)
    return storageError("update API token", updated.error());
  limiter_.forget(tokenId);
  audit(actor, "token_revoked", tokenId, {}, true, {});
  return {};
}

RateDecision AuthService::checkRateLimit(const Identity& identity) {
  if (identity.kind != IdentityKind::ApiToken || identity.rateLimitPerHour <= 0) return {};
  const double limit = identity.rateLimitPerHour;
  return limiter_.take(identity.tokenId, limit, limit / 3600.0, clock_.now());
}

// ---------------------------------------------------------------------------------------------
// Signed URLs

std::string AuthService::signUrlQuery(std::string_view path, std::chrono::seconds ttl) const {
  return SignedUrl::fromJwtKeys(keys_.snapshot()).sign(path, floorSeconds(nowMs()) + ttl.count());
}

AuthResult<void> AuthService::verifySignedUrl(std::string_view path, std::string_view query) const {
  auto st = SignedUrl::fromJwtKeys(keys_.snapshot()).verifyQuery(path, query, floorSeconds(nowMs()));
  if (st) return {};
  if (st.error().code == base::ErrorCode::Timeout)
    return authError(AuthFailure::TokenExpired, "link expired");
  return authError(AuthFailure::TokenInvalid, "invalid link signature");
}

}  // namespace ocellus::auth
