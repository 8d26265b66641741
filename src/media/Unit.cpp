#include "media/Unit.h"

#include <memory>
#include <mutex>

namespace ocellus::media {

void Unit::reset() {
  track = 0;
  pts = dts = 0;
  keyframe = false;
  received = {};
  data.clear();
  rtpBytes.clear();
  rtpPayloads.clear();
  if (data.capacity() > UnitPool::kMaxKeptCapacity) data.shrink_to_fit();
  if (rtpBytes.capacity() > UnitPool::kMaxKeptCapacity) rtpBytes.shrink_to_fit();
}

void intrusive_ptr_add_ref(const Unit* u) { u->refs_.fetch_add(1, std::memory_order_relaxed); }

void intrusive_ptr_release(const Unit* u) {
  if (u->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    auto* unit = const_cast<Unit*>(u);
    unit->pool_->giveBack(unit);
  }
}

UnitPool& UnitPool::forThisThread() {
  // Pools are never destroyed (a unit may be released on another thread after its producer
  // thread ended); they stay reachable from this registry until the process exits.
  static std::mutex registryMutex;
  static std::vector<std::unique_ptr<UnitPool>>* registry = new std::vector<std::unique_ptr<UnitPool>>();
  thread_local UnitPool* pool = [] {
    std::lock_guard lock(registryMutex);
    registry->push_back(std::make_unique<UnitPool>());
    return registry->back().get();
  }();
  return *pool;
}

MutableUnitPtr UnitPool::acquire() {
  if (free_.empty()) {
    Unit* list = returned_.exchange(nullptr, std::memory_order_acquire);
    while (list != nullptr) {
      Unit* next = list->nextFree_;
      list->nextFree_ = nullptr;
      if (free_.size() < kMaxFree) {
        free_.push_back(list);
      } else {
        allocated_.fetch_sub(1, std::memory_order_relaxed);
        delete list;
      }
      outstandingReturns_.fetch_sub(1, std::memory_order_relaxed);
      list = next;
    }
  }
  Unit* u;
  if (free_.empty()) {
    u = new Unit();
    u->pool_ = this;
    allocated_.fetch_add(1, std::memory_order_relaxed);
  } else {
    u = free_.back();
    free_.pop_back();
  }
  return MutableUnitPtr(u);
}

void UnitPool::giveBack(Unit* u) {
  u->reset();
  if (outstandingReturns_.fetch_add(1, std::memory_order_relaxed) >= kMaxFree) {
    outstandingReturns_.fetch_sub(1, std::memory_order_relaxed);
    allocated_.fetch_sub(1, std::memory_order_relaxed);
    delete u;
    return;
  }
  Unit* head = returned_.load(std::memory_order_relaxed);
  do {
    u->nextFree_ = head;
  } while (!returned_.compare_exchange_weak(head, u, std::memory_order_release, std::memory_order_relaxed));
}

}  // namespace ocellus::media
