#include "auth/AuthService.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "auth/ApiTokenString.h"
#include "auth/Secrets.h"
#include "fakes/FakeClock.h"
#include "store/sqlite/SqliteStore.h"

namespace ocellus::auth {
namespace {

using namespace std::chrono_literals;

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ocellus-auth-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
    auto opened = store::sqlite::SqliteStore::open((dir / "ocellus.db").string());
    ASSERT_TRUE(opened) << opened.error().describe();
    db = std::move(*opened);
    auto k = JwtKeys::openInDataDir(dir);
    ASSERT_TRUE(k) << k.error().describe();
    keys = std::move(*k);
    options.passwordLimits = Password::minimum();
    service = std::make_unique<AuthService>(*db, clock, *keys, options);
  }
  void TearDown() override {
    service.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }

  store::User makeUser(const std::string& name, const std::string& role,
                       const std::string& password = "password1") {
    auto u = service->createUser(name, password, role);
    EXPECT_TRUE(u) << (u ? "" : u.error().describe());
    return u ? *u : store::User{};
  }

  LoginResult mustLogin(const std::string& name, const std::string& password = "password1",
                        bool remember = false) {
    auto r = service->login(name, password, "10.0.0.1", remember);
    EXPECT_TRUE(r) << (r ? "" : r.error().describe());
    return r ? *r : LoginResult{};
  }

  std::vector<store::AuditEntry> auditWith(std::string_view action) {
    auto all = db->listAudit(1000, 0);
    EXPECT_TRUE(all);
    std::vector<store::AuditEntry> out;
    if (!all) return out;
    for (auto& e : *all) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }

  CreatedToken mustCreateToken(std::int64_t owner, std::vector<std::string> perms, int rate = 1000,
                               std::optional<store::TimeMs> expires = std::nullopt,
                               std::vector<std::string> scope = {}) {
    auto t = service->createToken(owner, "ci", "for the pipeline", std::move(perms), std::move(scope), rate,
                                  expires);
    EXPECT_TRUE(t) << (t ? "" : t.error().describe());
    return t ? *t : CreatedToken{};
  }

  store::TimeMs nowMs() const { return base::wallMillis(clock.wallNow()); }

  std::filesystem::path dir;
  test::FakeClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> db;
  std::unique_ptr<JwtKeys> keys;
  AuthOptions options;
  std::unique_ptr<AuthService> service;
};

// ---- bootstrap and users

TEST_F(AuthServiceTest, EnsureAdminCreatesTheFirstUserOnce) {
  auto first = service->ensureAdmin(std::nullopt);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_TRUE(first->has_value());
  const std::string password = **first;
  EXPECT_EQ(password.size(), AuthService::kGeneratedPasswordLength);

  auto admin = db->userByName("admin");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->role, "admin");
  EXPECT_TRUE(Password::verify(admin->passwordHash, password));
  const auto ha1 = Password::digestHa1("admin", "ocellus", password);
  EXPECT_EQ(admin->digestMd5, ha1.md5);
  EXPECT_EQ(admin->digestSha256, ha1.sha256);

  auto second = service->ensureAdmin(std::nullopt);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->has_value());
  EXPECT_TRUE(service->login("admin", password, "10.0.0.1", false));
}

TEST_F(AuthServiceTest, EnsureAdminUsesTheGivenPassword) {
  auto r = service->ensureAdmin(std::string("s3cret-admin"));
  ASSERT_TRUE(r);
  EXPECT_EQ(**r, "s3cret-admin");
  EXPECT_TRUE(service->login("admin", "s3cret-admin", "10.0.0.1", false));
  auto tooShort = AuthService(*db, clock, *keys, options).ensureAdmin(std::string("short"));
  ASSERT_TRUE(tooShort);  // users exist: nothing to do, the password is not even looked at
  EXPECT_FALSE(tooShort->has_value());
}

