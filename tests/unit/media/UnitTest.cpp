#include "media/Unit.h"

#include <gtest/gtest.h>

#include <thread>

namespace ocellus::media {
namespace {

TEST(UnitPoolTest, ReleasedUnitsAreReusedWithoutNewAllocations) {
  auto& pool = UnitPool::forThisThread();
  { auto warm = pool.acquire(); }
  const auto before = pool.allocated();
  for (int i = 0; i < 1000; ++i) {
    auto u = pool.acquire();
    u->data.assign(1000, 1);
  }
  EXPECT_EQ(pool.allocated(), before);
}

TEST(UnitPoolTest, UnitReleasedOnAnotherThreadReturnsToItsPool) {
  auto& pool = UnitPool::forThisThread();
  MutableUnitPtr u = pool.acquire();
  const Unit* address = u.get();
  u->data.assign(10, 7);
  UnitPtr shared(std::move(u));
  std::thread other([s = std::move(shared)]() mutable { s.reset(); });
  other.join();
  // Units freed earlier may come first; the one released over there must come back.
  std::vector<MutableUnitPtr> held;
  bool found = false;
  for (std::size_t i = 0; i <= UnitPool::kMaxFree && !found; ++i) {
    held.push_back(pool.acquire());
    found = held.back().get() == address;
  }
  ASSERT_TRUE(found);
  EXPECT_TRUE(held.back()->data.empty());  // reset on return
}

}  // namespace
}  // namespace ocellus::media
