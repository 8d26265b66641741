#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/Permissions.h"
#include "store/Store.h"

namespace ocellus::auth {

enum class IdentityKind {
  Jwt,       // an access token from login/refresh
  ApiToken,  // an "oc_…" API token
  Password,  // a username and password checked directly (media servers' Basic auth)
};

std::string_view identityKindName(IdentityKind kind);

// Who is calling and what they may do: the answer of AuthService::authenticate and
// verifyPassword, held by a connection or request for its lifetime. A plain value.
struct Identity {
  std::int64_t userId = 0;  // for an API token: its owner
  std::string username;     // for an API token: its owner's
  std::string role;
  PermissionSet permissions;
  std::vector<std::string> cameraScope;    // camera ids; empty means every camera
  std::string tokenId;                     // the API token's id; empty otherwise
  std::optional<store::TimeMs> expiresAt;  // when the credential stops working; none = never
  IdentityKind kind = IdentityKind::Jwt;
  int rateLimitPerHour = 0;  // API tokens: their limit; 0 = not rate-limited

  bool can(std::string_view permission) const { return permissions.find(permission) != permissions.end(); }
  bool canAccessCamera(std::string_view cameraId) const;
  // The audit log's actor: the username, or "token:<id>" for an API token.
  std::string auditActor() const;
};

}  // namespace ocellus::auth
