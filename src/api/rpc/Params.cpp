#include "api/rpc/Params.h"

#include <boost/json.hpp>

#include <cmath>

namespace ocellus::api::rpc {

namespace json = boost::json;

namespace {

// The value as an int64 when it is an integer, including doubles with no fractional part
// (clients in JavaScript cannot tell 10 from 10.0); nullopt for anything else.
std::optional<std::int64_t> asInteger(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(Params::kMaxInteger)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    // [-2^63, 2^63): the doubles that convert to int64 without overflow.
    if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::string integerKind(std::int64_t min, std::int64_t max) {
  if (min == Params::kMinInteger && max == Params::kMaxInteger) return "an integer";
  if (max == Params::kMaxInteger) return "an integer >= " + std::to_string(min);
  if (min == Params::kMinInteger) return "an integer <= " + std::to_string(max);
  return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string oneOfKind(std::initializer_list<std::string_view> allowed) {
  std::string kind = "one of ";
  bool first = true;
  for (std::string_view a : allowed) {
    if (!first) kind += ", ";
    first = false;
    kind += '"';
    kind += a;
    kind += '"';
  }
  return kind;
}

}  // namespace

Params::Params(const json::value& params) {
  if (params.is_object()) {
    object_ = &params.get_object();
  } else if (!params.is_null()) {
    throw RpcError(kInvalidParams, "params: expected an object");
  }
}

RpcError Params::invalid(std::string_view name, std::string_view expected) {
  std::string message = "params.";
  message += name;
  message += ": expected ";
  message += expected;
  return RpcError(kInvalidParams, std::move(message));
}

const json::value* Params::find(std::string_view name) const {
  return object_ ? object_->if_contains(name) : nullptr;
}

bool Params::has(std::string_view name) const {
  const json::value* v = find(name);
  return v != nullptr && !v->is_null();
}

const json::value& Params::require(std::string_view name, std::string_view expected) const {
  const json::value* v = find(name);
  if (v == nullptr) throw invalid(name, expected);
  return *v;
}

std::string Params::string(std::string_view name) const {
  const json::value& v = require(name, "a string");
  if (!v.is_string()) throw invalid(name, "a string");
  return std::string(v.get_string());
}

std::optional<std::string> Params::optionalString(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return string(name);
}

std::string Params::oneOf(std::string_view name, std::initializer_list<std::string_view> allowed) const {
  const json::value& v = require(name, oneOfKind(allowed));
  if (v.is_string()) {
    for (std::string_view a : allowed) {
      if (v.get_string() == a) return std::string(a);
    }
  }
  throw invalid(name, oneOfKind(allowed));
}

std::optional<std::string> Params::optionalOneOf(std::string_view name,
                                                 std::initializer_list<std::string_view> allowed) const {
  if (!has(name)) return std::nullopt;
  return oneOf(name, allowed);
}

std::int64_t Params::integer(std::string_view name, std::int64_t min, std::int64_t max) const {
  const json::value& v = require(name, integerKind(min, max));
  const std::optional<std::int64_t> n = asInteger(v);
  if (!n || *n < min || *n > max) throw invalid(name, integerKind(min, max));
  return *n;
}

std::optional<std::int64_t> Params::optionalInteger(std::string_view name, std::int64_t min,
                                                    std::int64_t max) const {
  if (!has(name)) return std::nullopt;
  return integer(name, min, max);
}

double Params::number(std::string_view name) const {
  const json::value& v = require(name, "a number");
  // Boost.JSON reads 1e400 as infinity: not a number a method can use.
  if (!v.is_number() || !std::isfinite(v.to_number<double>())) throw invalid(name, "a number");
  return v.to_number<double>();
}

std::optional<double> Params::optionalNumber(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return number(name);
}

bool Params::boolean(std::string_view name) const {
  const json::value& v = require(name, "a boolean");
  if (!v.is_bool()) throw invalid(name, "a boolean");
  return v.get_bool();
}

std::optional<bool> Params::optionalBoolean(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return boolean(name);
}

const json::object& Params::object(std::string_view name) const {
  const json::value& v = require(name, "an object");
  if (!v.is_object()) throw invalid(name, "an object");
  return v.get_object();
}

const json::object* Params::optionalObject(std::string_view name) const {
  if (!has(name)) return nullptr;
  return &object(name);
}

const json::array& Params::array(std::string_view name) const {
  const json::value& v = require(name, "an array");
  if (!v.is_array()) throw invalid(name, "an array");
  return v.get_array();
}

const json::array* Params::optionalArray(std::string_view name) const {
  if (!has(name)) return nullptr;
  return &array(name);
}

std::vector<std::string> Params::strings(std::string_view name) const {
  const json::value& v = require(name, "an array of strings");
  if (!v.is_array()) throw invalid(name, "an array of strings");
  std::vector<std::string> out;
  out.reserve(v.get_array().size());
  for (const json::value& e : v.get_array()) {
    if (!e.is_string()) throw invalid(name, "an array of strings");
    out.emplace_back(e.get_string());
  }
  return out;
}

std::optional<std::vector<std::string>> Params::optionalStrings(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return strings(name);
}

}  // namespace ocellus::api::rpc
