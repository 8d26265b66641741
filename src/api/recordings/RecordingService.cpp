#include "api/recordings/RecordingService.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <cmath>
#include <condition_variable>
#include <filesystem>

#include "base/Random.h"
#include "format/fmp4/CodecString.h"
#include "record/Clip.h"
#include "record/SegmentPath.h"
#include "record/SegmentFile.h"
#include "record/VodPlaylist.h"

namespace ocellus::api::recordings {

namespace json = boost::json;
using std::chrono::steady_clock;

namespace {

// An open file's row is written to the store at most this often (and when it closes): the
// timeline of a file being written lags by this much, and a restart repairs the rest.
constexpr auto kIndexInterval = std::chrono::seconds(5);
// How long start_recording waits for the file to open (the stream's next keyframe).
constexpr auto kOpenWait = std::chrono::seconds(5);
// One recording_failed alert per camera per this long: a failing disk fails every retry.
constexpr auto kFailureAlertInterval = std::chrono::minutes(10);
// Exported clips are served from a file; they are deleted this long after they were made.
constexpr std::int64_t kExportLifetimeMs = 15 * 60 * 1000;

constexpr std::uint64_t kGiB = 1ull << 30;
// Shutdown waits this long for the recorders to close their files.
constexpr auto kStopWait = std::chrono::seconds(2);

std::string statusOf(const record::SegmentEvent& e, bool session) {
  switch (e.type) {
    case record::SegmentEvent::Type::Opened: return session ? "STARTED" : "SEGMENT_STARTED";
    case record::SegmentEvent::Type::Closed: return session ? "STOPPED" : "SEGMENT_COMPLETED";
    case record::SegmentEvent::Type::Failed: return "ERROR";
    case record::SegmentEvent::Type::Progress: break;
  }
  return "RECORDING";
}

}  // namespace

struct RecordingService::Recording {
  std::string camera;
  std::string path;  // the stream path
  bool session = false;
  std::string sessionId;
  std::shared_ptr<record::Recorder> recorder;
  // Sessions only:
  store::TimeMs startMs = 0;
  std::optional<int> durationSeconds;
  std::string filename;                        // the first file it opened
  std::vector<SessionDone> waitingForFile;     // start_recording answers
  std::unique_ptr<boost::asio::steady_timer> openTimer;
  std::unique_ptr<boost::asio::steady_timer> durationTimer;
  std::vector<SessionDone> waitingForStop;
  bool stopping = false;
};

struct RecordingService::FileState {
  store::Recording row;
  steady_clock::time_point indexedAt;
};

RecordingService::RecordingService(boost::asio::io_context& control, store::Store& store,
                                   media::StreamRegistry& registry, io::FileSystem& fs, RecordingOptions options,
                                   Notify notify, Alert alert, const base::Clock& clock)
    : control_(control),
      store_(store),
      registry_(registry),
      fs_(fs),
      options_(std::move(options)),
      notify_(std::move(notify)),
      alert_(std::move(alert)),
      clock_(clock),
      root_((std::filesystem::path(options_.dataDir) / "recordings").string()),
      cleaner_(store, fs, clock, root_),
      retentionTimer_(control) {
  const auto& p = options_.retention;
  setting_.enabled = p.enabled;
  if (p.quotaBytes) {
    setting_.policyType = "size";
    setting_.maxSizeGb = static_cast<double>(*p.quotaBytes) / static_cast<double>(kGiB);
  }
  if (p.maxAge) setting_.maxAgeDays = static_cast<double>(p.maxAge->count()) / 24.0;
}

RecordingService::~RecordingService() {
  stop();
  *alive_ = false;
}

void RecordingService::start() {
  if (auto stored = store_.setting("retention_policy"); stored && *stored) {
    boost::system::error_code ec;
    const auto v = json::parse(**stored, ec);
    if (!ec && v.is_object()) {
      const auto& o = v.as_object();
      if (const auto* t = o.if_contains("policy_type"); t && t->is_string()) setting_.policyType = std::string(t->as_string());
      if (const auto* e = o.if_contains("enabled"); e && e->is_bool()) setting_.enabled = e->as_bool();
      if (const auto* a = o.if_contains("max_age_days"); a && a->is_number()) setting_.maxAgeDays = a->to_number<double>();
      if (const auto* s = o.if_contains("max_size_gb"); s && s->is_number()) setting_.maxSizeGb = s->to_number<double>();
    }
  }
  // Retention and the storage figures read the recordings folder's disk before anything is recorded.
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) log_.error("cannot create the recordings folder {}: {}", root_, ec.message());
  repairUnfinished();
  writer_ = std::make_unique<record::DiskWriter>(fs_);
  scheduleRetention();
}