TEST_F(AuthServiceTest, CreateUserValidatesAndNamesTheField) {
  struct Case {
    const char* username;
    const char* password;
    const char* role;
    const char* field;
  };
  for (const Case& c : {
           Case{"a", "password1", "viewer", "username"},
           Case{"bad name", "password1", "viewer", "username"},
           Case{"bad:name", "password1", "viewer", "username"},
           Case{"-dash", "password1", "viewer", "username"},
           Case{"tok_0123456789ab", "password1", "viewer", "username"},
           Case{"OC_user", "password1", "viewer", "username"},
           Case{"carol", "short", "viewer", "password"},
           Case{"carol", "password1", "root", "role"},
       }) {
    auto r = service->createUser(c.username, c.password, c.role);
    ASSERT_FALSE(r) << c.username;
    EXPECT_EQ(r.error().failure, AuthFailure::ValidationFailed) << c.username;
    EXPECT_EQ(r.error().field, c.field) << c.username;
    EXPECT_EQ(r.error().apiCode(), "VALIDATION_FAILED");
  }
  auto ok = service->createUser("carol.smith@example", "password1", "viewer");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_TRUE(ok->passwordHash.empty());  // never handed out
  auto dup = service->createUser("carol.smith@example", "password2", "viewer");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().failure, AuthFailure::UsernameTaken);
  EXPECT_EQ(dup.error().field, "username");
  EXPECT_EQ(auditWith("user_created").size(), 1u);
}

TEST_F(AuthServiceTest, SetPasswordChangesItAndEndsSessions) {
  const auto alice = makeUser("alice", "operator");
  const auto session = mustLogin("alice");
  ASSERT_TRUE(service->setPassword(alice.id, "new-password"));
  EXPECT_EQ(service->login("alice", "password1", "10.0.0.9", false).error().failure,
            AuthFailure::CredentialsInvalid);
  EXPECT_TRUE(service->login("alice", "new-password", "10.0.0.9", false));
  EXPECT_FALSE(service->refresh(session.refreshToken, "10.0.0.1"));
  auto stored = db->userById(alice.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->digestMd5, Password::digestHa1("alice", "ocellus", "new-password").md5);
  auto tooShort = service->setPassword(alice.id, "1234567");
  ASSERT_FALSE(tooShort);
  EXPECT_EQ(tooShort.error().field, "password");
  EXPECT_EQ(service->setPassword(9999, "whatever1").error().failure, AuthFailure::UserNotFound);
}

// ---- login

TEST_F(AuthServiceTest, LoginIssuesTokensAndAudits) {
  const auto alice = makeUser("alice", "operator");
  const auto r = mustLogin("alice");
  EXPECT_EQ(r.expiresIn, 900);
  EXPECT_EQ(r.user.username, "alice");
  EXPECT_TRUE(r.user.passwordHash.empty());
  EXPECT_TRUE(r.user.digestMd5.empty());
  EXPECT_EQ(r.refreshExpiresAt, nowMs() + 7LL * 24 * 3600 * 1000);
  EXPECT_GE(r.refreshToken.size(), 43u);

  auto id = service->authenticate(r.accessToken);
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_EQ(id->kind, IdentityKind::Jwt);
  EXPECT_EQ(id->userId, alice.id);
  EXPECT_EQ(id->username, "alice");
  EXPECT_EQ(id->role, "operator");
  EXPECT_TRUE(id->can("recordings:write"));
  EXPECT_FALSE(id->can("users:manage"));
  EXPECT_TRUE(id->cameraScope.empty());
  EXPECT_TRUE(id->tokenId.empty());
  EXPECT_EQ(id->expiresAt, nowMs() + 900'000);
  EXPECT_TRUE(service->checkRateLimit(*id).allowed);

  auto stored = db->userById(alice.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->lastLoginAt, nowMs());
  // The refresh token is stored hashed, never as is.
  EXPECT_FALSE(db->refreshTokenByHash(r.refreshToken));
  EXPECT_TRUE(db->refreshTokenByHash(sha256Hex(r.refreshToken)));

  const auto logins = auditWith("login");
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].actor, "alice");
  EXPECT_EQ(logins[0].remoteIp, "10.0.0.1");
  EXPECT_TRUE(logins[0].success);
}

