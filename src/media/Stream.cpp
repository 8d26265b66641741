#include "media/Stream.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "codec/klv/Klv.h"

namespace ocellus::media {
namespace {
int findVideoTrack(const std::vector<TrackInfo>& tracks) {
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].isVideo()) return static_cast<int>(i);
  }
  return -1;
}

int findTrack(const std::vector<TrackInfo>& tracks, codec::CodecId codec) {
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].codec == codec) return static_cast<int>(i);
  }
  return -1;
}
}  // namespace

Stream::Stream(std::string path, io::IoContext& loop, std::vector<TrackInfo> tracks, std::string source)
    : path_(std::move(path)),
      source_(std::move(source)),
      loop_(loop),
      videoTrack_(findVideoTrack(tracks)),
      klvTrack_(findTrack(tracks, codec::CodecId::KLV)),
      trackCount_(tracks.size()),
      started_(base::Clock::system().now()),
      tracks_(std::move(tracks)),
      gop_(videoTrack_) {
  for (const auto& t : tracks_) {
    packetizers_.push_back(rtp::makePacketizer(
        rtp::PayloadParams{.codec = t.codec, .clockRate = t.clockRate, .packetizationMode = t.packetizationMode}));
  }
}

void Stream::publish(MutableUnitPtr unit) {
  if (ended() || unit->track >= trackCount_) return;
  if (unit->rtpPayloads.empty()) packetizers_[unit->track]->packetize(unit->data, unit->rtpBytes, unit->rtpPayloads);
  measure(*unit);
  if (static_cast<int>(unit->track) == klvTrack_) readKlv(*unit);
  UnitPtr shared(std::move(unit));
  gop_.push(shared);
  // Other loops first, so they fan out in parallel with this one instead of after it.
  LoopFanout* local = nullptr;
  for (const auto& fanout : active_) {
    if (&fanout->loop() == &loop_) {
      local = fanout.get();
    } else {
      boost::asio::post(fanout->loop(), [fanout, shared] { fanout->deliver(shared); });
    }
  }
  if (local) local->deliver(shared);
}

void Stream::measure(const Unit& unit) {
  const auto now = base::Clock::system().now();
  bytesIn_.fetch_add(unit.data.size(), std::memory_order_relaxed);
  unitsIn_.fetch_add(1, std::memory_order_relaxed);
  windowBytes_ += unit.data.size();
  if (static_cast<int>(unit.track) == videoTrack_) ++windowFrames_;
  if (windowStart_ == base::SteadyTime{}) windowStart_ = now;
  const auto elapsed = std::chrono::duration<double>(now - windowStart_).count();
  if (elapsed >= 1.0) {
    fpsCenti_.store(static_cast<std::uint32_t>(windowFrames_ * 100 / elapsed), std::memory_order_relaxed);
    bitrateBps_.store(static_cast<std::uint64_t>(windowBytes_ * 8 / elapsed), std::memory_order_relaxed);
    windowStart_ = now;
    windowBytes_ = 0;
    windowFrames_ = 0;
  }
}

void Stream::readKlv(const Unit& unit) {
  for (codec::klv::KlvReader reader(unit.data); !reader.atEnd();) {
    auto triplet = reader.next();
    if (!triplet) return;
    if (!codec::klv::Misb0601::isUasDatalinkKey(triplet->key)) continue;
    if (auto set = codec::klv::Misb0601::decode(triplet->whole)) {
      std::lock_guard lock(metadataMutex_);
      uas_ = std::move(set.value());
    }
  }
}

std::optional<codec::klv::Misb0601> Stream::uasMetadata() const {
  std::lock_guard lock(metadataMutex_);
  return uas_;
}

void Stream::updateTrack(std::size_t index, TrackInfo info) {
  std::lock_guard lock(tracksMutex_);
  if (index < tracks_.size() && tracks_[index].compatibleWith(info)) tracks_[index] = std::move(info);
}

void Stream::setKeyframeRequester(std::function<void()> requester) {
  std::lock_guard lock(tracksMutex_);
  keyframeRequester_ = std::move(requester);
}

