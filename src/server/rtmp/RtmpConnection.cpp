#include "server/rtmp/RtmpConnection.h"

#include <boost/asio/write.hpp>

#include <unordered_map>

#include "base/Text.h"

namespace ocellus::server::rtmp {
namespace {

using proto::rtmp::ServerConnection;

// The FlvSender of each stream on this loop (a loop is one thread), shared by its players there
// and gone with the last of them.
std::shared_ptr<bridge::FlvSender> senderFor(const std::shared_ptr<media::Stream>& stream) {
  struct Entry {
    std::weak_ptr<media::Stream> stream;  // a new Stream may reuse a freed one's address
    std::weak_ptr<bridge::FlvSender> sender;
  };
  thread_local std::unordered_map<const media::Stream*, Entry> senders;
  if (auto it = senders.find(stream.get()); it != senders.end() && it->second.stream.lock() == stream) {
    if (auto sender = it->second.sender.lock()) return sender;
  }
  std::erase_if(senders, [](const auto& kv) { return kv.second.sender.expired(); });
  auto sender = std::make_shared<bridge::FlvSender>(stream->tracks());
  senders[stream.get()] = Entry{stream, sender};
  return sender;
}

// The value of `name` in a URL query ("a=1&token=x"), percent-decoded.
std::optional<std::string> queryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return base::percentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

constexpr std::string_view kLiveApp = "live";

}  // namespace

RtmpConnection::RtmpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<RtmpServer::Context> context, bool tls)
    : ctx_(std::move(context)),
      socket_(std::move(socket)),
      loop_(static_cast<io::IoContext&>(socket_.get_executor().context())),
      timer_(loop_),
      log_(ctx_->log),
      started_(base::Clock::system().now()),
      lastInput_(started_) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  remoteIp_ = ec ? "?" : remote.address().to_string();
  remote_ = ec ? "?" : remoteIp_ + ":" + std::to_string(remote.port());
  loopback_ = !ec && remote.address().is_loopback();
  log_ = ctx_->log.child(std::string(tls ? "rtmps " : "conn ") + remote_);
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // flush() writes at once what the socket takes
  if (tls) tls_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>>(socket_, *ctx_->tls);
}

RtmpConnection::~RtmpConnection() = default;

void RtmpConnection::start() {
  ctx_->connections.add();
  log_.debug("opened");
  tick();
  if (tls_) {
    handshakeTls();
  } else {
    read();
  }
}

void RtmpConnection::handshakeTls() {
  tls_->async_handshake(boost::asio::ssl::stream_base::server, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (self->closed_) return;
    if (ec) {
      self->ctx_->badRequests.add();
      self->log_.info("TLS handshake failed: {}", ec.message());
      self->close("TLS handshake failed");
      return;
    }
    self->read();
  });
}

void RtmpConnection::close(std::string_view reason) {
  if (closed_) return;
  closed_ = true;
  log_.debug("closed: {}", reason);
  stopPublishing();
  stopPlaying();
  boost::system::error_code ec;
  timer_.cancel();
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void RtmpConnection::dropIfKeyPublisher(const std::string& path) {
  if (closed_ || role_ != Role::Publisher || !byKey_ || path_ != path) return;
  log_.info("stream key of '{}' rotated: disconnecting its publisher", path_);
  close("stream key revoked");
}

// ---------------------------------------------------------------------------- input

template <typename Handler>
void RtmpConnection::readSome(boost::asio::mutable_buffer buffer, Handler&& handler) {
  if (tls_) {
    tls_->async_read_some(buffer, std::forward<Handler>(handler));
  } else {
    socket_.async_read_some(buffer, std::forward<Handler>(handler));
  }
}

void RtmpConnection::read() {
  if (reading_ || closed_ || closing_) return;
  reading_ = true;
  readBuffer_.resize(role_ == Role::Publisher ? kPublisherReadSize : kPlayerReadSize);
  readSome(boost::asio::buffer(readBuffer_), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
    self->reading_ = false;
    if (self->closed_) return;
    if (ec) {
      self->conn_.peerClosed();
      self->processEvents();
      self->close(ec == boost::asio::error::eof ? "peer closed" : ec.message());
      return;
    }
    self->lastInput_ = base::Clock::system().now();
    auto fed = self->conn_.feed(std::span<const std::uint8_t>(self->readBuffer_.data(), n));
    if (!fed) {
      // The byte stream cannot be trusted any more: this connection ends, nothing else does.
      self->ctx_->badRequests.add();
      self->log_.info("bad input, closing: {}", fed.error().message);
    }
    self->processEvents();
    self->read();
  });
}