void RecordingService::stop() {
  if (!writer_ || stopped_) return;
  stopped_ = true;
  retentionTimer_.cancel();
  // Each recorder writes its last fragment and closes its file from its media loop, through the
  // writer: wait (bounded, the loops still run) until every close has landed, then stop the writer.
  struct Pending {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t left = 0;
  };
  auto pending = std::make_shared<Pending>();
  for (auto* group : {&continuous_, &sessions_}) {
    for (auto& [camera, r] : *group) {
      if (r->openTimer) r->openTimer->cancel();
      if (r->durationTimer) r->durationTimer->cancel();
      {
        std::lock_guard lock(pending->mutex);
        ++pending->left;
      }
      r->recorder->stop([pending] {
        std::lock_guard lock(pending->mutex);
        if (--pending->left == 0) pending->done.notify_all();
      });
    }
    group->clear();
  }
  {
    std::unique_lock lock(pending->mutex);
    if (!pending->done.wait_for(lock, kStopWait, [&] { return pending->left == 0; })) {
      log_.warn("{} recordings did not close within {} s", pending->left, kStopWait.count());
    }
  }
  // Kept until destruction (after the media loops stop): a recorder that missed the wait may
  // still post to it, which a stopped writer refuses.
  writer_->stop();
  janitor_.join();
}

// ------------------------------------------------------------------------------ recorders

std::shared_ptr<RecordingService::Recording> RecordingService::makeRecording(const std::string& camera,
                                                                            const std::string& path, bool session) {
  auto r = std::make_shared<Recording>();
  r->camera = camera;
  r->path = path;
  r->session = session;
  if (session) r->sessionId = "rec-" + base::randomHex(8);
  record::RecorderOptions o;
  o.cameraId = camera;
  o.root = root_;
  o.segmentLength = session ? std::chrono::seconds(0) : options_.segmentLength;
  o.fragmentLength = options_.fragmentLength;
  o.fsync = options_.fsync;
  o.session = session;
  auto& loop = options_.recorderLoop ? options_.recorderLoop() : control_;
  std::weak_ptr<Recording> weak = r;
  auto recorder = record::Recorder::create(o, loop, *writer_, clock_,
                                           [this, weak](const record::SegmentEvent& e) {
                                             if (auto self = weak.lock()) onEvent(self, e);
                                           });
  if (!recorder) {
    log_.error("camera '{}' cannot record: {}", camera, recorder.error().message);
    return nullptr;
  }
  r->recorder = std::move(recorder).value();
  return r;
}

void RecordingService::attachIfPublished(Recording& r) {
  if (auto stream = registry_.find(r.path)) {
    r.recorder->attach(std::move(stream));
    return;
  }
  // An on-demand camera starts when asked for; a path nobody serves answers NotFound at once.
  registry_.whenReady(r.path, control_, std::chrono::seconds(10), [](const auto&) {});
}

void RecordingService::setContinuous(const std::map<std::string, std::string>& continuous) {
  if (!writer_ || stopped_) return;
  for (auto it = continuous_.begin(); it != continuous_.end();) {
    const auto want = continuous.find(it->first);
    if (want != continuous.end() && want->second == it->second->path) {
      ++it;
      continue;
    }
    log_.info("camera '{}' stops recording continuously", it->first);
    it->second->recorder->stop({});
    notify_(it->first, json::object{{"device", it->first}, {"status", "STOPPED"}, {"filename", ""}, {"duration", 0}});
    it = continuous_.erase(it);
  }
  for (const auto& [camera, path] : continuous) {
    if (continuous_.count(camera)) continue;
    auto r = makeRecording(camera, path, false);
    if (!r) continue;
    log_.info("camera '{}' records continuously ({})", camera, path);
    attachIfPublished(*r);
    continuous_[camera] = std::move(r);
  }
}