TEST_F(AuthServiceTest, LoginFailuresLookAlikeAndAreAudited) {
  makeUser("alice", "viewer");
  auto wrong = service->login("alice", "password2", "10.0.0.1", false);
  auto unknown = service->login("mallory", "password1", "10.0.0.2", false);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().failure, AuthFailure::CredentialsInvalid);
  EXPECT_EQ(unknown.error().failure, AuthFailure::CredentialsInvalid);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().apiCode(), "AUTH_CREDENTIALS_INVALID");
  EXPECT_EQ(wrong.error().httpStatus(), 401);
  EXPECT_EQ(service->login("", "", "10.0.0.3", false).error().failure, AuthFailure::CredentialsInvalid);
  EXPECT_EQ(service->login(std::string(5000, 'a'), "x", "10.0.0.3", false).error().failure,
            AuthFailure::CredentialsInvalid);

  const auto failed = auditWith("login_failed");
  ASSERT_EQ(failed.size(), 4u);
  for (const auto& e : failed) EXPECT_FALSE(e.success);
  EXPECT_TRUE(std::any_of(failed.begin(), failed.end(), [](const auto& e) { return e.actor == "mallory"; }));
}

TEST_F(AuthServiceTest, LoginIsThrottledAfterFiveFailures) {
  makeUser("alice", "viewer");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service->login("alice", "nope-nope", "10.0.0.1", false).error().failure,
              AuthFailure::CredentialsInvalid);
  }
  auto throttled = service->login("alice", "password1", "10.0.0.1", false);
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().failure, AuthFailure::Throttled);
  EXPECT_EQ(throttled.error().retryAfterSeconds, 30);
  EXPECT_EQ(throttled.error().httpStatus(), 429);
  // The username is locked from every address, too.
  EXPECT_EQ(service->login("alice", "password1", "10.9.9.9", false).error().failure, AuthFailure::Throttled);
  clock.advance(31s);
  EXPECT_TRUE(service->login("alice", "password1", "10.0.0.1", false));
  // Success reset the count.
  EXPECT_EQ(service->login("alice", "nope-nope", "10.0.0.1", false).error().failure,
            AuthFailure::CredentialsInvalid);
  EXPECT_TRUE(service->login("alice", "password1", "10.0.0.1", false));
  EXPECT_FALSE(auditWith("login_failed").empty());
}

TEST_F(AuthServiceTest, InactiveUsersCannotLogIn) {
  auto alice = makeUser("alice", "viewer");
  const auto session = mustLogin("alice");
  auto stored = db->userById(alice.id);
  ASSERT_TRUE(stored);
  stored->isActive = false;
  ASSERT_TRUE(db->updateUser(*stored));
  EXPECT_EQ(service->login("alice", "password1", "10.0.0.1", false).error().failure, AuthFailure::UserInactive);
  // A wrong password says nothing about the account's state.
  EXPECT_EQ(service->login("alice", "password2", "10.0.0.1", false).error().failure,
            AuthFailure::CredentialsInvalid);
  // Tokens issued before stop working.
  EXPECT_EQ(service->authenticate(session.accessToken).error().failure, AuthFailure::TokenInvalid);
  EXPECT_EQ(service->refresh(session.refreshToken, "10.0.0.1").error().failure, AuthFailure::TokenInvalid);
}

TEST_F(AuthServiceTest, ApiOnlyAccountsMayNotUseAPassword) {
  makeUser("robot", "api_only");
  auto r = service->login("robot", "password1", "10.0.0.1", false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, AuthFailure::RoleRestricted);
  EXPECT_EQ(r.error().apiCode(), "AUTH_ROLE_RESTRICTED");
  EXPECT_EQ(r.error().httpStatus(), 403);
  EXPECT_EQ(service->verifyPassword("robot", "password1").error().failure, AuthFailure::RoleRestricted);
  EXPECT_EQ(auditWith("login_failed").size(), 1u);
}

