#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/Clock.h"
#include "io/FileSystem.h"
#include "media/StreamRegistry.h"
#include "snapshot/Snapshotter.h"
#include "store/Store.h"

namespace ocellus::api::recordings {

// Snapshots in the control plane (DESIGN §5): JPEGs of a camera's live picture, made by the
// Snapshotter off the control loop, answered on it; take_snapshot's saved ones in
// <dataDir>/snapshots, indexed in the store.
//
// Threading: control loop only; answers come back on it.
class SnapshotService {
 public:
  SnapshotService(boost::asio::io_context& control, store::Store& store, media::StreamRegistry& registry,
                  io::FileSystem& fs, std::string dataDir, const base::Clock& clock = base::Clock::system());
  ~SnapshotService();

  using JpegDone = std::function<void(base::Result<snapshot::Jpeg>)>;
  // The picture of stream `path` now; NotFound (naming the camera) when nothing publishes it.
  void take(const std::string& camera, const std::string& path, int width, JpegDone done);

  using SavedDone = std::function<void(base::Result<store::Snapshot>)>;
  // take(), then saved as `filename` (default <camera>-<time>.jpg) and indexed.
  // InvalidArgument for a name that is not a plain *.jpg file name; AlreadyExists when taken.
  void save(const std::string& camera, const std::string& path, std::optional<std::string> filename, SavedDone done);
  base::Status remove(const store::Snapshot& snapshot);
  const std::string& root() const { return root_; }
  // The name check of save(), for callers that validate first.
  static base::Status checkName(const std::string& filename);

 private:
  boost::asio::io_context& control_;
  store::Store& store_;
  media::StreamRegistry& registry_;
  io::FileSystem& fs_;
  const std::string root_;
  const base::Clock& clock_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  snapshot::Snapshotter snapshotter_;
};

}  // namespace ocellus::api::recordings
