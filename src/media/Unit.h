#pragma once

#include <boost/smart_ptr/intrusive_ptr.hpp>

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Clock.h"
#include "rtp/Payloader.h"

namespace ocellus::media {

class UnitPool;

// One access unit (a picture's NAL units, one audio frame) with its timestamps, keyframe flag,
// receive time and the RTP payloads made from it once per stream (DESIGN §3).
//
// Lifetime: units come from a UnitPool and are shared as UnitPtr (intrusive reference count,
// no control block, no allocation per packet in steady state). A unit is filled by its
// producer, then published and from that moment immutable: readers on any loop hold
// UnitPtr (pointer to const). The last release returns it to its pool, from any thread.
class Unit {
 public:
  std::uint32_t track = 0;       // index in the stream's track list
  std::int64_t pts = 0;          // in the track's clock rate, monotonic per track
  std::int64_t dts = 0;
  bool keyframe = false;         // video: starts with IDR/IRAP (parameter sets included)
  base::SteadyTime received{};   // when the first byte of the unit reached the server
  std::vector<std::uint8_t> data;            // codec canonical form (codec/Codec.h)
  std::vector<std::uint8_t> rtpBytes;        // RTP payloads, back to back
  std::vector<rtp::PayloadRef> rtpPayloads;  // descriptors into rtpBytes

  std::span<const std::uint8_t> rtpPayload(const rtp::PayloadRef& ref) const {
    return std::span<const std::uint8_t>(rtpBytes).subspan(ref.offset, ref.size);
  }
  // Bytes a reader sends for this unit over RTP (payloads plus 12-byte headers).
  std::size_t rtpWireSize() const { return rtpBytes.size() + rtpPayloads.size() * 12; }

 private:
  friend class UnitPool;
  friend void intrusive_ptr_add_ref(const Unit* u);
  friend void intrusive_ptr_release(const Unit* u);
  void reset();

  mutable std::atomic<std::uint32_t> refs_{0};
  UnitPool* pool_ = nullptr;  // pools live until process exit, see UnitPool
  Unit* nextFree_ = nullptr;  // link in the pool's return stack
};

using UnitPtr = boost::intrusive_ptr<const Unit>;
using MutableUnitPtr = boost::intrusive_ptr<Unit>;

void intrusive_ptr_add_ref(const Unit* u);
void intrusive_ptr_release(const Unit* u);

// A free list of units owned by one producing thread. acquire() is called only by that
// thread; release happens on any thread and pushes onto a lock-free stack that acquire()
// takes whole with one exchange (no ABA: only the owner pops). Pools are created per thread
// on first use and kept until process exit, so a unit released late always finds its pool.
class UnitPool {
 public:
  // The calling thread's pool.
  static UnitPool& forThisThread();

  MutableUnitPtr acquire();

  // Units kept for reuse at most; more are freed. Buffers grown past kMaxKeptCapacity are
  // shrunk on return so one huge keyframe does not pin memory forever.
  static constexpr std::size_t kMaxFree = 1024;
  static constexpr std::size_t kMaxKeptCapacity = 1 << 20;

  std::uint64_t allocated() const { return allocated_.load(std::memory_order_relaxed); }

 private:
  friend void intrusive_ptr_release(const Unit* u);
  void giveBack(Unit* u);

  std::atomic<Unit*> returned_{nullptr};
  std::vector<Unit*> free_;  // owner thread only
  std::atomic<std::uint64_t> allocated_{0};
  std::atomic<std::size_t> outstandingReturns_{0};
};

}  // namespace ocellus::media
