#include "api/rpc/ErrorCodes.h"

namespace ocellus::api::rpc {

std::string_view defaultMessage(int code) {
  switch (code) {
#define OCELLUS_X(name, number, text) \
  case number:                        \
    return text;
    OCELLUS_RPC_ERROR_CODES(OCELLUS_X)
#undef OCELLUS_X
    default:
      break;
  }
  // JSON-RPC 2.0 §5.1: -32000 to -32099 are reserved for implementation-defined server errors.
  if (code >= -32099 && code <= -32000) return "Server error";
  return "Application error";
}

}  // namespace ocellus::api::rpc