void RecordingService::onPublish(const std::string& path, bool published) {
  if (!published) return;  // the recorders see their streams end
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), path] {
    auto a = alive.lock();
    if (!a || !*a || !writer_ || stopped_) return;
    const auto stream = registry_.find(path);
    if (!stream) return;
    for (auto* group : {&continuous_, &sessions_}) {
      for (auto& [camera, r] : *group) {
        if (r->path == stream->path()) r->recorder->attach(stream);
      }
    }
  });
}

bool RecordingService::isRecording(const std::string& camera) const {
  if (sessions_.count(camera)) return true;
  if (!continuous_.count(camera)) return false;
  std::lock_guard lock(openMutex_);
  for (const auto& [path, owner] : open_) {
    if (owner == camera) return true;
  }
  return false;
}

bool RecordingService::isOpen(const std::string& path) const {
  std::lock_guard lock(openMutex_);
  return open_.count(path) > 0;
}

// ------------------------------------------------------------------------------ file events

void RecordingService::onEvent(const std::shared_ptr<Recording>& r, const record::SegmentEvent& e) {
  using Type = record::SegmentEvent::Type;
  std::optional<store::Recording> row;
  auto it = files_.find(e.path);
  switch (e.type) {
    case Type::Opened: {
      store::Recording rec;
      rec.cameraId = r->camera;
      rec.path = e.path;
      rec.kind = r->session ? "session" : "segment";
      rec.sessionId = r->sessionId;
      rec.startMs = e.startMs;
      rec.endMs = e.startMs;
      rec.sizeBytes = static_cast<std::int64_t>(e.bytes);
      rec.codecs = e.codecs;
      auto created = store_.createRecording(rec);
      if (!created) {
        log_.error("recording {} is not indexed: {}", e.path, created.error().message);
        return;
      }
      row = *created;
      files_[e.path] = std::make_unique<FileState>(FileState{*created, steady_clock::now()});
      std::lock_guard lock(openMutex_);
      open_[e.path] = r->camera;
      break;
    }
    case Type::Progress: {
      if (it == files_.end()) return;
      auto& f = *it->second;
      f.row.endMs = e.endMs;
      f.row.sizeBytes = static_cast<std::int64_t>(e.bytes);
      f.row.durationMs = e.durationMs;
      if (steady_clock::now() - f.indexedAt < kIndexInterval) return;
      f.indexedAt = steady_clock::now();
      if (auto s = store_.updateRecording(f.row); !s) log_.warn("recording {}: index not updated: {}", e.path, s.error().message);
      return;
    }
    case Type::Closed:
    case Type::Failed: {
      if (it != files_.end()) {
        auto& f = it->second->row;
        f.endMs = std::max(f.endMs, e.endMs);
        f.sizeBytes = static_cast<std::int64_t>(e.bytes);
        f.durationMs = std::max(f.durationMs, e.durationMs);
        if (e.type == Type::Failed) {
          // What reached the disk is playable up to its last complete fragment.
          if (auto layout = record::repairSegment(fs_, root_ + "/" + e.path)) {
            f.sizeBytes = static_cast<std::int64_t>(layout->validSize);
            f.durationMs = layout->durationMs();
            f.endMs = f.startMs + f.durationMs;
          }
        }
        f.complete = true;
        if (auto s = store_.updateRecording(f); !s) log_.warn("recording {}: index not updated: {}", e.path, s.error().message);
        row = f;
        files_.erase(it);
        std::lock_guard lock(openMutex_);
        open_.erase(e.path);
      }
      break;
    }
  }
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), r, e, row] {
    if (auto a = alive.lock(); a && *a) onEventControl(r, e, row);
  });
}

