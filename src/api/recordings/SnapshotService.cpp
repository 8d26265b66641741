#include "api/recordings/SnapshotService.h"

#include <boost/asio/post.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <regex>

namespace ocellus::api::recordings {

SnapshotService::SnapshotService(boost::asio::io_context& control, store::Store& store,
                                 media::StreamRegistry& registry, io::FileSystem& fs, std::string dataDir,
                                 const base::Clock& clock)
    : control_(control),
      store_(store),
      registry_(registry),
      fs_(fs),
      root_((std::filesystem::path(dataDir) / "snapshots").string()),
      clock_(clock),
      snapshotter_(snapshot::Snapshotter::Options{}) {}

SnapshotService::~SnapshotService() { *alive_ = false; }

base::Status SnapshotService::checkName(const std::string& filename) {
  static const std::regex name("^[A-Za-z0-9][A-Za-z0-9_.-]{0,123}\\.(jpg|jpeg)$", std::regex::icase);
  if (!std::regex_match(filename, name) || filename.find("..") != std::string::npos) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "'" + filename + "' is not a snapshot file name (letters, digits, '_', '.', '-', ending in .jpg)");
  }
  return {};
}

void SnapshotService::take(const std::string& camera, const std::string& path, int width, JpegDone done) {
  auto stream = registry_.find(path);
  if (!stream) {
    return done(base::makeError(base::ErrorCode::NotFound, "camera '" + camera + "' has no stream yet"));
  }
  // The Snapshotter answers on its worker: come back to the control loop.
  snapshotter_.take(std::move(stream), width,
                    [this, alive = std::weak_ptr<bool>(alive_), done = std::move(done)](base::Result<snapshot::Jpeg> jpeg) mutable {
                      boost::asio::post(control_, [alive, done = std::move(done), jpeg = std::move(jpeg)]() mutable {
                        if (auto a = alive.lock(); a && *a) done(std::move(jpeg));
                      });
                    });
}

void SnapshotService::save(const std::string& camera, const std::string& path, std::optional<std::string> filename,
                           SavedDone done) {
  if (filename) {
    if (auto ok = checkName(*filename); !ok) return done(ok.error());
  }
  take(camera, path, 0, [this, camera, filename, done = std::move(done)](base::Result<snapshot::Jpeg> jpeg) {
    if (!jpeg) return done(jpeg.error());
    const auto takenMs = base::wallMillis(jpeg->frameTime);
    const auto name = filename ? *filename
                               : fmt::format("{}-{:%Y%m%dT%H%M%S}.{:03d}Z.jpg", camera,
                                             fmt::gmtime(static_cast<std::time_t>(takenMs / 1000)), takenMs % 1000);
    auto file = fs_.create(root_ + "/" + name);
    if (!file) {
      if (file.error().code == base::ErrorCode::AlreadyExists) {
        return done(base::makeError(base::ErrorCode::AlreadyExists, "a snapshot named '" + name + "' exists"));
      }
      return done(file.error());
    }
    if (auto s = (*file)->append(jpeg->bytes); !s) return done(s.error());
    if (auto s = (*file)->close(); !s) return done(s.error());
    store::Snapshot row;
    row.cameraId = camera;
    row.path = name;
    row.takenMs = takenMs;
    row.sizeBytes = static_cast<std::int64_t>(jpeg->bytes.size());
    row.width = jpeg->width;
    row.height = jpeg->height;
    auto created = store_.createSnapshot(row);
    if (!created) {
      (void)fs_.remove(root_ + "/" + name);
      return done(created.error());
    }
    done(*created);
  });
}

base::Status SnapshotService::remove(const store::Snapshot& snapshot) {
  if (auto s = fs_.remove(root_ + "/" + snapshot.path); !s && s.error().code != base::ErrorCode::NotFound) return s;
  return store_.deleteSnapshot(snapshot.id);
}

}  // namespace ocellus::api::recordings
