#pragma once

#include <memory>
#include <vector>

#include "io/IoContextPool.h"
#include "media/Reader.h"

namespace ocellus::media {

// The readers of one Stream that live on one loop. The Stream posts each unit once per
// LoopFanout (not once per reader); the fan-out then hands it to its local readers.
// Every method except loop() and the publisher-side count runs on loop().
class LoopFanout {
 public:
  explicit LoopFanout(io::IoContext& loop) : loop_(loop) {}

  io::IoContext& loop() const { return loop_; }

  // Delivers the cached GOP to the reader, then registers it for new units. If the reader
  // was removed before this call arrived, it is not added.
  void add(const std::shared_ptr<Reader>& reader, const std::vector<UnitPtr>& gop);
  // Stops delivery to the reader at once; safe during deliver(). Returns false if unknown.
  bool remove(const std::shared_ptr<Reader>& reader);
  void deliver(const UnitPtr& unit);
  void endAll();

  // Readers registered through the Stream, counted on the publisher's loop only.
  int publisherSideCount = 0;

 private:
  void compact();

  io::IoContext& loop_;
  std::vector<std::shared_ptr<Reader>> readers_;
  std::vector<std::shared_ptr<Reader>> removedEarly_;
  bool delivering_ = false;
  bool needsCompact_ = false;
};

}  // namespace ocellus::media
