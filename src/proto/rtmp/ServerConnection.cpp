#include "proto/rtmp/ServerConnection.h"

#include <algorithm>

#include "base/ByteWriter.h"

namespace ocellus::proto::rtmp {
namespace {

constexpr std::string_view kFmsVersion = "FMS/3,5,7,7009";
constexpr double kCapabilities = 31;
constexpr std::uint8_t kBandwidthDynamic = 2;  // Set Peer Bandwidth limit type (§5.4.5)

base::Error malformed(const std::string& what) {
  return base::makeError(base::ErrorCode::Malformed, "rtmp: " + what);
}

Amf0Property prop(std::string name, Amf0Value value) {
  return Amf0Property{std::move(name), std::move(value)};
}

std::pair<std::string, std::string> splitQuery(std::string_view s) {
  const auto q = s.find('?');
  if (q == std::string_view::npos) return {std::string(s), {}};
  return {std::string(s.substr(0, q)), std::string(s.substr(q + 1))};
}

// The string argument at index, if it is one.
std::optional<std::string_view> stringAt(const std::vector<Amf0Value>& values, std::size_t index) {
  if (index >= values.size() || !values[index].isString()) return std::nullopt;
  return std::string_view(values[index].string);
}

}  // namespace

base::Status ServerConnection::feed(std::span<const std::uint8_t> input) {
  if (closed_) {
    return base::makeError(base::ErrorCode::Closed, "rtmp: fed after the connection ended: " + failure_);
  }
  received_ += input.size();
  if (!handshake_.done()) {
    auto used = handshake_.feed(input, out_);
    if (!used) {
      fail(used.error().message);
      return used.error();
    }
    input = input.subspan(*used);
    if (!handshake_.done()) return {};
  }
  base::Status status = reader_.feed(input, [this](const Message& m) { return onMessage(m); });
  if (!status) {
    fail(status.error().message);
    return status;
  }
  // §5.4.3: acknowledge once the peer's window is received since the last acknowledgement.
  if (peerWindow_ != 0 && received_ - lastAck_ >= peerWindow_) {
    lastAck_ = received_;
    std::vector<std::uint8_t> body;
    base::ByteWriter(body).u32(static_cast<std::uint32_t>(received_));
    sendControl(MessageType::Acknowledgement, body);
  }
  return {};
}

void ServerConnection::fail(const std::string& reason) {
  if (closed_) return;
  for (Stream& s : streams_) unpublish(s);
  closed_ = true;
  failure_ = reason;
  events_.push_back(Closed{reason});
}

void ServerConnection::peerClosed() {
  fail("peer closed the connection");
}

std::vector<std::uint8_t> ServerConnection::takeOutput() {
  std::vector<std::uint8_t> out;
  out.swap(out_);
  return out;
}

std::optional<ServerConnection::Event> ServerConnection::nextEvent() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

ServerConnection::Stream* ServerConnection::find(std::uint32_t streamId) {
  for (Stream& s : streams_) {
    if (s.id == streamId) return &s;
  }
  return nullptr;
}

bool ServerConnection::playing(std::uint32_t streamId) const {
  return std::any_of(streams_.begin(), streams_.end(),
                     [&](const Stream& s) { return s.id == streamId && s.state == StreamState::Playing; });
}

void ServerConnection::unpublish(Stream& stream) {
  if (stream.state == StreamState::Publishing) events_.push_back(Unpublished{stream.id, stream.name});
  if (stream.state == StreamState::Publishing || stream.state == StreamState::PublishPending) {
    stream.state = StreamState::Idle;
  }
}

// ---- incoming ----

base::Status ServerConnection::onMessage(const Message& m) {
  switch (m.type) {
    case MessageType::WindowAckSize:
      if (m.payload.size() < 4) return malformed("a Window Acknowledgement Size shorter than 4 bytes");
      peerWindow_ = std::uint32_t{m.payload[0]} << 24 | std::uint32_t{m.payload[1]} << 16 |
                    std::uint32_t{m.payload[2]} << 8 | m.payload[3];
      return {};
    case MessageType::Acknowledgement:
    case MessageType::SetPeerBandwidth:
      return {};  // we do not throttle what we send by the peer's acknowledgements
    case MessageType::UserControl:
      return onUserControl(m);
    case MessageType::CommandAmf0:
      return onCommand(m, m.payload);
    case MessageType::CommandAmf3:
      // §7.1.1: an AMF3 command message starts with a format byte of 0, then AMF0 values.
      if (m.payload.empty() || m.payload[0] != 0) return malformed("an AMF3 command that is not AMF0-encoded");
      return onCommand(m, m.payload.subspan(1));
    case MessageType::DataAmf0:
      return onData(m, m.payload);
    case MessageType::DataAmf3:
      if (m.payload.empty() || m.payload[0] != 0) return malformed("an AMF3 data message that is not AMF0-encoded");
      return onData(m, m.payload.subspan(1));
    case MessageType::Audio:
    case MessageType::Video: {
      const Stream* s = find(m.streamId);
      if (s == nullptr || s->state != StreamState::Publishing) {
        ++dropped_;
        return {};
      }
      events_.push_back(Media{m.type == MessageType::Audio ? MediaKind::Audio : MediaKind::Video, m.streamId,
                              m.timestamp, std::vector<std::uint8_t>(m.payload.begin(), m.payload.end())});
      return {};
    }
    default:
      // Shared objects and aggregates: no encoder we serve sends them.
      ++dropped_;
      return {};
  }
}

base::Status ServerConnection::onUserControl(const Message& m) {
  if (m.payload.size() < 2) return malformed("a user control message shorter than 2 bytes");
  const auto event = static_cast<UserControlEvent>(m.payload[0] << 8 | m.payload[1]);
  if (event == UserControlEvent::PingRequest) {
    if (m.payload.size() < 6) return malformed("a ping request without its timestamp");
    const std::uint32_t stamp = std::uint32_t{m.payload[2]} << 24 | std::uint32_t{m.payload[3]} << 16 |
                                std::uint32_t{m.payload[4]} << 8 | m.payload[5];
    sendUserControl(UserControlEvent::PingResponse, stamp);
  }
  return {};  // SetBufferLength, PingResponse and the rest need no answer
}

base::Status ServerConnection::onCommand(const Message& m, std::span<const std::uint8_t> body) {
  auto decoded = Amf0::decodeAll(body);
  if (!decoded) return malformed("an undecodable command: " + decoded.error().message);
  const std::vector<Amf0Value>& values = *decoded;
  const auto name = stringAt(values, 0);
  if (!name) return malformed("a command message that does not start with a name");
  // §7.1.1: the transaction id follows the name; 0 when no answer is wanted.
  const double transactionId = values.size() > 1 && values[1].type == Amf0Type::Number ? values[1].number : 0;

  if (*name == "connect") return onConnect(transactionId, values);
  if (!connected_) return base::makeError(base::ErrorCode::InvalidState, "rtmp: '" + std::string(*name) + "' before connect");
  if (*name == "createStream") {
    if (streams_.size() == kMaxStreams) {
      sendError(transactionId, "NetConnection.Call.Failed", "too many streams on one connection");
      return {};
    }
    streams_.push_back(Stream{nextStreamId_++, StreamState::Idle, {}});
    sendResult(transactionId, Amf0Value::makeNull(), Amf0Value::makeNumber(streams_.back().id));
    return {};
  }
  if (*name == "publish" || *name == "play") return onStreamRequest(m, values, *name == "publish");
  if (*name == "deleteStream" || *name == "closeStream") {
    if (*name == "closeStream") {
      if (Stream* s = find(m.streamId)) unpublish(*s);
    } else {
      onDeleteStream(values);
    }
    return {};
  }
  if (*name == "releaseStream" || *name == "FCUnpublish") {
    if (*name == "FCUnpublish") {
      const auto stream = stringAt(values, 3);
      for (Stream& s : streams_) {
        if (stream && s.name == *stream) unpublish(s);
      }
    }
    if (transactionId != 0) sendResult(transactionId, Amf0Value::makeNull(), Amf0Value::makeUndefined());
    return {};
  }
  if (*name == "FCPublish") {
    // Flash Media Server answers with onFCPublish; encoders that wait for it (old OBS) need it.
    const std::string stream(stringAt(values, 3).value_or(""));
    sendCommand(0, {Amf0Value::makeString("onFCPublish"), Amf0Value::makeNumber(0), Amf0Value::makeNull(),
                    Amf0Value::makeObject({prop("code", Amf0Value::makeString("NetStream.Publish.Start")),
                                           prop("description", Amf0Value::makeString(stream))})});
    if (transactionId != 0) sendResult(transactionId, Amf0Value::makeNull(), Amf0Value::makeUndefined());
    return {};
  }
  if (*name == "_result" || *name == "_error" || *name == "onStatus" || *name == "receiveAudio" ||
      *name == "receiveVideo" || *name == "pause" || *name == "seek" || *name == "FCSubscribe" ||
      *name == "FCUnsubscribe") {
    return {};  // answers to nothing we asked, or requests a live server ignores
  }
  if (transactionId != 0) sendError(transactionId, "NetConnection.Call.Failed", "unknown command " + std::string(*name));
  return {};
}

base::Status ServerConnection::onConnect(double transactionId, const std::vector<Amf0Value>& values) {
  if (connected_) return base::makeError(base::ErrorCode::InvalidState, "rtmp: a second connect");
  if (values.size() < 3 || values[2].type != Amf0Type::Object) return malformed("connect without a command object");
  const Amf0Value& object = values[2];
  const std::string_view app = object.getString("app").value_or("");
  const std::string_view tcUrl = object.getString("tcUrl").value_or("");
  if (app.size() > kMaxNameSize || tcUrl.size() > kMaxNameSize) {
    return base::makeError(base::ErrorCode::TooLarge, "rtmp: connect with an app or tcUrl longer than kMaxNameSize");
  }
  Connected event;
  auto [appName, appQuery] = splitQuery(app);
  event.app = std::move(appName);
  event.tcUrl = std::string(tcUrl);
  event.query = !appQuery.empty() ? std::move(appQuery) : splitQuery(tcUrl).second;
  const double objectEncoding = object.getNumber("objectEncoding").value_or(0);

  std::vector<std::uint8_t> body;
  base::ByteWriter w(body);
  w.u32(kWindowAckSize);
  sendControl(MessageType::WindowAckSize, body);
  body.clear();
  w.u32(kPeerBandwidth);
  w.u8(kBandwidthDynamic);
  sendControl(MessageType::SetPeerBandwidth, body);
  body.clear();
  w.u32(kChunkSize);
  sendControl(MessageType::SetChunkSize, body);
  outChunkSize_ = kChunkSize;

  sendResult(transactionId,
             Amf0Value::makeObject({prop("fmsVer", Amf0Value::makeString(std::string(kFmsVersion))),
                                    prop("capabilities", Amf0Value::makeNumber(kCapabilities)),
                                    prop("mode", Amf0Value::makeNumber(1))}),
             Amf0Value::makeObject({prop("level", Amf0Value::makeString("status")),
                                    prop("code", Amf0Value::makeString("NetConnection.Connect.Success")),
                                    prop("description", Amf0Value::makeString("Connection succeeded.")),
                                    prop("objectEncoding", Amf0Value::makeNumber(objectEncoding))}));
  connected_ = true;
  events_.push_back(std::move(event));
  return {};
}

base::Status ServerConnection::onStreamRequest(const Message& m, const std::vector<Amf0Value>& values,
                                               bool publish) {
  const std::string command = publish ? "publish" : "play";
  Stream* s = find(m.streamId);
  if (s == nullptr) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: " + command + " on message stream " +
                                                              std::to_string(m.streamId) + ", never created");
  }
  // §7.2.2.1 / §7.2.2.6: (name, transaction id, null, stream name, publish type | start, …).
  // No (or an empty) name is what FFmpeg sends for rtmp://HOST/{name}: the app names the stream.
  const auto name = stringAt(values, 3).value_or(std::string_view());
  if (name.size() > kMaxNameSize) {
    return base::makeError(base::ErrorCode::TooLarge, "rtmp: a stream name longer than kMaxNameSize");
  }
  if (s->state != StreamState::Idle) {
    sendStatus(s->id, "error", publish ? "NetStream.Publish.BadName" : "NetStream.Play.Failed",
               "the stream is already publishing or playing");
    return {};
  }
  s->state = publish ? StreamState::PublishPending : StreamState::PlayPending;
  s->name = std::string(name);
  if (publish) {
    events_.push_back(PublishRequested{s->id, s->name, std::string(stringAt(values, 4).value_or("live"))});
  } else {
    events_.push_back(PlayRequested{s->id, s->name});
  }
  return {};
}