void RecordingService::onEventControl(const std::shared_ptr<Recording>& r, const record::SegmentEvent& e,
                                      std::optional<store::Recording> row) {
  using Type = record::SegmentEvent::Type;
  json::object params{{"device", r->camera},
                      {"status", statusOf(e, r->session)},
                      {"filename", e.path},
                      {"duration", static_cast<double>(row ? row->durationMs : e.durationMs) / 1000.0}};
  if (r->session) params["session_id"] = r->sessionId;
  if (row) params["file_size"] = row->sizeBytes;
  if (e.type == Type::Failed) {
    params["error"] = e.error;
    auto& last = failureAlerted_[r->camera];
    if (last == steady_clock::time_point{} || steady_clock::now() - last >= kFailureAlertInterval) {
      last = steady_clock::now();
      alert_("recording_failed", "critical", "recording camera '" + r->camera + "' failed: " + e.error, r->camera);
    }
  }
  if (e.type == Type::Opened && r->session && r->filename.empty()) {
    r->filename = e.path;
    if (r->openTimer) r->openTimer->cancel();
    auto waiting = std::move(r->waitingForFile);
    Session s{r->camera, r->sessionId, r->filename, r->startMs, r->durationSeconds, false, std::nullopt};
    for (auto& done : waiting) done(s);
  }
  // A session's own start and stop are told by startSession and finishSession.
  if (!(r->session && (e.type == Type::Opened || e.type == Type::Closed) && e.path == r->filename)) {
    notify_(r->camera, std::move(params));
  }
}

// ------------------------------------------------------------------------------ sessions

void RecordingService::startSession(const std::string& camera, const std::string& path,
                                    std::optional<int> durationSeconds, SessionDone done) {
  if (!writer_ || stopped_) return done(base::makeError(base::ErrorCode::InvalidState, "recording is stopped"));
  if (sessions_.count(camera)) {
    return done(base::makeError(base::ErrorCode::AlreadyExists, "camera '" + camera + "' is already recording a session"));
  }
  auto r = makeRecording(camera, path, true);
  if (!r) return done(base::makeError(base::ErrorCode::InvalidArgument, "camera '" + camera + "' cannot record"));
  r->startMs = base::wallMillis(clock_.wallNow());
  r->durationSeconds = durationSeconds;
  sessions_[camera] = r;
  log_.info("camera '{}': on-demand recording {} started{}", camera, r->sessionId,
            durationSeconds ? " for " + std::to_string(*durationSeconds) + " s" : "");
  notify_(camera, json::object{{"device", camera}, {"status", "STARTED"}, {"filename", ""}, {"duration", 0},
                               {"session_id", r->sessionId}});
  if (durationSeconds) {
    r->durationTimer = std::make_unique<boost::asio::steady_timer>(control_, std::chrono::seconds(*durationSeconds));
    r->durationTimer->async_wait([this, camera, weak = std::weak_ptr<Recording>(r)](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopping) return;
      stopSession(camera, [](const base::Result<Session>&) {});
    });
  }
  const bool published = registry_.find(path) != nullptr;
  attachIfPublished(*r);
  Session s{camera, r->sessionId, "", r->startMs, durationSeconds, false, std::nullopt};
  if (!published) return done(s);
  r->waitingForFile.push_back(std::move(done));
  r->openTimer = std::make_unique<boost::asio::steady_timer>(control_, kOpenWait);
  r->openTimer->async_wait([weak = std::weak_ptr<Recording>(r), s](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    auto waiting = std::move(self->waitingForFile);
    for (auto& d : waiting) d(s);
  });
}

void RecordingService::stopSession(const std::string& camera, SessionDone done) {
  auto it = sessions_.find(camera);
  if (it == sessions_.end()) {
    return done(base::makeError(base::ErrorCode::NotFound, "camera '" + camera + "' records no session"));
  }
  auto r = it->second;
  r->waitingForStop.push_back(std::move(done));
  if (r->stopping) return;
  r->stopping = true;
  if (r->durationTimer) r->durationTimer->cancel();
  r->recorder->stop([this, alive = std::weak_ptr<bool>(alive_), camera] {
    // Writer thread, after the file's Closed event was posted: this runs after it.
    boost::asio::post(control_, [this, alive, camera] {
      if (auto a = alive.lock(); a && *a) finishSession(camera);
    });
  });
}

