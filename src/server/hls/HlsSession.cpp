#include "server/hls/HlsSession.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "proto/hls/Playlist.h"

namespace ocellus::server::hls {

namespace {

using Kind = HlsAnswer::Kind;
namespace phls = proto::hls;

constexpr std::string_view kPlaylistType = "application/vnd.apple.mpegurl";
constexpr std::string_view kMp4Type = "video/mp4";
constexpr std::uint64_t kDefaultBandwidth = 2'000'000;

HlsAnswer bytes(std::vector<base::SharedBytes> body, bool shortLived) {
  return HlsAnswer{Kind::Ok, std::string(kMp4Type), std::move(body), shortLived, {}, {}};
}

// BANDWIDTH: the peak bit rate of the complete segments (RFC 8216bis §4.4.6.2), or of what the
// open one has so far.
std::uint64_t peakBandwidth(const phls::SegmentRing& ring) {
  std::uint64_t peak = 0;
  for (const auto& s : ring.segments()) {
    if (s.duration.count() <= 0) continue;
    std::uint64_t size = 0;
    for (const auto& p : s.parts) size += p.bytes->size();
    peak = std::max<std::uint64_t>(peak, size * 8 * 1'000'000 / static_cast<std::uint64_t>(s.duration.count()));
  }
  return peak ? peak : kDefaultBandwidth;
}

}  // namespace

struct HlsSession::Parked {
  phls::SegmentRing::WaiterId id = 0;
  base::SteadyTime deadline;
  HlsRequest request;
  HlsDone done;
  bool answered = false;
};

HlsSession::HlsSession(std::shared_ptr<media::Stream> stream, Options options, const base::Clock& clock,
                       std::function<void()> onClosed, Retry retry)
    : stream_(std::move(stream)),
      loop_(stream_->loop()),
      options_(options),
      clock_(clock),
      onClosed_(std::move(onClosed)),
      retry_(std::move(retry)),
      log_(base::Logger("hls").child(stream_->path())),
      parkTimer_(loop_),
      startTimer_(loop_),
      idleTimer_(loop_),
      lastRequest_(clock.now()) {}

void HlsSession::start() {
  boost::asio::post(loop_, [self = shared_from_this()] { self->begin(); });
}

void HlsSession::handle(HlsRequest request, HlsDone done) {
  // In place on the stream's loop (a request read by a connection that lives there): no post.
  boost::asio::dispatch(
      loop_, [self = shared_from_this(), request = std::move(request), done = std::move(done)]() mutable {
        self->serve(std::move(request), std::move(done));
      });
}

void HlsSession::close(std::string why) {
  boost::asio::post(loop_, [self = shared_from_this(), why = std::move(why)] { self->shutDown(why); });
}

void HlsSession::begin() {
  if (closed_) return;
  if (stream_->ended()) {
    shutDown("the stream has ended");
    return;
  }
  startPackager();
  reading_ = true;
  stream_->addReader(shared_from_this(), loop_);
  log_.info("packaging started ({})", packager_ ? packager_->codecs() : "waiting for parameter sets");
  checkIdle();
}

void HlsSession::startPackager() {
  auto made = bridge::HlsPackager::create(stream_->tracks(), options_.ring, clock_, log_);
  if (made) {
    packager_ = std::move(made).value();
  } else {
    packagerError_ = made.error().message;
  }
}

void HlsSession::checkIdle() {
  if (closed_ || options_.alwaysOn) return;
  const auto idle = clock_.now() - lastRequest_;
  if (idle >= options_.idleTimeout) {
    shutDown("no request for " + std::to_string(options_.idleTimeout.count() / 1000) + " s");
    return;
  }
  idleTimer_.expires_after(options_.idleTimeout - idle);
  idleTimer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->checkIdle();
  });
}

