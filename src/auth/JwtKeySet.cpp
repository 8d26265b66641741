#include "auth/JwtKeySet.h"

#include "auth/Secrets.h"

namespace ocellus::auth {

JwtKey JwtKey::generate() {
  return JwtKey{randomHexString(8), randomBytes(kSecretBytes)};
}

const JwtKey* JwtKeySet::find(std::string_view kid) const {
  if (current.kid == kid) return &current;
  if (previous && previous->kid == kid) return &*previous;
  return nullptr;
}

}  // namespace ocellus::auth
