#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "base/Log.h"
#include "base/Result.h"
#include "io/IoContextPool.h"
#include "media/Stream.h"
#include "media/StreamRegistry.h"

namespace ocellus::sources {

// The demo camera: renders the test pattern (docs/timestamp.md) and encodes it with libx264
// on its own thread — an encoder must never stall a media loop — then hands each access
// unit to its Stream's loop with one post.
class DemoSource {
 public:
  struct Options {
    std::string path = "demo";
    int width = 1280;
    int height = 720;
    int fps = 30;
    int bitrateKbps = 2000;
  };

  // The registry must outlive the source; the stream is published on `loop`.
  DemoSource(media::StreamRegistry& registry, io::IoContext& loop, Options options);
  ~DemoSource();
  DemoSource(const DemoSource&) = delete;
  DemoSource& operator=(const DemoSource&) = delete;

  // Creates the encoder, encodes the first frame (for the SPS in the track description),
  // publishes the path and starts the thread.
  base::Status start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocellus::sources
