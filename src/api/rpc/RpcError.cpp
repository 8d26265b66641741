#include "api/rpc/RpcError.h"

#include <utility>

namespace ocellus::api::rpc {

RpcError::RpcError(int code) : code(code), message(defaultMessage(code)) {}

RpcError::RpcError(int code, std::string message, std::optional<boost::json::value> data)
    : code(code), message(std::move(message)), data(std::move(data)) {}

}  // namespace ocellus::api::rpc