// ---- access tokens

TEST_F(AuthServiceTest, AccessTokensExpire) {
  makeUser("alice", "viewer");
  const auto r = mustLogin("alice");
  clock.advance(14min);
  EXPECT_TRUE(service->authenticate(r.accessToken));
  clock.advance(1min);
  auto expired = service->authenticate(r.accessToken);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().failure, AuthFailure::TokenExpired);
  EXPECT_EQ(expired.error().reason(), "token_expired");
  EXPECT_EQ(expired.error().jsonRpcCode(), -32001);
}

TEST_F(AuthServiceTest, AccessTokenTtlIsConfigurable) {
  AuthOptions shortLived = options;
  shortLived.accessTokenTtl = 60s;
  AuthService svc(*db, clock, *keys, shortLived);
  makeUser("alice", "viewer");
  auto r = svc.login("alice", "password1", "10.0.0.1", false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->expiresIn, 60);
  clock.advance(61s);
  EXPECT_EQ(svc.authenticate(r->accessToken).error().failure, AuthFailure::TokenExpired);
}

TEST_F(AuthServiceTest, GarbageCredentialsAreInvalidOrMissing) {
  EXPECT_EQ(service->authenticate("").error().failure, AuthFailure::TokenMissing);
  for (const char* bad : {"x", "a.b.c", "oc_",
                          "oc_tok_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Bearer abc"}) {
    EXPECT_EQ(service->authenticate(bad).error().failure, AuthFailure::TokenInvalid) << bad;
  }
}

TEST_F(AuthServiceTest, DeletedUsersTokensFailAndDemotionsApplyAtOnce) {
  auto alice = makeUser("alice", "admin");
  auto bob = makeUser("bob", "admin");
  const auto a = mustLogin("alice");
  const auto b = mustLogin("bob");
  ASSERT_TRUE(db->deleteUser(alice.id));
  EXPECT_EQ(service->authenticate(a.accessToken).error().failure, AuthFailure::TokenInvalid);
  auto stored = db->userById(bob.id);
  ASSERT_TRUE(stored);
  stored->role = "viewer";
  ASSERT_TRUE(db->updateUser(*stored));
  auto id = service->authenticate(b.accessToken);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->role, "viewer");
  EXPECT_FALSE(id->can("users:manage"));
}

TEST_F(AuthServiceTest, KeyRotationKeepsIssuedTokensValid) {
  makeUser("alice", "viewer");
  const auto before = mustLogin("alice");
  ASSERT_TRUE(service->rotateKeys());
  EXPECT_TRUE(service->authenticate(before.accessToken));
  const auto after = mustLogin("alice");
  EXPECT_TRUE(service->authenticate(after.accessToken));
  // A restart reads the rotated keys back.
  auto reloaded = JwtKeys::openInDataDir(dir);
  ASSERT_TRUE(reloaded);
  AuthService restarted(*db, clock, **reloaded, options);
  EXPECT_TRUE(restarted.authenticate(before.accessToken));
  EXPECT_TRUE(restarted.authenticate(after.accessToken));
  ASSERT_TRUE(service->rotateKeys());
  EXPECT_EQ(service->authenticate(before.accessToken).error().failure, AuthFailure::TokenInvalid);
}

// ---- refresh tokens

