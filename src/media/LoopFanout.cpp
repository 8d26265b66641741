#include "media/LoopFanout.h"

#include <algorithm>

namespace ocellus::media {

void LoopFanout::add(const std::shared_ptr<Reader>& reader, const std::vector<UnitPtr>& gop) {
  auto early = std::find(removedEarly_.begin(), removedEarly_.end(), reader);
  if (early != removedEarly_.end()) {
    removedEarly_.erase(early);
    return;
  }
  readers_.push_back(reader);
  for (const auto& unit : gop) {
    reader->onUnit(unit);
    if (readers_.empty() || std::find(readers_.begin(), readers_.end(), reader) == readers_.end()) return;
  }
}

bool LoopFanout::remove(const std::shared_ptr<Reader>& reader) {
  auto it = std::find(readers_.begin(), readers_.end(), reader);
  if (it == readers_.end()) {
    removedEarly_.push_back(reader);
    return false;
  }
  if (delivering_) {
    it->reset();
    needsCompact_ = true;
  } else {
    readers_.erase(it);
  }
  return true;
}

void LoopFanout::deliver(const UnitPtr& unit) {
  delivering_ = true;
  // Index loop: a reader may remove itself (its slot becomes null) during onUnit.
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    if (readers_[i]) readers_[i]->onUnit(unit);
  }
  delivering_ = false;
  if (needsCompact_) compact();
}

void LoopFanout::endAll() {
  auto readers = std::move(readers_);
  readers_.clear();
  for (auto& r : readers) {
    if (r) r->onStreamEnd();
  }
}

void LoopFanout::compact() {
  std::erase(readers_, nullptr);
  needsCompact_ = false;
}

}  // namespace ocellus::media
