#include "auth/Password.h"

#include <sodium.h>

#include "auth/Secrets.h"

namespace ocellus::auth {

Password::Limits Password::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Password::Limits Password::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

base::Result<std::string> Password::hash(std::string_view password, Limits limits) {
  if (password.size() > kMaxLength) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "password longer than " + std::to_string(kMaxLength));
  }
  ensureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), limits.opsLimit, limits.memLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return base::makeError(base::ErrorCode::Internal, "argon2id hashing failed (out of memory?)");
  }
  return std::string(out);
}

bool Password::verify(std::string_view storedHash, std::string_view password) {
  // crypto_pwhash_str_verify wants a NUL-terminated string of at most STRBYTES - 1 characters.
  if (storedHash.empty() || storedHash.size() >= crypto_pwhash_STRBYTES || password.size() > kMaxLength) {
    return false;
  }
  ensureSodium();
  char stored[crypto_pwhash_STRBYTES] = {};
  storedHash.copy(stored, storedHash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

bool Password::needsRehash(std::string_view storedHash, Limits limits) {
  if (storedHash.empty() || storedHash.size() >= crypto_pwhash_STRBYTES) return true;
  ensureSodium();
  char stored[crypto_pwhash_STRBYTES] = {};
  storedHash.copy(stored, storedHash.size());
  // 1: other parameters, -1: not an argon2id string at all; both call for a new hash.
  return crypto_pwhash_str_needs_rehash(stored, limits.opsLimit, limits.memLimit) != 0;
}

Password::DigestHa1 Password::digestHa1(std::string_view username, std::string_view realm,
                                        std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  DigestHa1 out{md5Hex(a1), sha256Hex(a1)};
  sodium_memzero(a1.data(), a1.size());
  return out;
}

}  // namespace ocellus::auth