TEST_F(AuthServiceTest, RefreshRotatesWithinTheFamily) {
  makeUser("alice", "operator");
  const auto first = mustLogin("alice");
  clock.advance(10min);
  auto second = service->refresh(first.refreshToken, "10.0.0.1");
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_NE(second->refreshToken, first.refreshToken);
  EXPECT_NE(second->accessToken, first.accessToken);
  EXPECT_EQ(second->user.username, "alice");
  EXPECT_EQ(second->refreshExpiresAt, first.refreshExpiresAt);  // the session keeps its end
  EXPECT_TRUE(service->authenticate(second->accessToken));

  auto oldRow = db->refreshTokenByHash(sha256Hex(first.refreshToken));
  auto newRow = db->refreshTokenByHash(sha256Hex(second->refreshToken));
  ASSERT_TRUE(oldRow && newRow);
  EXPECT_EQ(oldRow->familyId, newRow->familyId);
  EXPECT_TRUE(oldRow->usedAt.has_value());
  EXPECT_FALSE(newRow->usedAt.has_value());

  auto third = service->refresh(second->refreshToken, "10.0.0.1");
  ASSERT_TRUE(third);
  EXPECT_TRUE(service->refresh(third->refreshToken, "10.0.0.1"));
}

TEST_F(AuthServiceTest, ReusingARefreshTokenRevokesTheFamily) {
  makeUser("alice", "operator");
  const auto first = mustLogin("alice");
  const auto other = mustLogin("alice");  // another device: another family
  auto second = service->refresh(first.refreshToken, "10.0.0.1");
  ASSERT_TRUE(second);

  auto replay = service->refresh(first.refreshToken, "203.0.113.7");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().failure, AuthFailure::TokenInvalid);
  // The legitimate holder's newer token dies with the family …
  EXPECT_EQ(service->refresh(second->refreshToken, "10.0.0.1").error().failure, AuthFailure::TokenInvalid);
  // … and the other login is untouched.
  EXPECT_TRUE(service->refresh(other.refreshToken, "10.0.0.1"));

  const auto reuse = auditWith("refresh_reuse");
  ASSERT_EQ(reuse.size(), 1u);
  EXPECT_EQ(reuse[0].actor, "alice");
  EXPECT_EQ(reuse[0].remoteIp, "203.0.113.7");
  EXPECT_FALSE(reuse[0].success);
}

TEST_F(AuthServiceTest, RefreshTokensExpireAfterTheirTtl) {
  makeUser("alice", "viewer");
  const auto normal = mustLogin("alice");
  const auto remembered = mustLogin("alice", "password1", true);
  EXPECT_EQ(remembered.refreshExpiresAt, nowMs() + 30LL * 24 * 3600 * 1000);
  clock.advance(std::chrono::hours(24 * 7));
  auto expired = service->refresh(normal.refreshToken, "10.0.0.1");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().failure, AuthFailure::TokenExpired);
  EXPECT_TRUE(service->refresh(remembered.refreshToken, "10.0.0.1"));
  EXPECT_EQ(service->refresh("", "10.0.0.1").error().failure, AuthFailure::TokenMissing);
  EXPECT_EQ(service->refresh("not-a-token", "10.0.0.1").error().failure, AuthFailure::TokenInvalid);
  EXPECT_EQ(service->refresh(std::string(4000, 'a'), "10.0.0.1").error().failure, AuthFailure::TokenInvalid);
}

TEST_F(AuthServiceTest, LogoutRevokesTheFamily) {
  makeUser("alice", "viewer");
  const auto first = mustLogin("alice");
  auto second = service->refresh(first.refreshToken, "10.0.0.1");
  ASSERT_TRUE(second);
  ASSERT_TRUE(service->logout(second->refreshToken, "10.0.0.1"));
  EXPECT_EQ(service->refresh(second->refreshToken, "10.0.0.1").error().failure, AuthFailure::TokenInvalid);
  EXPECT_EQ(service->logout("unknown-token").error().failure, AuthFailure::TokenInvalid);
  EXPECT_EQ(auditWith("logout").size(), 1u);
}

// ---- API tokens