void HlsSession::onUnit(const media::UnitPtr& unit) {
  if (closed_) return;
  if (unit->keyframe && (!packager_ || static_cast<int>(unit->track) == stream_->videoTrack())) {
    // Parameter sets learned in-band make the first packager possible, or a new one necessary.
    if (!packager_) {
      startPackager();
    } else if (!packager_->describes(stream_->tracks())) {
      shutDown("the stream's parameter sets changed: a new init segment starts with the next request");
      return;
    }
  }
  if (!packager_) return;
  const auto version = packager_->ring().version();
  packager_->push(*unit);
  if (packager_->ring().version() != version) forgetAnswered();
  if (!starting_.empty() && packager_->ring().lastCompleteMsn()) releaseStarting();
}

void HlsSession::onStreamEnd() {
  reading_ = false;
  shutDown("the stream has ended");
}

void HlsSession::releaseStarting() {
  startTimer_.cancel();
  auto waiting = std::move(starting_);
  starting_.clear();
  for (auto& [request, done] : waiting) serve(std::move(request), std::move(done));
}

void HlsSession::serve(HlsRequest request, HlsDone done) {
  if (closed_) {
    if (++request.attempts > 1) {
      done(HlsAnswer::refuse(Kind::Unavailable, "the HLS session of '" + stream_->path() + "' is restarting"));
    } else {
      retry_(std::move(request), std::move(done));
    }
    return;
  }
  lastRequest_ = clock_.now();
  if (!packager_ || (!packager_->ring().lastCompleteMsn() && !packager_->ring().finished())) {
    // The first request waits for the first complete segment, a bounded time.
    if (starting_.empty()) {
      startTimer_.expires_after(options_.startTimeout);
      startTimer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (!self || ec) return;
        auto waiting = std::move(self->starting_);
        self->starting_.clear();
        const auto why = self->packager_ ? "no HLS segment of '" + self->stream_->path() + "' is complete yet"
                                         : "'" + self->stream_->path() + "' cannot be packaged: " + self->packagerError_;
        for (auto& w : waiting) w.second(HlsAnswer::refuse(Kind::Unavailable, why));
      });
    }
    starting_.emplace_back(std::move(request), std::move(done));
    return;
  }
  const auto& ring = packager_->ring();
  const auto& r = request.resource;
  phls::BlockingDecision decision;
  switch (r.kind) {
    case phls::ResourceKind::MediaPlaylist:
      if (request.directives.blocking()) decision = ring.decide(request.directives);
      break;
    case phls::ResourceKind::Segment:
      if (const auto* s = ring.segment(r.number); s && !s->complete) {
        phls::PlaylistRequest whole;
        whole.msn = r.number;
        decision = ring.decide(whole);
      }
      break;
    case phls::ResourceKind::Part:
      if (!ring.part(r.number)) decision = ring.decidePart(r.number);
      break;
    default:
      break;
  }
  if (decision.kind == phls::BlockingDecision::Kind::BadRequest) {
    // A playlist's directives are the request's to fix; a part past the limit is not there.
    done(HlsAnswer::refuse(r.kind == phls::ResourceKind::MediaPlaylist ? Kind::BadRequest : Kind::NotFound,
                           decision.reason));
    return;
  }
  if (decision.kind == phls::BlockingDecision::Kind::Wait) {
    park(decision, std::move(request), std::move(done));
    return;
  }
  done(answer(request));
}

void HlsSession::park(const phls::BlockingDecision& decision, HlsRequest request, HlsDone done) {
  auto parked = std::make_shared<Parked>(Parked{0, clock_.now() + options_.blockTimeout, std::move(request), std::move(done)});
  // The ring runs waiters from addPart() and finish(), which only this session calls.
  parked->id = packager_->ring().wait(decision, [this, parked] {
    if (parked->answered) return;
    parked->answered = true;
    parked->done(answer(parked->request));
  });
  if (parked->answered) return;
  parked_.push_back(std::move(parked));
  if (parked_.size() == 1) armParkTimer();
}

void HlsSession::armParkTimer() {
  parkTimer_.expires_after(parked_.front()->deadline - clock_.now());
  parkTimer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->expireParked();
  });
}

