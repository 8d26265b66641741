#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "base/Clock.h"
#include "base/Log.h"
#include "io/FileSystem.h"
#include "media/StreamRegistry.h"
#include "record/DiskWriter.h"
#include "record/Recorder.h"
#include "record/RetentionCleaner.h"
#include "record/Timeline.h"
#include "store/Store.h"

namespace ocellus::api::recordings {

struct RecordingOptions {
  std::string dataDir;  // recordings in <dataDir>/recordings, clips being exported in <dataDir>/exports
  std::chrono::seconds segmentLength{600};
  std::chrono::milliseconds fragmentLength{1000};
  record::FsyncPolicy fsync = record::FsyncPolicy::Fragment;
  record::RetentionPolicy retention;  // ocellus.yml's; set_retention_policy replaces it (kept in the store)
  std::chrono::seconds retentionInterval{60};
  // The loop each new recorder reads its streams on (a media loop); the control loop when empty.
  std::function<io::IoContext&()> recorderLoop;
};

// What set_retention_policy sets (API-CONTRACT §1), on top of the configured floor and warning.
struct RetentionSetting {
  std::string policyType = "age";  // age | size | manual
  std::optional<double> maxAgeDays;
  std::optional<double> maxSizeGb;
  bool enabled = true;
};

// Recording in the control plane (DESIGN §5): a Recorder per camera that records continuously
// and per on-demand session, the recording index in the store (rows written as files open,
// progress and close), repair of files a crash left unfinished, retention on a timer,
// `recording_status_update` notifications and `recording_failed` / `storage_full` alerts.
//
// Threading: lives on the control loop, where every public method must be called (onPublish
// excepted). Recorders run on media loops; file events arrive on the disk writer's thread,
// which writes the index and posts what the control loop must know.
class RecordingService {
 public:
  // recording_status_update {device, status, filename, duration, …}, and alerts.
  using Notify = std::function<void(const std::string& camera, boost::json::object params)>;
  using Alert = std::function<void(const std::string& type, const std::string& severity, const std::string& message,
                                   const std::string& camera)>;

  RecordingService(boost::asio::io_context& control, store::Store& store, media::StreamRegistry& registry,
                   io::FileSystem& fs, RecordingOptions options, Notify notify, Alert alert,
                   const base::Clock& clock = base::Clock::system());
  ~RecordingService();
  RecordingService(const RecordingService&) = delete;
  RecordingService& operator=(const RecordingService&) = delete;

  // Repairs the files a crash left unfinished (and indexes those it left unindexed), then starts
  // the writer and the retention timer.
  void start();
  // Closes every file cleanly (waits for the writer, bounded) and stops the timer.
  void stop();

  // --- cameras
  // Every camera that records all the time, id → stream path (CameraService's hook).
  void setContinuous(const std::map<std::string, std::string>& continuous);
  // Any thread: a path gained or lost its publisher.
  void onPublish(const std::string& path, bool published);
  bool isRecording(const std::string& camera) const;

  // --- on-demand sessions
  struct Session {
    std::string camera;
    std::string sessionId;
    std::string filename;  // empty until the file opens (at the stream's next keyframe)
    store::TimeMs startMs = 0;
    std::optional<int> durationSeconds;  // asked for; nullopt: until stopped
    bool stopped = false;
    std::optional<store::Recording> recording;  // when stopped: the file as indexed
  };
  using SessionDone = std::function<void(base::Result<Session>)>;
  // Starts recording `camera` (stream `path`) into one file; answers once the file is open (or
  // after a few seconds with no file yet, when the camera has no stream). AlreadyExists when a
  // session of the camera runs.
  void startSession(const std::string& camera, const std::string& path, std::optional<int> durationSeconds,
                    SessionDone done);
  // Closes the session's file; answers with it as indexed. NotFound when none runs.
  void stopSession(const std::string& camera, SessionDone done);

  // --- the index
  bool isOpen(const std::string& path) const;
  // Deletes the file and its row; InvalidState while it is being written.
  base::Status remove(const store::Recording& recording);
  const std::string& root() const { return root_; }

  // --- playback (blocking: reads the files; call from a worker)
  record::Timeline timeline(const std::string& camera, store::TimeMs from, store::TimeMs to);
  // The HLS VOD playlist of [from, to); `urlOf` turns a recording's path into the URL listed.
  base::Result<std::string> playlist(const std::string& camera, store::TimeMs from, store::TimeMs to,
                                     const std::function<std::string(const std::string& path)>& urlOf);
  // Writes the clip of [from, to) into a new file under <dataDir>/exports; its path.
  base::Result<std::string> exportClip(const std::string& camera, store::TimeMs from, store::TimeMs to);

  // --- figures for /metrics
  struct Figures {
    record::DiskWriter::Stats disk;
    std::size_t openFiles = 0;
    std::uint64_t writes = 0;            // fragments appended
    std::uint64_t writeMicros = 0;       // their summed append (+ sync) time
  };
  Figures figures() const;

  // --- storage and retention
  struct Storage {
    io::DiskSpace disk;
    std::int64_t recordingsBytes = 0;
    std::int64_t recordingsCount = 0;
    bool lowSpace = false;
  };
  base::Result<Storage> storage();
  RetentionSetting retentionSetting() const { return setting_; }
  base::Status setRetention(const RetentionSetting& setting);
  using CleanupDone = std::function<void(base::Result<record::RetentionReport>)>;
  // Runs retention now (on its own thread: the disk writer never waits for it); answers on the
  // control loop.
  void cleanup(CleanupDone done);

 private:
  struct Recording;  // one Recorder and what it records
  struct FileState;  // an open file's row, writer thread only

  std::shared_ptr<Recording> makeRecording(const std::string& camera, const std::string& path, bool session);
  void attachIfPublished(Recording& r);
  void onEvent(const std::shared_ptr<Recording>& r, const record::SegmentEvent& e);  // writer thread
  void onEventControl(const std::shared_ptr<Recording>& r, const record::SegmentEvent& e, std::optional<store::Recording> row);
  void repairUnfinished();
  void indexOrphans();
  record::RetentionPolicy policy() const;
  void scheduleRetention();
  void afterRetention(const base::Result<record::RetentionReport>& report);
  std::vector<store::Recording> rowsOf(const std::string& camera, store::TimeMs from, store::TimeMs to);
  void finishSession(const std::string& camera);

  boost::asio::io_context& control_;
  store::Store& store_;
  media::StreamRegistry& registry_;
  io::FileSystem& fs_;
  const RecordingOptions options_;
  const Notify notify_;
  const Alert alert_;
  const base::Clock& clock_;
  const std::string root_;
  base::Logger log_{"recording"};
  std::unique_ptr<record::DiskWriter> writer_;
  record::RetentionCleaner cleaner_;
  RetentionSetting setting_;
  boost::asio::steady_timer retentionTimer_;
  boost::asio::thread_pool janitor_{1};  // retention runs, one at a time
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  // Control loop only.
  std::map<std::string, std::shared_ptr<Recording>> continuous_;  // by camera
  std::map<std::string, std::shared_ptr<Recording>> sessions_;    // by camera
  bool stopped_ = false;
  bool lowSpaceAlerted_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> failureAlerted_;  // by camera

  // Writer thread, and read by the control loop: the files being written, path → camera.
  mutable std::mutex openMutex_;
  std::map<std::string, std::string> open_;
  // Writer thread only.
  std::map<std::string, std::unique_ptr<FileState>> files_;
};

}  // namespace ocellus::api::recordings