TEST_F(AuthServiceTest, ApiTokenCreateAndAuthenticate) {
  const auto admin = makeUser("root.admin", "admin");
  const auto created = mustCreateToken(admin.id, {"cameras:read", "recordings:read", "cameras:read"}, 1000,
                                       std::nullopt, {"cam1", "cam2"});
  const auto parsed = ApiTokenString::parse(created.secret);
  ASSERT_TRUE(parsed) << created.secret;
  EXPECT_EQ(parsed->id, created.token.id);
  EXPECT_EQ(created.token.secretHash, sha256Hex(parsed->secret));
  EXPECT_EQ(created.token.permissions, (std::vector<std::string>{"cameras:read", "recordings:read"}));
  const auto ha1 = Password::digestHa1(created.token.id, "ocellus", created.secret);
  EXPECT_EQ(created.token.digestMd5, ha1.md5);
  EXPECT_EQ(created.token.digestSha256, ha1.sha256);

  auto stored = db->tokenById(created.token.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->secretHash, created.token.secretHash);
  EXPECT_EQ(stored->createdBy, admin.id);
  EXPECT_FALSE(stored->lastUsedAt.has_value());

  auto id = service->authenticate(created.secret);
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_EQ(id->kind, IdentityKind::ApiToken);
  EXPECT_EQ(id->tokenId, created.token.id);
  EXPECT_EQ(id->userId, admin.id);
  EXPECT_EQ(id->permissions, (PermissionSet{"cameras:read", "recordings:read"}));
  EXPECT_FALSE(id->can("cameras:write"));
  EXPECT_TRUE(id->canAccessCamera("cam2"));
  EXPECT_FALSE(id->canAccessCamera("cam3"));
  EXPECT_EQ(id->rateLimitPerHour, 1000);
  EXPECT_FALSE(id->expiresAt.has_value());
  EXPECT_EQ(id->auditActor(), "token:" + created.token.id);
  stored = db->tokenById(created.token.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->lastUsedAt, nowMs());
  EXPECT_EQ(auditWith("token_created").size(), 1u);
}

TEST_F(AuthServiceTest, ApiTokenLastUsedIsWrittenAtMostOncePerMinute) {
  const auto admin = makeUser("boss", "admin");
  const auto created = mustCreateToken(admin.id, {"cameras:read"});
  const store::TimeMs firstUse = nowMs();
  ASSERT_TRUE(service->authenticate(created.secret));
  clock.advance(30s);
  ASSERT_TRUE(service->authenticate(created.secret));
  EXPECT_EQ(db->tokenById(created.token.id)->lastUsedAt, firstUse);
  clock.advance(31s);
  ASSERT_TRUE(service->authenticate(created.secret));
  EXPECT_EQ(db->tokenById(created.token.id)->lastUsedAt, nowMs());
}