void ServerConnection::onDeleteStream(const std::vector<Amf0Value>& values) {
  // §7.2.2.3: deleteStream(transaction 0, null, stream id).
  if (values.size() < 4 || values[3].type != Amf0Type::Number) return;
  const double id = values[3].number;
  for (auto it = streams_.begin(); it != streams_.end(); ++it) {
    if (static_cast<double>(it->id) == id) {
      unpublish(*it);
      events_.push_back(StreamDeleted{it->id});
      streams_.erase(it);
      return;
    }
  }
}

base::Status ServerConnection::onData(const Message& m, std::span<const std::uint8_t> body) {
  Stream* s = find(m.streamId);
  if (s == nullptr || s->state != StreamState::Publishing) {
    ++dropped_;
    return {};
  }
  auto decoded = Amf0::decodeAll(body);
  if (!decoded) return malformed("an undecodable data message: " + decoded.error().message);
  std::vector<Amf0Value>& values = *decoded;
  // @setDataFrame("onMetaData", properties) from encoders; onMetaData(properties) from some.
  std::size_t at = 0;
  if (stringAt(values, 0) == "@setDataFrame") at = 1;
  if (stringAt(values, at) == "onMetaData" && values.size() > at + 1 && values[at + 1].isObjectLike()) {
    MetaData event{m.streamId, m.timestamp, std::move(values[at + 1]), {}};
    const Amf0Value forPlayers[] = {Amf0Value::makeString("onMetaData"), event.properties};
    event.onMetaData = Amf0::encodeAll(forPlayers);
    events_.push_back(std::move(event));
    return {};
  }
  events_.push_back(Media{MediaKind::Data, m.streamId, m.timestamp, std::vector<std::uint8_t>(body.begin(), body.end())});
  return {};
}

