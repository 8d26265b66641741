#pragma once

#include <boost/json/value.hpp>

#include <exception>
#include <optional>
#include <string>

#include "api/rpc/ErrorCodes.h"

namespace ocellus::api::rpc {

// A JSON-RPC 2.0 error object (§5.1): what a method answers, or throws, when it fails.
// A handler may throw it from anywhere below it (Params does): the Dispatcher catches it at the
// one boundary and answers with it unchanged. `message` goes to the client: no internals in it.
class RpcError : public std::exception {
 public:
  RpcError() = default;
  // The table's default message for `code` (ErrorCodes.h).
  explicit RpcError(int code);
  RpcError(int code, std::string message, std::optional<boost::json::value> data = std::nullopt);

  const char* what() const noexcept override { return message.c_str(); }

  int code = kInternalError;
  std::string message{defaultMessage(kInternalError)};
  std::optional<boost::json::value> data;  // §5.1 "data": omitted when empty
};

}  // namespace ocellus::api::rpc