void HlsSession::expireParked() {
  const auto now = clock_.now();
  while (!parked_.empty() && (parked_.front()->answered || parked_.front()->deadline <= now)) {
    const auto parked = std::move(parked_.front());
    parked_.pop_front();
    if (parked->answered) continue;
    parked->answered = true;
    if (packager_) packager_->ring().cancel(parked->id);
    parked->done(HlsAnswer::refuse(Kind::Unavailable, "what the request waits for did not come in time"));
  }
  if (!parked_.empty()) armParkTimer();
}

void HlsSession::forgetAnswered() {
  std::erase_if(parked_, [](const auto& p) { return p->answered; });
}

base::SharedBytes HlsSession::playlist(const HlsRequest& request) {
  const auto& ring = packager_->ring();
  if (ring.version() != playlistsVersion_) {
    playlists_.clear();
    playlistsVersion_ = ring.version();
  }
  const auto& r = request.resource;
  const bool multivariant = r.kind == phls::ResourceKind::Multivariant;
  const auto skip = request.lowLatency && !multivariant ? request.directives.skip : phls::PlaylistRequest::Skip::No;
  auto [it, rendered] = playlists_.try_emplace(
      fmt::format("{}{}{}?{}", multivariant ? 'm' : 'p', request.lowLatency ? 1 : 0, static_cast<int>(skip), request.query));
  if (!rendered) return it->second;
  std::string text;
  if (multivariant) {
    std::string uri(phls::kMediaPlaylistName);
    const std::string plain = request.lowLatency ? "" : "ll=0";
    const std::string query = plain + (plain.empty() || request.query.empty() ? "" : "&") + request.query;
    if (!query.empty()) uri += "?" + query;
    const phls::Variant variant{peakBandwidth(ring), static_cast<std::uint32_t>(packager_->width()),
                                static_cast<std::uint32_t>(packager_->height()), packager_->codecs(), uri};
    text = phls::renderMultivariantPlaylist({&variant, 1});
  } else {
    text = request.lowLatency ? phls::renderLowLatencyPlaylist(ring, request.query, skip)
                              : phls::renderPlainPlaylist(ring, request.query);
  }
  it->second = base::SharedBytes::of(std::move(text));
  return it->second;
}

HlsAnswer HlsSession::answer(const HlsRequest& request) {
  const auto& ring = packager_->ring();
  const auto& r = request.resource;
  switch (r.kind) {
    case phls::ResourceKind::Multivariant:
    case phls::ResourceKind::MediaPlaylist:
      return HlsAnswer{Kind::Ok, std::string(kPlaylistType), {playlist(request)}, true, {}, {}};
    case phls::ResourceKind::Init:
      return bytes({base::SharedBytes::of(ring.init())}, true);
    case phls::ResourceKind::Segment: {
      const auto* s = ring.segment(r.number);
      if (!s || !s->complete) return HlsAnswer::refuse(Kind::NotFound, "no segment " + phls::segmentName(r.number));
      std::vector<base::SharedBytes> body;
      body.reserve(s->parts.size());
      for (const auto& p : s->parts) body.push_back(base::SharedBytes::of(p.bytes));
      return bytes(std::move(body), false);
    }
    case phls::ResourceKind::Part: {
      const auto* p = ring.part(r.number);
      if (!p) return HlsAnswer::refuse(Kind::NotFound, "no part " + phls::partName(r.number));
      return bytes({base::SharedBytes::of(p->bytes)}, false);
    }
  }
  return HlsAnswer::refuse(Kind::NotFound, "unknown resource");
}

void HlsSession::shutDown(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  log_.info("packaging stopped: {}", why);
  // First, so that the requests answered below with a retry find a new session, not this one.
  if (onClosed_) onClosed_();
  idleTimer_.cancel();
  if (reading_) {
    reading_ = false;
    stream_->removeReader(shared_from_this(), loop_);
  }
  // Parked requests get their answer from the finished ring (EXT-X-ENDLIST, or 404 for a part
  // that will not come); those waiting for a first segment try a new session.
  if (packager_) packager_->finish();
  parked_.clear();
  parkTimer_.cancel();
  releaseStarting();
}

}  // namespace ocellus::server::hls