void RtmpConnection::processEvents() {
  while (auto event = conn_.nextEvent()) {
    if (closed_) return;
    std::visit(
        [this](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, ServerConnection::Connected>) {
            connectQuery_ = e.query;
            log_.debug("connect app '{}'", e.app);
            app_ = e.app;
          } else if constexpr (std::is_same_v<T, ServerConnection::PublishRequested>) {
            onPublish(e);
          } else if constexpr (std::is_same_v<T, ServerConnection::PlayRequested>) {
            onPlay(e);
          } else if constexpr (std::is_same_v<T, ServerConnection::Media>) {
            onMedia(e);
          } else if constexpr (std::is_same_v<T, ServerConnection::MetaData>) {
            if (role_ == Role::Publisher && ingest_ && e.streamId == streamId_ && !ingest_->started()) {
              const bool video = e.properties.get("videocodecid") != nullptr;
              const bool audio = e.properties.get("audiocodecid") != nullptr;
              if (video || audio) ingest_->expect(video, audio);
              if (ingest_->complete()) startPublishing();
            }
          } else if constexpr (std::is_same_v<T, ServerConnection::Unpublished>) {
            if (role_ == Role::Publisher && e.streamId == streamId_) stopPublishing();
          } else if constexpr (std::is_same_v<T, ServerConnection::StreamDeleted>) {
            if (role_ == Role::Player && e.streamId == streamId_) stopPlaying();
          } else if constexpr (std::is_same_v<T, ServerConnection::Closed>) {
            flush();
            close(e.reason);
          }
        },
        *event);
  }
  flush();
}

base::Result<std::string> RtmpConnection::authorize(media::MediaAction action, const std::string& streamName) {
  const auto q = streamName.find('?');
  const std::string name = streamName.substr(0, q);
  const std::string query = q == std::string::npos ? connectQuery_ : streamName.substr(q + 1);
  const bool publish = action == media::MediaAction::Publish;
  // rtmp://HOST/{app}/{name} → "{app}/{name}"; FFmpeg and OBS send rtmp://HOST/{name} as app
  // "{name}" with an empty stream name.
  const std::string joined = app_.empty() ? name : name.empty() ? app_ : app_ + "/" + name;
  if (joined.empty()) return base::makeError(base::ErrorCode::InvalidArgument, "a stream name is needed");
  // rtmp://HOST/live/{stream_key}: the key names the camera and is its credential.
  if (app_ == kLiveApp && ctx_->options.streamKeys) {
    auto path = ctx_->options.streamKeys(name);
    if (!path) {
      ctx_->authFailures.add();
      log_.info("{} refused: unknown or revoked stream key", publish ? "publish" : "play");
      return base::makeError(base::ErrorCode::Unauthorized, "unknown or revoked stream key");
    }
    const media::MediaRequest req{action, *path, remoteIp_, loopback_};
    if (!ctx_->access()->pathAllows(req)) {
      return base::makeError(base::ErrorCode::Forbidden, std::string(publish ? "publishing" : "reading") + " this camera is not allowed");
    }
    byKey_ = publish;
    return *path;
  }
  const auto path = ctx_->registry.resolve(joined);
  const auto access = ctx_->access();
  const media::MediaRequest req{action, path, remoteIp_, loopback_};
  if (!access->pathAllows(req)) {
    return base::makeError(base::ErrorCode::Forbidden,
                           std::string(publish ? "publishing" : "reading") + " '" + path + "' is not allowed");
  }
  if (access->allowsAnonymous(req)) return path;
  std::optional<std::string> principal;
  if (auto token = queryValue(query, "token"); token && !token->empty()) {
    principal = access->checkToken(*token);
  } else if (auto user = queryValue(query, "user"); user && !user->empty()) {
    principal = access->checkPassword(*user, queryValue(query, "pass").value_or(""));
  }
  if (!principal || !access->permits(*principal, req)) {
    ctx_->authFailures.add();
    log_.info("{} '{}' refused: {}", publish ? "publish" : "play", path,
              principal ? "'" + *principal + "' may not do this" : "no valid credentials");
    return base::makeError(base::ErrorCode::Unauthorized,
                           "authentication failed (give ?user=…&pass=… or ?token=… in the stream name)");
  }
  return path;
}