void RecordingService::finishSession(const std::string& camera) {
  auto it = sessions_.find(camera);
  if (it == sessions_.end()) return;
  auto r = it->second;
  sessions_.erase(it);
  if (r->openTimer) r->openTimer->cancel();
  Session s{camera, r->sessionId, r->filename, r->startMs, r->durationSeconds, true, std::nullopt};
  if (!r->filename.empty()) {
    if (auto row = store_.recordingByPath(r->filename)) s.recording = *row;
  }
  log_.info("camera '{}': on-demand recording {} stopped ({})", camera, r->sessionId,
            r->filename.empty() ? "no file: the camera sent no picture" : r->filename);
  json::object params{{"device", camera}, {"status", "STOPPED"}, {"filename", r->filename}, {"session_id", r->sessionId},
                      {"duration", s.recording ? static_cast<double>(s.recording->durationMs) / 1000.0 : 0.0}};
  if (s.recording) params["file_size"] = s.recording->sizeBytes;
  notify_(camera, std::move(params));
  auto waiting = std::move(r->waitingForFile);
  for (auto& d : waiting) d(s);
  auto stopping = std::move(r->waitingForStop);
  for (auto& d : stopping) d(s);
}

// ------------------------------------------------------------------------------ index

base::Status RecordingService::remove(const store::Recording& recording) {
  if (isOpen(recording.path)) {
    return base::makeError(base::ErrorCode::InvalidState, "recording " + recording.path + " is being written");
  }
  if (auto s = fs_.remove(root_ + "/" + recording.path); !s && s.error().code != base::ErrorCode::NotFound) return s;
  return store_.deleteRecording(recording.id);
}

void RecordingService::repairUnfinished() {
  store::RecordingFilter filter;
  filter.complete = false;
  filter.oldestFirst = true;
  filter.limit = 0;
  auto rows = store_.listRecordings(filter);
  if (!rows) {
    log_.error("cannot list unfinished recordings: {}", rows.error().message);
    return;
  }
  for (auto& row : *rows) {
    const auto file = root_ + "/" + row.path;
    const auto before = fs_.fileSize(file);
    auto layout = record::repairSegment(fs_, file);
    if (!layout) {
      // Nothing playable (the crash came before the init segment landed) or no file at all.
      log_.warn("recording {} is dropped: {}", row.path, layout.error().message);
      if (layout.error().code != base::ErrorCode::NotFound) (void)fs_.remove(file);
      (void)store_.deleteRecording(row.id);
      continue;
    }
    row.sizeBytes = static_cast<std::int64_t>(layout->validSize);
    row.durationMs = layout->durationMs();
    row.endMs = row.startMs + row.durationMs;
    row.complete = true;
    if (auto s = store_.updateRecording(row); !s) {
      log_.error("recording {}: index not updated: {}", row.path, s.error().message);
      continue;
    }
    const auto cut = before && *before > layout->validSize ? *before - layout->validSize : 0;
    log_.info("recording {} repaired after an unclean stop: {:.1f} s kept, {} bytes of a torn fragment cut off",
              row.path, static_cast<double>(row.durationMs) / 1000.0, cut);
  }
  indexOrphans();
}

void RecordingService::indexOrphans() {
  // A crash between a file's creation and its first index row leaves a file the index does not
  // know: index it as it is (repaired), so it plays and retention sees it.
  auto names = fs_.listFiles(root_);
  if (!names) return;  // nothing recorded yet
  for (const auto& name : *names) {
    const auto parsed = record::parseSegmentPath(name);
    if (!parsed || store_.recordingByPath(name)) continue;
    auto layout = record::repairSegment(fs_, root_ + "/" + name);
    if (!layout) {
      log_.warn("recording {} is not indexed: {}", name, layout.error().message);
      continue;
    }
    store::Recording row;
    row.cameraId = parsed->cameraId;
    row.path = name;
    row.kind = parsed->session ? "session" : "segment";
    row.startMs = parsed->startMs;
    row.durationMs = layout->durationMs();
    row.endMs = row.startMs + row.durationMs;
    row.sizeBytes = static_cast<std::int64_t>(layout->validSize);
    if (auto codecs = format::fmp4::codecsAttribute(layout->tracks)) row.codecs = *codecs;
    row.complete = true;
    if (auto created = store_.createRecording(row); !created) {
      log_.error("recording {} is not indexed: {}", name, created.error().message);
      continue;
    }
    log_.info("recording {} was not in the index after an unclean stop: indexed as it is, {:.1f} s", name,
              static_cast<double>(row.durationMs) / 1000.0);
  }
}