// ---- the application's answers ----

base::Status ServerConnection::acceptPublish(std::uint32_t streamId) {
  Stream* s = find(streamId);
  if (s == nullptr || s->state != StreamState::PublishPending) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: no publish waits on stream " + std::to_string(streamId));
  }
  s->state = StreamState::Publishing;
  sendStatus(streamId, "status", "NetStream.Publish.Start", s->name + " is now published.", s->name);
  return {};
}

base::Status ServerConnection::rejectPublish(std::uint32_t streamId, std::string_view code,
                                             std::string_view description) {
  Stream* s = find(streamId);
  if (s == nullptr || (s->state != StreamState::PublishPending && s->state != StreamState::Publishing)) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: stream " + std::to_string(streamId) + " does not publish");
  }
  s->state = StreamState::Idle;
  sendStatus(streamId, "error", code, description, s->name);
  return {};
}

base::Status ServerConnection::acceptPlay(std::uint32_t streamId) {
  Stream* s = find(streamId);
  if (s == nullptr || s->state != StreamState::PlayPending) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: no play waits on stream " + std::to_string(streamId));
  }
  s->state = StreamState::Playing;
  sendUserControl(UserControlEvent::StreamBegin, streamId);
  sendStatus(streamId, "status", "NetStream.Play.Reset", "Playing and resetting " + s->name + ".", s->name);
  sendStatus(streamId, "status", "NetStream.Play.Start", "Started playing " + s->name + ".", s->name);
  // Lets Flash players read the pixels and samples (a data message on the play stream).
  const Amf0Value access[] = {Amf0Value::makeString("|RtmpSampleAccess"), Amf0Value::makeBoolean(true),
                              Amf0Value::makeBoolean(true)};
  const auto body = Amf0::encodeAll(access);
  ChunkWriter::encode(out_, {ChunkWriter::kDataCsid, streamId, MessageType::DataAmf0, 0}, body, {}, outChunkSize_);
  return {};
}

