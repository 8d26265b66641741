#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::auth {

// Why an authentication or account operation failed, with the one mapping to the REST error
// code and HTTP status (API-CONTRACT §2), the JSON-RPC code (§1) and the base ErrorCode.
// The contract has no separate code for an expired token: TokenExpired answers
// AUTH_TOKEN_INVALID like TokenInvalid, and reasonName() ("token_expired") tells them apart
// in the error's details.
//
//  X(name, reason, http, apiCode, jsonRpc, baseCode)
#define OCELLUS_AUTH_FAILURES(X)                                                                       \
  X(TokenMissing, "token_missing", 401, "AUTH_TOKEN_MISSING", -32001, Unauthorized)                    \
  X(TokenInvalid, "token_invalid", 401, "AUTH_TOKEN_INVALID", -32001, Unauthorized)                    \
  X(TokenExpired, "token_expired", 401, "AUTH_TOKEN_INVALID", -32001, Timeout)                         \
  X(CredentialsInvalid, "credentials_invalid", 401, "AUTH_CREDENTIALS_INVALID", -32001, Unauthorized)  \
  X(UserInactive, "user_inactive", 401, "AUTH_CREDENTIALS_INVALID", -32001, Forbidden)                 \
  X(RoleRestricted, "role_restricted", 403, "AUTH_ROLE_RESTRICTED", -32003, Forbidden)                 \
  X(InsufficientPermissions, "insufficient_permissions", 403, "AUTH_INSUFFICIENT_PERMISSIONS", -32003, \
    Forbidden)                                                                                         \
  X(Throttled, "throttled", 429, "RATE_LIMIT_EXCEEDED", -32002, Busy)                                  \
  X(RateLimited, "rate_limited", 429, "RATE_LIMIT_EXCEEDED", -32002, Busy)                             \
  X(ValidationFailed, "validation_failed", 400, "VALIDATION_FAILED", -32602, InvalidArgument)          \
  X(UsernameTaken, "username_taken", 400, "USERNAME_DUPLICATE", -32602, AlreadyExists)                 \
  X(UserNotFound, "user_not_found", 404, "USER_NOT_FOUND", -32602, NotFound)                           \
  X(TokenNotFound, "token_not_found", 404, "TOKEN_NOT_FOUND", -32602, NotFound)                        \
  X(Internal, "internal", 500, "INTERNAL_ERROR", -32603, Internal)

enum class AuthFailure : std::uint8_t {
#define OCELLUS_X(name, reason, http, api, rpc, bc) name,
  OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
};

std::string_view reasonName(AuthFailure failure);
std::string_view apiCode(AuthFailure failure);
int httpStatus(AuthFailure failure);
int jsonRpcCode(AuthFailure failure);
base::ErrorCode baseErrorCode(AuthFailure failure);

struct AuthError {
  AuthFailure failure = AuthFailure::Internal;
  std::string message;  // safe to show the client: never says which half of a login was wrong
  std::string field;    // ValidationFailed and friends: the request field at fault ("password")
  std::int64_t retryAfterSeconds = 0;  // Throttled, RateLimited: the Retry-After value

  std::string_view apiCode() const { return auth::apiCode(failure); }
  int httpStatus() const { return auth::httpStatus(failure); }
  int jsonRpcCode() const { return auth::jsonRpcCode(failure); }
  std::string_view reason() const { return reasonName(failure); }
  base::Error toError() const;
  std::string describe() const;
};

inline AuthError authError(AuthFailure failure, std::string message, std::string field = {}) {
  return AuthError{failure, std::move(message), std::move(field), 0};
}

}  // namespace ocellus::auth