// ------------------------------------------------------------------------------ playback

std::vector<store::Recording> RecordingService::rowsOf(const std::string& camera, store::TimeMs from,
                                                       store::TimeMs to) {
  store::RecordingFilter filter;
  filter.camera = camera;
  filter.from = from;
  filter.to = to;
  filter.oldestFirst = true;
  filter.limit = 0;
  auto rows = store_.listRecordings(filter);
  if (!rows) {
    log_.error("cannot list recordings of '{}': {}", camera, rows.error().message);
    return {};
  }
  return std::move(rows).value();
}

record::Timeline RecordingService::timeline(const std::string& camera, store::TimeMs from, store::TimeMs to) {
  auto rows = rowsOf(camera, from, to);
  return record::buildTimeline(std::move(rows), from, to);
}

namespace {

// The files of `rows` as playback reads them: scanned (a file being written ends at its last
// complete fragment); sessions are left out when segments cover the same time.
std::vector<record::RecordingFile> filesOf(io::FileSystem& fs, const std::string& root,
                                           const std::vector<store::Recording>& rows,
                                           const std::function<std::string(const std::string&)>& urlOf,
                                           base::Logger& log) {
  std::vector<record::RecordingFile> files;
  store::TimeMs coveredUntil = 0;
  for (const auto& row : rows) {
    if (row.startMs < coveredUntil) continue;  // overlaps the previous file (a session beside segments)
    auto layout = record::scanSegment(fs, root + "/" + row.path);
    if (!layout) {
      log.warn("recording {} is left out of playback: {}", row.path, layout.error().message);
      continue;
    }
    if (layout->fragments.empty()) continue;
    coveredUntil = row.startMs + layout->durationMs();
    files.push_back(record::RecordingFile{root + "/" + row.path, urlOf ? urlOf(row.path) : "", row.startMs,
                                          std::move(layout).value()});
  }
  return files;
}

}  // namespace

base::Result<std::string> RecordingService::playlist(const std::string& camera, store::TimeMs from, store::TimeMs to,
                                                     const std::function<std::string(const std::string&)>& urlOf) {
  const auto files = filesOf(fs_, root_, rowsOf(camera, from, to), urlOf, log_);
  return record::renderVodPlaylist(files, from, to);
}

base::Result<std::string> RecordingService::exportClip(const std::string& camera, store::TimeMs from,
                                                       store::TimeMs to) {
  const auto files = filesOf(fs_, root_, rowsOf(camera, from, to), {}, log_);
  if (files.empty()) return base::makeError(base::ErrorCode::NotFound, "nothing of camera '" + camera + "' is recorded then");
  const auto path = (std::filesystem::path(options_.dataDir) / "exports" /
                     (std::to_string(base::wallMillis(clock_.wallNow())) + "-" + base::randomHex(8) + ".mp4"))
                        .string();
  auto out = fs_.create(path);
  if (!out) return out.error();
  auto clip = record::exportClip(fs_, files, from, to, **out);
  auto closed = (*out)->close();
  if (!clip || !closed) {
    (void)fs_.remove(path);
    return clip ? closed.error() : clip.error();
  }
  return path;
}

// ------------------------------------------------------------------------------ storage

RecordingService::Figures RecordingService::figures() const {
  Figures f;
  if (writer_) {
    f.disk = writer_->stats();
    f.writes = writer_->writeLatency().count();
    f.writeMicros = writer_->writeLatency().sumMicros();
  }
  std::lock_guard lock(openMutex_);
  f.openFiles = open_.size();
  return f;
}