base::Status ServerConnection::rejectPlay(std::uint32_t streamId, std::string_view code,
                                          std::string_view description) {
  Stream* s = find(streamId);
  if (s == nullptr || s->state != StreamState::PlayPending) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: no play waits on stream " + std::to_string(streamId));
  }
  s->state = StreamState::Idle;
  sendStatus(streamId, "error", code, description, s->name);
  return {};
}

base::Status ServerConnection::endPlay(std::uint32_t streamId) {
  Stream* s = find(streamId);
  if (s == nullptr || s->state != StreamState::Playing) {
    return base::makeError(base::ErrorCode::InvalidState, "rtmp: stream " + std::to_string(streamId) + " does not play");
  }
  s->state = StreamState::Idle;
  sendStatus(streamId, "status", "NetStream.Play.UnpublishNotify", s->name + " is now unpublished.", s->name);
  sendUserControl(UserControlEvent::StreamEof, streamId);
  return {};
}

void ServerConnection::writeMedia(std::uint32_t streamId, MessageType type, std::uint32_t timestamp,
                                  std::span<const std::uint8_t> head, std::span<const std::uint8_t> body) {
  ChunkWriter::encode(out_, mediaHeader(type, timestamp, streamId), head, body, outChunkSize_);
}

void ServerConnection::writeShared(std::span<const std::uint8_t> chunked) {
  out_.insert(out_.end(), chunked.begin(), chunked.end());
}