void RtmpConnection::onPublish(const ServerConnection::PublishRequested& request) {
  const auto refuse = [&](const std::string& why) {
    (void)conn_.rejectPublish(request.streamId, "NetStream.Publish.BadName", why);
  };
  if (role_ != Role::None) {
    refuse("this connection already publishes or plays");
    return;
  }
  auto path = authorize(media::MediaAction::Publish, request.name);
  if (!path) {
    refuse(path.error().message);
    return;
  }
  if (ctx_->registry.find(*path)) {
    log_.info("publish '{}' refused: already publishing", *path);
    refuse("'" + *path + "' is already publishing");
    byKey_ = false;
    return;
  }
  role_ = Role::Publisher;
  path_ = std::move(path).value();
  streamId_ = request.streamId;
  ingest_.emplace();
  (void)conn_.acceptPublish(request.streamId);
  log_.info("publishing '{}'{}", path_, byKey_ ? " (camera stream key)" : "");
  // The stream starts when both configurations came, or after tracksWait with what came.
  auto self = weak_from_this();
  auto wait = std::make_shared<boost::asio::steady_timer>(loop_, ctx_->options.tracksWait);
  wait->async_wait([self, wait](const boost::system::error_code& ec) {
    auto c = self.lock();
    if (ec || !c || c->closed_ || c->role_ != Role::Publisher || !c->ingest_ || c->ingest_->started()) return;
    if (c->ingest_->hasTracks()) {
      c->startPublishing();
    } else {
      c->log_.info("publish '{}': no video (H.264, H.265, AV1) or AAC configuration after {} ms", c->path_,
                   c->ctx_->options.tracksWait.count());
    }
    c->flush();
  });
}

void RtmpConnection::startPublishing() {
  if (closing_ || stream_ || !ingest_ || !ingest_->hasTracks()) return;
  const auto tracks = ingest_->tracks();
  auto stream = ctx_->registry.publish(path_, loop_, tracks, "rtmp publisher " + remoteIp_);
  if (!stream) {
    // Another publisher took the path between our acceptance and the first configuration: say
    // so to the client (FFmpeg prints it), then close once that is written.
    log_.info("publish '{}' failed: {}", path_, stream.error().message);
    (void)conn_.rejectPublish(streamId_, "NetStream.Publish.BadName", stream.error().message);
    closing_ = true;
    return;
  }
  stream_ = std::move(stream).value();
  ingest_->start([this](media::MutableUnitPtr unit) { stream_->publish(std::move(unit)); });
  std::string described;
  for (const auto& t : tracks) {
    described += (described.empty() ? "" : ", ") + std::string(codec::codecName(t.codec));
    if (t.isVideo()) described += " " + std::to_string(t.width) + "x" + std::to_string(t.height);
  }
  log_.info("stream '{}' started: {}", path_, described);
}

void RtmpConnection::onMedia(const ServerConnection::Media& m) {
  if (role_ != Role::Publisher || !ingest_ || m.streamId != streamId_) return;
  if (m.kind == ServerConnection::MediaKind::Data) return;
  const auto now = base::Clock::system().now();
  auto pushed = m.kind == ServerConnection::MediaKind::Video ? ingest_->pushVideo(m.timestamp, m.payload, now)
                                                             : ingest_->pushAudio(m.timestamp, m.payload, now);
  if (!pushed) {
    ++droppedMessages_;
    ctx_->droppedMessages.add();
    if (const auto n = dropLog_.allow(now)) log_.info("dropped {} message(s) of '{}': {}", n, path_, pushed.error().message);
  }
  if (!ingest_->started()) {
    if (ingest_->complete()) startPublishing();
    return;
  }
  while (auto change = ingest_->takeTrackChange()) {
    if (stream_) stream_->updateTrack(change->first, std::move(change->second));
  }
}

