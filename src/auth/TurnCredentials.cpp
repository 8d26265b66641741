#include "auth/TurnCredentials.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "base/Base64.h"

namespace ocellus::auth {

TurnCredential TurnCredential::make(std::string_view sharedSecret, std::string_view user,
                                    std::int64_t expiresAtUnixSeconds) {
  TurnCredential c;
  c.username = std::to_string(expiresAtUnixSeconds) + ":" + std::string(user);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // HMAC fails only without a SHA-1 provider (a FIPS-only build): nothing can work then.
  if (!HMAC(EVP_sha1(), sharedSecret.data(), static_cast<int>(sharedSecret.size()),
            reinterpret_cast<const unsigned char*>(c.username.data()), c.username.size(), mac, &length)) {
    std::abort();
  }
  c.password = base::base64Encode({mac, length});
  return c;
}

}  // namespace ocellus::auth