ChunkWriter::Header ServerConnection::mediaHeader(MessageType type, std::uint32_t timestamp, std::uint32_t streamId) {
  const std::uint32_t csid = type == MessageType::Audio   ? ChunkWriter::kAudioCsid
                             : type == MessageType::Video ? ChunkWriter::kVideoCsid
                                                          : ChunkWriter::kDataCsid;
  return {csid, streamId, type, timestamp};
}

// ---- outgoing ----

void ServerConnection::sendControl(MessageType type, std::span<const std::uint8_t> payload) {
  // §5.4: protocol control messages use chunk stream 2 and message stream 0.
  ChunkWriter::encode(out_, {ChunkWriter::kControlCsid, 0, type, 0}, payload, {}, outChunkSize_);
}

void ServerConnection::sendUserControl(UserControlEvent event, std::uint32_t value) {
  std::vector<std::uint8_t> body;
  base::ByteWriter w(body);
  w.u16(static_cast<std::uint16_t>(event));
  w.u32(value);
  sendControl(MessageType::UserControl, body);
}

void ServerConnection::sendCommand(std::uint32_t streamId, const std::vector<Amf0Value>& values) {
  const auto body = Amf0::encodeAll(values);
  ChunkWriter::encode(out_, {ChunkWriter::kCommandCsid, streamId, MessageType::CommandAmf0, 0}, body, {},
                      outChunkSize_);
}

void ServerConnection::sendResult(double transactionId, Amf0Value properties, Amf0Value information) {
  sendCommand(0, {Amf0Value::makeString("_result"), Amf0Value::makeNumber(transactionId), std::move(properties),
                  std::move(information)});
}

void ServerConnection::sendError(double transactionId, std::string_view code, std::string_view description) {
  sendCommand(0, {Amf0Value::makeString("_error"), Amf0Value::makeNumber(transactionId), Amf0Value::makeNull(),
                  Amf0Value::makeObject({prop("level", Amf0Value::makeString("error")),
                                         prop("code", Amf0Value::makeString(std::string(code))),
                                         prop("description", Amf0Value::makeString(std::string(description)))})});
}

void ServerConnection::sendStatus(std::uint32_t streamId, std::string_view level, std::string_view code,
                                  std::string_view description, std::string_view details) {
  std::vector<Amf0Property> info{prop("level", Amf0Value::makeString(std::string(level))),
                                 prop("code", Amf0Value::makeString(std::string(code))),
                                 prop("description", Amf0Value::makeString(std::string(description)))};
  if (!details.empty()) info.push_back(prop("details", Amf0Value::makeString(std::string(details))));
  sendCommand(streamId, {Amf0Value::makeString("onStatus"), Amf0Value::makeNumber(0), Amf0Value::makeNull(),
                         Amf0Value::makeObject(std::move(info))});
}

}  // namespace ocellus::proto::rtmp
