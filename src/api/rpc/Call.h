#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/rpc/RpcError.h"

namespace ocellus::api::rpc {

// A request id as the response must carry it: "the same as the value of the id member in the
// Request Object" (JSON-RPC 2.0 §5). Kept as its JSON text, numbers exactly as the client wrote
// them: Boost.JSON 1.81 parses some doubles one unit in the last place off, reads integers past
// uint64 as doubles and turns 1e400 into a non-JSON "Infinity", so re-serializing a parsed
// number would not round-trip. A default Id is null (the id of an error whose request's id could
// not be determined, §5).
class Id {
 public:
  Id() = default;
  static Id fromString(std::string_view id);
  static Id fromInteger(std::int64_t id);
  // `json` must be one JSON string, number or null (JsonRpc::parse guarantees it; not checked).
  static Id fromJson(std::string json);

  // The exact text to write as the response's "id".
  const std::string& json() const { return json_; }
  bool isNull() const { return json_ == "null"; }
  // The id parsed back; numbers go through Boost.JSON's rounding (see above).
  boost::json::value value() const;

  friend bool operator==(const Id&, const Id&) = default;

 private:
  explicit Id(std::string json) : json_(std::move(json)) {}

  std::string json_ = "null";
};

// One valid request object (§4).
struct Call {
  std::string method;
  boost::json::value params;  // an object or an array (§4.2); null when absent
  std::optional<Id> id;       // absent: a notification (§4.1), which is never answered

  bool isNotification() const { return !id.has_value(); }
};

// A request object that breaks §4 ("jsonrpc" not "2.0", method not a string, params neither
// object nor array, id neither string, number nor null). Answered with `error` (-32600) and
// its id when the id itself was valid, else null (§5: null when the id could not be detected).
struct InvalidCall {
  Id id;
  RpcError error;
};

using Entry = std::variant<Call, InvalidCall>;

// One text frame: a single request object, or a batch (§6) whose elements were validated
// independently. `entries` holds one entry unless `batch`; a batch holds at least one.
struct Message {
  bool batch = false;
  std::vector<Entry> entries;
};

}  // namespace ocellus::api::rpc