bool Stream::requestKeyframe() {
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       base::Clock::system().now().time_since_epoch()).count();
  auto last = lastKeyframeRequest_.load(std::memory_order_relaxed);
  const auto interval = std::chrono::duration_cast<std::chrono::nanoseconds>(kKeyframeRequestInterval).count();
  std::function<void()> requester;
  {
    std::lock_guard lock(tracksMutex_);
    requester = keyframeRequester_;
  }
  if (!requester || ended() || (last != 0 && now - last < interval) ||
      !lastKeyframeRequest_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    keyframeRequestsDropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  keyframeRequests_.fetch_add(1, std::memory_order_relaxed);
  boost::asio::post(loop_, std::move(requester));
  return true;
}

void Stream::end() {
  if (ended_.exchange(true, std::memory_order_acq_rel)) return;
  gop_.clear();
  for (const auto& fanout : active_) {
    boost::asio::post(fanout->loop(), [fanout] { fanout->endAll(); });
  }
  active_.clear();
}

std::shared_ptr<LoopFanout> Stream::fanoutFor(io::IoContext& loop) {
  std::lock_guard lock(fanoutMutex_);
  for (const auto& f : byLoop_) {
    if (&f->loop() == &loop) return f;
  }
  byLoop_.push_back(std::make_shared<LoopFanout>(loop));
  return byLoop_.back();
}

void Stream::addReader(const std::shared_ptr<Reader>& reader, io::IoContext& readerLoop) {
  auto fanout = fanoutFor(readerLoop);
  boost::asio::post(loop_, [self = shared_from_this(), fanout, reader] {
    if (self->ended()) {
      boost::asio::post(fanout->loop(), [reader] { reader->onStreamEnd(); });
      return;
    }
    if (fanout->publisherSideCount++ == 0) self->active_.push_back(fanout);
    self->readers_.fetch_add(1, std::memory_order_relaxed);
    if (&fanout->loop() == &self->loop_) {
      // Same loop: units are delivered synchronously here, so register now, or a unit published
      // before a posted registration ran would never reach this reader.
      fanout->add(reader, self->gop_.units());
      return;
    }
    // The GOP snapshot and every later unit reach the fan-out in publish order, because
    // posts from this loop to that loop run in the order they were made.
    boost::asio::post(fanout->loop(), [fanout, reader, gop = self->gop_.units()] { fanout->add(reader, gop); });
  });
}

void Stream::removeReader(const std::shared_ptr<Reader>& reader, io::IoContext& readerLoop) {
  auto fanout = fanoutFor(readerLoop);
  fanout->remove(reader);
  boost::asio::post(loop_, [self = shared_from_this(), fanout] {
    if (fanout->publisherSideCount == 0) return;  // the stream ended in between
    self->readers_.fetch_sub(1, std::memory_order_relaxed);
    if (--fanout->publisherSideCount == 0) std::erase(self->active_, fanout);
  });
}

void Stream::copyGop(std::function<void(GopCopy)> done) {
  boost::asio::post(loop_, [self = shared_from_this(), done = std::move(done)] {
    done(GopCopy{.units = self->gop_.units(), .tracks = self->tracks(), .ended = self->ended()});
  });
}

std::vector<TrackInfo> Stream::tracks() const {
  std::lock_guard lock(tracksMutex_);
  return tracks_;
}

StreamStats Stream::stats() const {
  StreamStats s;
  s.bytesIn = bytesIn_.load(std::memory_order_relaxed);
  s.bytesOut = bytesOut_.load(std::memory_order_relaxed);
  s.unitsIn = unitsIn_.load(std::memory_order_relaxed);
  s.droppedUnits = dropped_.load(std::memory_order_relaxed);
  s.readers = readers_.load(std::memory_order_relaxed);
  s.keyframeRequests = keyframeRequests_.load(std::memory_order_relaxed);
  s.keyframeRequestsDropped = keyframeRequestsDropped_.load(std::memory_order_relaxed);
  s.fps = fpsCenti_.load(std::memory_order_relaxed) / 100.0;
  s.bitrateKbps = static_cast<double>(bitrateBps_.load(std::memory_order_relaxed)) / 1000.0;
  s.uptimeSeconds = std::chrono::duration<double>(base::Clock::system().now() - started_).count();
  return s;
}

}  // namespace ocellus::media
