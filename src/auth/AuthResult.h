#pragma once

#include "auth/AuthError.h"
#include "base/Result.h"

namespace ocellus::auth {

// A value or an AuthError: base::Result whose error carries the AuthFailure, the field at
// fault and the Retry-After that the API layer needs.
template <typename T>
using AuthResult = base::Result<T, AuthError>;

}  // namespace ocellus::auth