void RtmpConnection::stopPublishing() {
  if (role_ != Role::Publisher) return;
  if (stream_) {
    ctx_->registry.unpublish(stream_);
    log_.info("stream '{}' ended ({} message(s) dropped)", path_, droppedMessages_ + ingest_->droppedUnits());
  }
  stream_.reset();
  ingest_.reset();
  role_ = Role::None;
  byKey_ = false;
}

// ---------------------------------------------------------------------------- player

void RtmpConnection::onPlay(const ServerConnection::PlayRequested& request) {
  if (role_ != Role::None) {
    (void)conn_.rejectPlay(request.streamId, "NetStream.Play.Failed", "this connection already publishes or plays");
    return;
  }
  auto path = authorize(media::MediaAction::Read, request.name);
  if (!path) {
    (void)conn_.rejectPlay(request.streamId, "NetStream.Play.Failed", path.error().message);
    return;
  }
  role_ = Role::Player;
  path_ = std::move(path).value();
  streamId_ = request.streamId;
  ctx_->registry.whenReady(path_, loop_, ctx_->options.onDemandStartTimeout,
                           [self = shared_from_this()](base::Result<std::shared_ptr<media::Stream>> stream) {
                             if (self->closed_ || self->role_ != Role::Player) return;
                             if (!stream) {
                               self->log_.info("play '{}': {}", self->path_, stream.error().message);
                               (void)self->conn_.rejectPlay(self->streamId_, "NetStream.Play.StreamNotFound",
                                                            "no stream on '" + self->path_ + "'");
                               self->role_ = Role::None;
                             } else {
                               self->startPlaying(std::move(stream).value());
                             }
                             self->flush();
                           },
                           true);
}

void RtmpConnection::startPlaying(std::shared_ptr<media::Stream> stream) {
  sender_ = senderFor(stream);
  if (sender_->empty()) {
    log_.info("play '{}' refused: none of its tracks can be carried over RTMP", path_);
    (void)conn_.rejectPlay(streamId_, "NetStream.Play.Failed", "no track of '" + path_ + "' can be carried over RTMP");
    sender_.reset();
    role_ = Role::None;
    return;
  }
  for (const auto& s : sender_->skipped()) log_.info("play '{}': skipping {}, which RTMP cannot carry", path_, s);
  if (auto s = conn_.acceptPlay(streamId_); !s) return;
  conn_.writeShared(sender_->header(streamId_));
  stream_ = std::move(stream);
  queue_.emplace(media::ReaderQueue::Limits{}, stream_->videoTrack());
  stream_->addReader(shared_from_this(), loop_);
  log_.info("playing '{}'", path_);
}

void RtmpConnection::stopPlaying() {
  if (role_ != Role::Player) return;
  if (stream_) stream_->removeReader(shared_from_this(), loop_);
  if (queue_ && queue_->droppedUnits() > 0) {
    log_.info("reader too slow: {} units dropped in {} overflows", queue_->droppedUnits(), queue_->overflows());
  }
  stream_.reset();
  queue_.reset();
  sender_.reset();
  role_ = Role::None;
}

void RtmpConnection::onUnit(const media::UnitPtr& unit) {
  if (closed_ || role_ != Role::Player || !queue_) return;
  if (!queue_->push(unit, unit->data.size() + 32, base::Clock::system().now())) {
    ctx_->droppedUnits.add();
    stream_->countDroppedUnits(1);
  }
  flushLater();
}

