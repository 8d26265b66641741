#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "auth/AuthError.h"

namespace ocellus::auth {

// A value or an AuthError: like base::Result, but the error carries the AuthFailure, the
// field at fault and the Retry-After that the API layer needs.
template <typename T>
class [[nodiscard]] AuthResult {
 public:
  AuthResult(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  AuthResult(AuthError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const AuthError& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  AuthFailure failure() const { return error().failure; }

 private:
  std::variant<T, AuthError> v_;
};

template <>
class [[nodiscard]] AuthResult<void> {
 public:
  AuthResult() = default;
  AuthResult(AuthError error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const AuthError& error() const {
    assert(!ok_);
    return error_;
  }
  AuthFailure failure() const { return error().failure; }

 private:
  AuthError error_;
  bool ok_ = true;
};

}  // namespace ocellus::auth
