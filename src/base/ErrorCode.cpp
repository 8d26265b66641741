#include "base/ErrorCode.h"

namespace ocellus::base {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
#define OCELLUS_X(name, number, text) \
  case ErrorCode::name:               \
    return #name;
    OCELLUS_ERROR_CODES(OCELLUS_X)
#undef OCELLUS_X
  }
  return "Unknown";
}

std::string_view errorCodeText(ErrorCode code) {
  switch (code) {
#define OCELLUS_X(name, number, text) \
  case ErrorCode::name:               \
    return text;
    OCELLUS_ERROR_CODES(OCELLUS_X)
#undef OCELLUS_X
  }
  return "unknown error";
}

}  // namespace ocellus::base
