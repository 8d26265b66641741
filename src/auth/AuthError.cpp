#include "auth/AuthError.h"

namespace ocellus::auth {

std::string_view reasonName(AuthFailure failure) {
  switch (failure) {
#define OCELLUS_X(name, reason, http, api, rpc, bc) \
  case AuthFailure::name:                           \
    return reason;
    OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
  }
  return "internal";
}

std::string_view apiCode(AuthFailure failure) {
  switch (failure) {
#define OCELLUS_X(name, reason, http, api, rpc, bc) \
  case AuthFailure::name:                           \
    return api;
    OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
  }
  return "INTERNAL_ERROR";
}

int httpStatus(AuthFailure failure) {
  switch (failure) {
#define OCELLUS_X(name, reason, http, api, rpc, bc) \
  case AuthFailure::name:                           \
    return http;
    OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
  }
  return 500;
}

int jsonRpcCode(AuthFailure failure) {
  switch (failure) {
#define OCELLUS_X(name, reason, http, api, rpc, bc) \
  case AuthFailure::name:                           \
    return rpc;
    OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
  }
  return -32603;
}

base::ErrorCode baseErrorCode(AuthFailure failure) {
  switch (failure) {
#define OCELLUS_X(name, reason, http, api, rpc, bc) \
  case AuthFailure::name:                           \
    return base::ErrorCode::bc;
    OCELLUS_AUTH_FAILURES(OCELLUS_X)
#undef OCELLUS_X
  }
  return base::ErrorCode::Internal;
}

base::Error AuthError::toError() const {
  std::string text(reason());
  if (!message.empty()) text += ": " + message;
  return base::makeError(baseErrorCode(failure), std::move(text));
}

std::string AuthError::describe() const {
  std::string out(reason());
  if (!field.empty()) out += " [" + field + "]";
  if (!message.empty()) out += ": " + message;
  if (retryAfterSeconds > 0) out += " (retry after " + std::to_string(retryAfterSeconds) + " s)";
  return out;
}

}  // namespace ocellus::auth