base::Result<RecordingService::Storage> RecordingService::storage() {
  Storage s;
  auto disk = fs_.space(options_.dataDir);
  if (!disk) return disk.error();
  s.disk = *disk;
  auto stats = store_.recordingStats({});
  if (!stats) return stats.error();
  s.recordingsBytes = stats->bytes;
  s.recordingsCount = stats->count;
  s.lowSpace = s.disk.available < options_.retention.lowSpaceWarningBytes;
  return s;
}

record::RetentionPolicy RecordingService::policy() const {
  auto p = options_.retention;  // the floor, the warning and per-camera ages stay as configured
  p.enabled = setting_.enabled && setting_.policyType != "manual";
  if (setting_.maxAgeDays) {
    p.maxAge = std::chrono::hours(static_cast<std::int64_t>(std::llround(*setting_.maxAgeDays * 24)));
  }
  if (setting_.maxSizeGb) {
    p.quotaBytes = static_cast<std::uint64_t>(*setting_.maxSizeGb * static_cast<double>(kGiB));
  }
  return p;
}

base::Status RecordingService::setRetention(const RetentionSetting& setting) {
  json::object o{{"policy_type", setting.policyType}, {"enabled", setting.enabled}};
  if (setting.maxAgeDays) o["max_age_days"] = *setting.maxAgeDays;
  if (setting.maxSizeGb) o["max_size_gb"] = *setting.maxSizeGb;
  OCELLUS_TRY(store_.setSetting("retention_policy", json::serialize(o)));
  setting_ = setting;
  log_.info("retention policy set: {}", json::serialize(o));
  return {};
}

void RecordingService::scheduleRetention() {
  retentionTimer_.expires_after(options_.retentionInterval);
  retentionTimer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    cleanup([this](const base::Result<record::RetentionReport>&) { scheduleRetention(); });
  });
}

void RecordingService::cleanup(CleanupDone done) {
  if (!writer_ || stopped_) return done(base::makeError(base::ErrorCode::InvalidState, "recording is stopped"));
  auto job = [this, alive = std::weak_ptr<bool>(alive_), policy = policy(), done = std::move(done)]() mutable {
    std::set<std::string> open;
    {
      std::lock_guard lock(openMutex_);
      for (const auto& [path, camera] : open_) open.insert(path);
    }
    auto report = cleaner_.run(policy, open);
    // Clips handed out for download are kept for the lifetime of a signed URL.
    const auto exports = (std::filesystem::path(options_.dataDir) / "exports").string();
    if (auto names = fs_.listFiles(exports)) {
      const auto now = base::wallMillis(clock_.wallNow());
      for (const auto& name : *names) {
        const auto made = std::atoll(name.c_str());
        if (made > 0 && now - made > kExportLifetimeMs) (void)fs_.remove(exports + "/" + name);
      }
    }
    boost::asio::post(control_, [this, alive, report = std::move(report), done = std::move(done)] {
      auto a = alive.lock();
      if (!a || !*a) return;
      afterRetention(report);
      done(report);
    });
  };
  boost::asio::post(janitor_, std::move(job));
}

void RecordingService::afterRetention(const base::Result<record::RetentionReport>& report) {
  if (!report) {
    log_.error("retention failed: {}", report.error().message);
    return;
  }
  for (const auto& e : report->errors) log_.warn("retention: {}", e);
  if (report->filesDeleted > 0) {
    log_.info("retention deleted {} recordings, {} MB freed", report->filesDeleted, report->bytesFreed >> 20);
  }
  const bool low = report->lowSpace || report->floorUnreachable;
  if (low && !lowSpaceAlerted_) {
    alert_("storage_full", report->floorUnreachable ? "critical" : "warning",
           report->floorUnreachable
               ? "the disk of the recordings is below its free-space floor with nothing left to delete: " +
                     std::to_string(report->disk.available >> 20) + " MB free"
               : "the disk of the recordings is low on space: " + std::to_string(report->disk.available >> 20) +
                     " MB free",
           "");
  }
  lowSpaceAlerted_ = low;
}

}  // namespace ocellus::api::recordings
