#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "base/ErrorCode.h"

namespace ocellus::base {

// An error: a code from the one table and a message that names what was wrong.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;

  std::string describe() const;
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// Result<T>: a value or an Error. The media path returns these instead of throwing (STYLE §3).
// A layer with richer failures may name its own error type E (auth::AuthResult).
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(E error) : v_(std::move(error)) {}        // NOLINT(google-explicit-constructor)

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

  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

// Result<void>: success or an error.
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  E error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace ocellus::base

// Propagates an error from an expression yielding Result<...>.
#define OCELLUS_TRY(expr)                         \
  do {                                            \
    auto ocellus_try_result_ = (expr);            \
    if (!ocellus_try_result_.ok()) {              \
      return ocellus_try_result_.error();         \
    }                                             \
  } while (0)
