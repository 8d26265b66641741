#include "base/Result.h"

namespace ocellus::base {

std::string Error::describe() const {
  std::string out(errorCodeName(code));
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

}  // namespace ocellus::base