void RtmpConnection::flushLater() {
  if (flushDue_ || writing_) return;  // a write in flight flushes when it completes
  flushDue_ = true;
  // The players of this loop that got units in this turn, written by one handler posted behind
  // the turn's other handlers: units that arrive together (a publisher's read of video and
  // audio, deliveries queued while the loop was busy) leave in one write per player.
  thread_local std::vector<std::shared_ptr<RtmpConnection>> due;
  if (due.empty()) {
    boost::asio::post(loop_, [] {
      thread_local std::vector<std::shared_ptr<RtmpConnection>> batch;
      batch.swap(due);
      for (const auto& c : batch) {
        c->flushDue_ = false;
        c->flush();
      }
      batch.clear();
    });
  }
  due.push_back(shared_from_this());
}

void RtmpConnection::onStreamEnd() {
  if (closed_ || role_ != Role::Player) return;
  log_.info("stream '{}' ended", path_);
  (void)conn_.endPlay(streamId_);
  stream_.reset();
  stopPlaying();
  closing_ = true;  // players (FFmpeg) stop at StreamEOF; close once it is written
  flush();
}

// ---------------------------------------------------------------------------- output

void RtmpConnection::flush() {
  if (writing_ || closed_) return;
  // Control messages first (they may start the play), then every queued unit: one gather write.
  inflightControl_ = conn_.takeOutput();
  inflightMessages_.clear();
  if (queue_ && role_ == Role::Player) {
    pending_.clear();
    queue_->takeAll(pending_);
    for (const auto& u : pending_) {
      if (auto bytes = sender_->message(u, streamId_)) inflightMessages_.push_back(std::move(bytes));
    }
    pending_.clear();
  }
  if (inflightControl_.empty() && inflightMessages_.empty()) {
    if (closing_) close("stream ended");
    return;
  }
  buffers_.clear();
  std::size_t media = 0;
  if (!inflightControl_.empty()) buffers_.emplace_back(inflightControl_.data(), inflightControl_.size());
  for (const auto& m : inflightMessages_) {
    buffers_.emplace_back(m->data(), m->size());
    media += m->size();
  }
  if (stream_ && role_ == Role::Player) stream_->countBytesOut(media);
  if (!tls_) {
    // A player's socket nearly always takes a whole write at once: one sendmsg, done, without
    // an asynchronous operation (its allocation, its posted completion) per write and player.
    // Only what it does not take waits for the socket to become writable.
    boost::system::error_code ec;
    auto written = socket_.write_some(buffers_, ec);
    if (ec == boost::asio::error::would_block) {
      written = 0;
    } else if (ec) {
      close("write failed: " + ec.message());
      return;
    }
    if (written == boost::asio::buffer_size(buffers_)) {
      inflightMessages_.clear();
      flush();  // nothing is queued now; ends the connection if it was closing
      return;
    }
    auto rest = buffers_.begin();  // the first buffer not written whole (written < the total)
    for (; written >= rest->size(); ++rest) written -= rest->size();
    *rest += written;
    buffers_.erase(buffers_.begin(), rest);
  }
  writing_ = true;
  auto done = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    self->writing_ = false;
    self->inflightMessages_.clear();
    if (self->closed_) return;
    if (ec) {
      self->close("write failed: " + ec.message());
      return;
    }
    self->flush();
  };
  if (tls_) {
    boost::asio::async_write(*tls_, buffers_, std::move(done));
  } else {
    boost::asio::async_write(socket_, buffers_, std::move(done));
  }
}

void RtmpConnection::tick() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    const auto now = base::Clock::system().now();
    const auto& o = self->ctx_->options;
    if (!self->conn_.connected() && now - self->started_ > o.handshakeTimeout) {
      self->ctx_->badRequests.add();
      self->log_.info("closing: no handshake and connect within {} s", o.handshakeTimeout.count());
      self->close("handshake timed out");
      return;
    }
    // A player may stay silent (its open connection is proof of life); anyone else must talk.
    if (self->role_ != Role::Player && now - self->lastInput_ > o.idleTimeout) {
      self->log_.info("closing: nothing received for {} s", o.idleTimeout.count());
      self->close("idle");
      return;
    }
    self->tick();
  });
}

}  // namespace ocellus::server::rtmp