TEST_F(AuthServiceTest, ApiTokenWrongSecretExpiredAndRevoked) {
  const auto admin = makeUser("boss", "admin");
  const auto created = mustCreateToken(admin.id, {"cameras:read"}, 1000, nowMs() + 60'000);
  std::string wrong = created.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(service->authenticate(wrong).error().failure, AuthFailure::TokenInvalid);
  auto unknownId = ApiTokenString::format("tok_000000000000", ApiTokenString::parse(created.secret)->secret);
  EXPECT_EQ(service->authenticate(unknownId).error().failure, AuthFailure::TokenInvalid);

  auto id = service->authenticate(created.secret);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->expiresAt, nowMs() + 60'000);
  clock.advance(61s);
  EXPECT_EQ(service->authenticate(created.secret).error().failure, AuthFailure::TokenExpired);
  // A wrong secret on an expired token is still just invalid.
  EXPECT_EQ(service->authenticate(wrong).error().failure, AuthFailure::TokenInvalid);

  const auto other = mustCreateToken(admin.id, {"cameras:read"});
  ASSERT_TRUE(service->authenticate(other.secret));
  ASSERT_TRUE(service->revokeToken(other.token.id));
  EXPECT_EQ(service->authenticate(other.secret).error().failure, AuthFailure::TokenInvalid);
  EXPECT_EQ(service->revokeToken("tok_ffffffffffff").error().failure, AuthFailure::TokenNotFound);
}

TEST_F(AuthServiceTest, ApiTokenValidationNamesTheField) {
  const auto admin = makeUser("boss", "admin");
  const auto op = makeUser("oper", "operator");
  const auto check = [&](const AuthResult<CreatedToken>& r, AuthFailure failure, const char* field) {
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().failure, failure) << field;
    EXPECT_EQ(r.error().field, field);
  };
  const std::vector<std::string> read{"cameras:read"};
  check(service->createToken(admin.id, "", "", read, {}, 1000, std::nullopt), AuthFailure::ValidationFailed,
        "name");
  check(service->createToken(admin.id, "n", std::string(2000, 'r'), read, {}, 1000, std::nullopt),
        AuthFailure::ValidationFailed, "remark");
  check(service->createToken(admin.id, "n", "", {}, {}, 1000, std::nullopt), AuthFailure::ValidationFailed,
        "permissions");
  check(service->createToken(admin.id, "n", "", {"cameras:read", "cameras:fly"}, {}, 1000, std::nullopt),
        AuthFailure::ValidationFailed, "permissions");
  check(service->createToken(admin.id, "n", "", read, {""}, 1000, std::nullopt),
        AuthFailure::ValidationFailed, "camera_scope");
  check(service->createToken(admin.id, "n", "", read, {}, 0, std::nullopt), AuthFailure::ValidationFailed,
        "rate_limit");
  check(service->createToken(admin.id, "n", "", read, {}, -5, std::nullopt), AuthFailure::ValidationFailed,
        "rate_limit");
  check(service->createToken(admin.id, "n", "", read, {}, 1000, nowMs() - 1), AuthFailure::ValidationFailed,
        "expires_at");
  check(service->createToken(4242, "n", "", read, {}, 1000, std::nullopt), AuthFailure::UserNotFound,
        "owner");
  // An operator cannot mint a token with more than an operator may do.
  check(service->createToken(op.id, "n", "", {"users:manage"}, {}, 1000, std::nullopt),
        AuthFailure::InsufficientPermissions, "permissions");
  EXPECT_TRUE(service->createToken(op.id, "n", "", {"recordings:write"}, {}, 1000, std::nullopt));
}

TEST_F(AuthServiceTest, ApiTokenPermissionsFollowTheOwner) {
  const auto op = makeUser("oper", "operator");
  const auto created = mustCreateToken(op.id, {"cameras:read", "recordings:write"});
  auto updated = service->setTokenPermissions(created.token.id, {"cameras:read"});
  ASSERT_TRUE(updated) << updated.error().describe();
  EXPECT_EQ(service->authenticate(created.secret)->permissions, PermissionSet{"cameras:read"});
  EXPECT_EQ(service->setTokenPermissions(created.token.id, {"system:write"}).error().failure,
            AuthFailure::InsufficientPermissions);
  EXPECT_EQ(service->setTokenPermissions(created.token.id, {"bogus"}).error().field, "permissions");
  ASSERT_TRUE(service->setTokenPermissions(created.token.id, {"cameras:read", "recordings:write"}));
  // The owner is demoted: the token loses what the new role lacks.
  auto owner = db->userById(op.id);
  owner->role = "viewer";
  ASSERT_TRUE(db->updateUser(*owner));
  EXPECT_EQ(service->authenticate(created.secret)->permissions, PermissionSet{"cameras:read"});
  // The owner is disabled: the token stops.
  owner->isActive = false;
  ASSERT_TRUE(db->updateUser(*owner));
  EXPECT_EQ(service->authenticate(created.secret).error().failure, AuthFailure::TokenInvalid);
}

TEST_F(AuthServiceTest, ApiOnlyAccountsActThroughTokens) {
  const auto robot = makeUser("robot", "api_only");
  const auto created = mustCreateToken(robot.id, {"cameras:read", "media:publish"});
  auto id = service->authenticate(created.secret);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->role, "api_only");
  EXPECT_TRUE(id->can("media:publish"));
}

