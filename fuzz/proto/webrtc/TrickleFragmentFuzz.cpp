// TrickleFragment::parse must never crash; what it parses must survive toString -> parse
// (skipped candidates aside, which are counted and not kept).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/webrtc/TrickleFragment.h"

using namespace ocellus::proto::webrtc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto f = TrickleFragment::parse({reinterpret_cast<const char*>(data), size});
  if (!f) return 0;
  (void)f->ufrag();
  (void)f->pwd();
  (void)f->complete();
  for (const auto& s : f->sections) {
    if (f->find(s.mid) == nullptr) std::abort();
  }
  auto again = TrickleFragment::parse(f->toString());
  if (!again) {
    // CRLF for LF line ends may push a body at the size limit over it.
    if (again.error().code == ocellus::base::ErrorCode::TooLarge &&
        size > TrickleFragment::kMaxSize - TrickleFragment::kMaxLines) {
      return 0;
    }
    std::abort();
  }
  auto expected = *f;
  expected.ignoredCandidates = 0;
  if (*again != expected) std::abort();
  return 0;
}
