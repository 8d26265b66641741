#include "auth/Identity.h"

#include <algorithm>

namespace ocellus::auth {

std::string_view identityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::Jwt:
      return "jwt";
    case IdentityKind::ApiToken:
      return "api_token";
    case IdentityKind::Password:
      return "password";
  }
  return "jwt";
}

bool Identity::canAccessCamera(std::string_view cameraId) const {
  return cameraScope.empty() ||
         std::find(cameraScope.begin(), cameraScope.end(), cameraId) != cameraScope.end();
}

std::string Identity::auditActor() const {
  return kind == IdentityKind::ApiToken ? "token:" + tokenId : username;
}

}  // namespace ocellus::auth