TEST_F(AuthServiceTest, RateLimitPerToken) {
  const auto admin = makeUser("boss", "admin");
  const auto created = mustCreateToken(admin.id, {"cameras:read"}, 3);
  auto id = service->authenticate(created.secret);
  ASSERT_TRUE(id);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(service->checkRateLimit(*id).allowed) << i;
  auto refused = service->checkRateLimit(*id);
  ASSERT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfterSeconds(), 1200);  // one request per 20 minutes
  clock.advance(1199s);
  EXPECT_FALSE(service->checkRateLimit(*id).allowed);
  clock.advance(1s);
  EXPECT_TRUE(service->checkRateLimit(*id).allowed);
  // Another token has its own bucket.
  const auto other = mustCreateToken(admin.id, {"cameras:read"}, 3);
  auto otherId = service->authenticate(other.secret);
  ASSERT_TRUE(otherId);
  EXPECT_TRUE(service->checkRateLimit(*otherId).allowed);
}

// ---- media servers' Basic auth

TEST_F(AuthServiceTest, VerifyPasswordForUsersAndTokens) {
  const auto alice = makeUser("alice", "operator");
  auto id = service->verifyPassword("alice", "password1");
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_EQ(id->kind, IdentityKind::Password);
  EXPECT_EQ(id->userId, alice.id);
  EXPECT_TRUE(id->can("media:publish"));
  EXPECT_TRUE(service->verifyPassword("alice", "password1"));  // from the cache
  EXPECT_EQ(service->verifyPassword("alice", "password2").error().failure, AuthFailure::CredentialsInvalid);
  EXPECT_EQ(service->verifyPassword("nobody", "password1").error().failure, AuthFailure::CredentialsInvalid);

  const auto created = mustCreateToken(alice.id, {"media:read"});
  const auto parsed = ApiTokenString::parse(created.secret);
  auto anyUser = service->verifyPassword("whoever", created.secret);
  ASSERT_TRUE(anyUser);
  EXPECT_EQ(anyUser->kind, IdentityKind::ApiToken);
  EXPECT_TRUE(service->verifyPassword(created.token.id, created.secret));
  auto byId = service->verifyPassword(created.token.id, std::string(parsed->secret));
  ASSERT_TRUE(byId);
  EXPECT_EQ(byId->tokenId, created.token.id);
  EXPECT_EQ(service->verifyPassword(created.token.id, "wrong-secret").error().failure, AuthFailure::TokenInvalid);
}

TEST_F(AuthServiceTest, VerifyPasswordSeesPasswordChangesAndThrottles) {
  const auto alice = makeUser("alice", "viewer");
  ASSERT_TRUE(service->verifyPassword("alice", "password1"));
  ASSERT_TRUE(service->setPassword(alice.id, "password-2"));
  EXPECT_FALSE(service->verifyPassword("alice", "password1"));  // the cache is keyed by the hash
  EXPECT_TRUE(service->verifyPassword("alice", "password-2"));

  for (int i = 0; i < 5; ++i) EXPECT_FALSE(service->verifyPassword("alice", "bad-guess", "198.51.100.1"));
  auto throttled = service->verifyPassword("alice", "password-2", "198.51.100.1");
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().failure, AuthFailure::Throttled);
  EXPECT_GT(throttled.error().retryAfterSeconds, 0);
}

// ---- signed URLs

TEST_F(AuthServiceTest, SignedUrls) {
  const std::string query = service->signUrlQuery("/files/recordings/a.mp4", 15min);
  EXPECT_TRUE(service->verifySignedUrl("/files/recordings/a.mp4", query));
  EXPECT_EQ(service->verifySignedUrl("/files/recordings/b.mp4", query).error().failure, AuthFailure::TokenInvalid);
  ASSERT_TRUE(service->rotateKeys());
  EXPECT_TRUE(service->verifySignedUrl("/files/recordings/a.mp4", query));
  clock.advance(15min + 1s);
  EXPECT_EQ(service->verifySignedUrl("/files/recordings/a.mp4", query).error().failure, AuthFailure::TokenExpired);
}

}  // namespace
}  // namespace ocellus::auth
