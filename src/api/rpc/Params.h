#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/rpc/RpcError.h"

namespace ocellus::api::rpc {

// Typed access to a call's params given by name (JSON-RPC 2.0 §4.2), for the methods of
// API-CONTRACT §1, which all take named params. Every getter throws
// RpcError(kInvalidParams, "params.<name>: expected <type>") when the member is missing or of
// the wrong type; the optional getters return nullopt (or nullptr) when it is missing or null.
// Unknown members are ignored (clients may send auth_token with any call).
// Refers to the params it was made from: they must outlive it and the views it returns.
class Params {
 public:
  static constexpr std::int64_t kMinInteger = std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t kMaxInteger = std::numeric_limits<std::int64_t>::max();

  // `params` as Call::params holds them: an object, or null when absent (no members). Throws
  // RpcError(kInvalidParams, "params: expected an object") for an array (positional params).
  explicit Params(const boost::json::value& params);

  // Present and not null.
  bool has(std::string_view name) const;
  // The member, or nullptr when missing.
  const boost::json::value* find(std::string_view name) const;

  std::string string(std::string_view name) const;
  std::optional<std::string> optionalString(std::string_view name) const;
  // A string among `allowed`: "params.<name>: expected one of "a", "b"".
  std::string oneOf(std::string_view name, std::initializer_list<std::string_view> allowed) const;
  std::optional<std::string> optionalOneOf(std::string_view name,
                                           std::initializer_list<std::string_view> allowed) const;

  // An integer in [min, max]: a JSON integer, or a number with no fractional part (10.0).
  // Out of range: "params.<name>: expected an integer in [min, max]".
  std::int64_t integer(std::string_view name, std::int64_t min = kMinInteger,
                       std::int64_t max = kMaxInteger) const;
  std::optional<std::int64_t> optionalInteger(std::string_view name, std::int64_t min = kMinInteger,
                                              std::int64_t max = kMaxInteger) const;

  // Any finite number.
  double number(std::string_view name) const;
  std::optional<double> optionalNumber(std::string_view name) const;

  bool boolean(std::string_view name) const;
  std::optional<bool> optionalBoolean(std::string_view name) const;

  const boost::json::object& object(std::string_view name) const;
  const boost::json::object* optionalObject(std::string_view name) const;
  const boost::json::array& array(std::string_view name) const;
  const boost::json::array* optionalArray(std::string_view name) const;

  // An array whose elements are all strings ("expected an array of strings").
  std::vector<std::string> strings(std::string_view name) const;
  std::optional<std::vector<std::string>> optionalStrings(std::string_view name) const;

  // The error the getters throw: RpcError(kInvalidParams, "params.<name>: expected <what>").
  static RpcError invalid(std::string_view name, std::string_view expected);

 private:
  const boost::json::value& require(std::string_view name, std::string_view expected) const;

  const boost::json::object* object_ = nullptr;  // null when there are no params
};

}  // namespace ocellus::api::rpc
