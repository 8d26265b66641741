#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "codec/klv/Misb0601.h"
#include "io/IoContextPool.h"
#include "media/GopCache.h"
#include "media/LoopFanout.h"
#include "media/Reader.h"
#include "media/StreamStats.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "rtp/Payloader.h"

namespace ocellus::media {

// One published path: its tracks, the GOP cache and the fan-out to readers (DESIGN §3).
//
// Threading: the Stream is pinned to its publisher's loop (loop()). publish(), updateTrack()
// and end() run there. Readers on any loop register with addReader/removeReader from their
// own loop; each unit crosses to another loop by one post per loop that has readers, never
// one per reader. tracks() and stats() are safe from any thread.
//
// Ownership: the registry and the publisher hold the Stream by shared_ptr; readers hold it
// while attached. Readers are held by the Stream until removed or the stream ends.
class Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(std::string path, io::IoContext& loop, std::vector<TrackInfo> tracks, std::string source);
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  const std::string& path() const { return path_; }
  const std::string& source() const { return source_; }  // "rtsp publisher 127.0.0.1:4000", …
  io::IoContext& loop() const { return loop_; }
  int videoTrack() const { return videoTrack_; }
  std::size_t trackCount() const { return trackCount_; }

  // --- publisher side, on loop() only ---
  // Makes the unit's RTP payloads (once for every reader) and fans it out. The unit is
  // immutable from here on.
  void publish(MutableUnitPtr unit);
  // Replaces a track's description (parameter sets learned in-band); must stay compatible.
  void updateTrack(std::size_t index, TrackInfo info);
  // No more units: every reader gets onStreamEnd. Idempotent.
  void end();
  // How the publisher makes a keyframe on request (an encoder, a WHIP publisher asked by PLI);
  // sources that cannot (cameras, RTSP publishers) set none. Called on loop(). Any thread.
  void setKeyframeRequester(std::function<void()> requester);

  // --- any thread ---
  // A reader lost the picture (a WebRTC viewer's PLI or FIR): asks the publisher for a keyframe,
  // at most once per kKeyframeRequestInterval for the whole stream. False when there is no
  // requester or the request came too soon (dropped, and counted in stats()).
  bool requestKeyframe();
  static constexpr std::chrono::milliseconds kKeyframeRequestInterval{1000};

  // --- readers: both calls on readerLoop, the loop the reader's callbacks will run on ---
  void addReader(const std::shared_ptr<Reader>& reader, io::IoContext& readerLoop);
  void removeReader(const std::shared_ptr<Reader>& reader, io::IoContext& readerLoop);

  // --- any thread ---
  // The cached GOP as the publisher's loop saw it at one moment.
  struct GopCopy {
    std::vector<UnitPtr> units;     // last video keyframe .. newest unit, every track; empty before
                                    // the first keyframe, after an oversized GOP and after end()
    std::vector<TrackInfo> tracks;  // the track descriptions at that moment
    bool ended = false;
  };
  // For one-off consumers that want the latest pictures without becoming readers (snapshots):
  // posts to loop() and calls `done` there with a copy (one reference count per unit, no bytes
  // copied). `done` runs on the publisher's loop: it must return quickly (post real work
  // elsewhere) and must not call publish() or end(). If loop() is stopped first, `done` is
  // destroyed uncalled.
  void copyGop(std::function<void(GopCopy)> done);

  std::vector<TrackInfo> tracks() const;
  bool ended() const { return ended_.load(std::memory_order_acquire); }
  std::uint32_t readerCount() const { return readers_.load(std::memory_order_relaxed); }
  void countBytesOut(std::uint64_t n) { bytesOut_.fetch_add(n, std::memory_order_relaxed); }
  void countDroppedUnits(std::uint64_t n) { dropped_.fetch_add(n, std::memory_order_relaxed); }
  StreamStats stats() const;
  // The latest MISB ST 0601 set (UAS Datalink LS) a KLV track of the stream carried, whatever
  // protocol brought it; nullopt before the first valid one. Sets that fail their checksum
  // are skipped.
  std::optional<codec::klv::Misb0601> uasMetadata() const;

 private:
  std::shared_ptr<LoopFanout> fanoutFor(io::IoContext& loop);
  void measure(const Unit& unit);
  void readKlv(const Unit& unit);

  const std::string path_;
  const std::string source_;
  io::IoContext& loop_;
  const int videoTrack_;
  const int klvTrack_;  // the first KLV track, -1 for none
  const std::size_t trackCount_;
  const base::SteadyTime started_;

  mutable std::mutex tracksMutex_;  // guards tracks_ and keyframeRequester_; never per unit
  std::vector<TrackInfo> tracks_;
  std::function<void()> keyframeRequester_;
  std::atomic<std::int64_t> lastKeyframeRequest_{0};  // steady clock, ns
  std::atomic<std::uint64_t> keyframeRequests_{0};    // forwarded to the publisher
  std::atomic<std::uint64_t> keyframeRequestsDropped_{0};

  mutable std::mutex metadataMutex_;  // guards uas_: taken per KLV unit (a few per second)
  std::optional<codec::klv::Misb0601> uas_;

  std::mutex fanoutMutex_;  // guards byLoop_; taken only when readers come and go
  std::vector<std::shared_ptr<LoopFanout>> byLoop_;

  // Publisher loop only:
  std::vector<std::unique_ptr<rtp::Packetizer>> packetizers_;
  std::vector<std::shared_ptr<LoopFanout>> active_;
  GopCache gop_;
  base::SteadyTime windowStart_{};
  std::uint64_t windowBytes_ = 0;
  std::uint32_t windowFrames_ = 0;

  std::atomic<bool> ended_{false};
  std::atomic<std::uint32_t> readers_{0};
  std::atomic<std::uint64_t> bytesIn_{0};
  std::atomic<std::uint64_t> bytesOut_{0};
  std::atomic<std::uint64_t> unitsIn_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint32_t> fpsCenti_{0};
  std::atomic<std::uint64_t> bitrateBps_{0};
};

}  // namespace ocellus::media
