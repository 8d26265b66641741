#include "proto/rtmp/ServerConnection.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "unit/TestData.h"

namespace ocellus::proto::rtmp {
namespace {

using Bytes = std::vector<std::uint8_t>;
using SC = ServerConnection;

// What the client side sees: every message the server sent, decoded.
struct Received {
  MessageType type;
  std::uint32_t streamId;
  std::uint32_t timestamp;
  Bytes payload;
  std::vector<Amf0Value> amf;  // commands and data

  std::string name() const { return amf.empty() ? "" : amf[0].string; }
  std::string code() const {
    return amf.size() > 3 ? std::string(amf[3].getString("code").value_or("")) : "";
  }
};

// A scripted client, like FFmpeg's: plain handshake, then commands at chunk size 128 on
// chunk stream 3, media on 4.
class Client {
 public:
  Client() {
    Bytes hello(1 + Handshake::kPacketSize, 0);
    hello[0] = 3;
    send(hello);
    Bytes c2(Handshake::kPacketSize, 0);
    send(c2);
    EXPECT_TRUE(server.handshakeDone());
    const Bytes answer = server.takeOutput();
    EXPECT_EQ(answer.size(), 1 + 2 * Handshake::kPacketSize);
  }

  void send(const Bytes& b) { ASSERT_TRUE(server.feed(b).ok()); }

  void command(std::uint32_t streamId, const std::vector<Amf0Value>& values) {
    send(ChunkWriter::encode({3, streamId, MessageType::CommandAmf0, 0}, Amf0::encodeAll(values), 128));
  }
  void media(std::uint32_t streamId, MessageType type, std::uint32_t ts, const Bytes& payload) {
    send(ChunkWriter::encode({4, streamId, type, ts}, payload, 128));
  }

  // Everything the server wrote since the last call.
  std::vector<Received> receive() {
    std::vector<Received> out;
    const Bytes bytes = server.takeOutput();
    EXPECT_TRUE(reader
                    .feed(bytes,
                          [&](const Message& m) {
                            Received r{m.type, m.streamId, m.timestamp, Bytes(m.payload.begin(), m.payload.end()), {}};
                            if (m.type == MessageType::CommandAmf0 || m.type == MessageType::DataAmf0) {
                              auto v = Amf0::decodeAll(m.payload);
                              EXPECT_TRUE(v.ok());
                              if (v) r.amf = std::move(*v);
                            }
                            out.push_back(std::move(r));
                            return base::Status{};
                          })
                    .ok());
    return out;
  }

  std::vector<SC::Event> events() {
    std::vector<SC::Event> out;
    while (auto e = server.nextEvent()) out.push_back(std::move(*e));
    return out;
  }

  void connect(std::string app = "live", std::string tcUrl = "rtmp://127.0.0.1:1935/live") {
    command(0, {Amf0Value::makeString("connect"), Amf0Value::makeNumber(1),
                Amf0Value::makeObject({{"app", Amf0Value::makeString(app)},
                                       {"type", Amf0Value::makeString("nonprivate")},
                                       {"flashVer", Amf0Value::makeString("FMLE/3.0 (compatible; Lavf59.27.100)")},
                                       {"tcUrl", Amf0Value::makeString(tcUrl)}})});
  }
  Amf0Value call(std::string name, double tx, std::vector<Amf0Value> args = {}) {
    std::vector<Amf0Value> v{Amf0Value::makeString(std::move(name)), Amf0Value::makeNumber(tx), Amf0Value::makeNull()};
    for (auto& a : args) v.push_back(std::move(a));
    command(0, v);
    return {};
  }

  SC server;
  ChunkReader reader;
};

const Received* findCommand(const std::vector<Received>& rs, std::string_view name, std::string_view code = {}) {
  for (const Received& r : rs) {
    if (r.name() == name && (code.empty() || r.code() == code)) return &r;
  }
  return nullptr;
}

TEST(ServerConnectionTest, ConnectIsAnsweredWithControlMessagesAndResult) {
  Client c;
  c.connect("live?token=abc");
  const auto rs = c.receive();
  ASSERT_EQ(rs.size(), 3u);  // and Set Chunk Size, which the client's reader applies itself
  EXPECT_EQ(rs[0].type, MessageType::WindowAckSize);
  EXPECT_EQ(rs[1].type, MessageType::SetPeerBandwidth);
  EXPECT_EQ(c.reader.chunkSize(), SC::kChunkSize);
  const Received* result = findCommand(rs, "_result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->amf[1].number, 1);
  EXPECT_EQ(result->amf[2].getString("fmsVer").has_value(), true);
  EXPECT_EQ(result->amf[3].getString("code"), "NetConnection.Connect.Success");
  EXPECT_EQ(result->amf[3].getString("level"), "status");
  const auto events = c.events();
  ASSERT_EQ(events.size(), 1u);
  const auto& connected = std::get<SC::Connected>(events[0]);
  EXPECT_EQ(connected.app, "live");
  EXPECT_EQ(connected.query, "token=abc");
  EXPECT_TRUE(c.server.connected());
}

TEST(ServerConnectionTest, QueryFromTcUrl) {
  Client c;
  c.connect("live", "rtmp://host/live?sign=x");
  const auto events = c.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<SC::Connected>(events[0]).query, "sign=x");
}

// FFmpeg's publish sequence, as in tests/data/rtmp/ffmpeg_publish.bin.
TEST(ServerConnectionTest, PublishSequence) {
  Client c;
  c.connect();
  c.receive();
  c.events();
  c.call("releaseStream", 2, {Amf0Value::makeString("key?token=abc")});
  c.call("FCPublish", 3, {Amf0Value::makeString("key?token=abc")});
  c.call("createStream", 4);
  auto rs = c.receive();
  ASSERT_NE(findCommand(rs, "onFCPublish"), nullptr);
  const Received* created = nullptr;
  for (const Received& r : rs) {
    if (r.name() == "_result" && r.amf[1].number == 4) created = &r;
  }
  ASSERT_NE(created, nullptr);
  ASSERT_EQ(created->amf[3].type, Amf0Type::Number);
  const auto streamId = static_cast<std::uint32_t>(created->amf[3].number);
  EXPECT_EQ(streamId, 1u);

  c.command(streamId, {Amf0Value::makeString("publish"), Amf0Value::makeNumber(5), Amf0Value::makeNull(),
                       Amf0Value::makeString("key?token=abc"), Amf0Value::makeString("live")});
  auto events = c.events();
  ASSERT_EQ(events.size(), 1u);
  const auto& request = std::get<SC::PublishRequested>(events[0]);
  EXPECT_EQ(request.streamId, streamId);
  EXPECT_EQ(request.name, "key?token=abc");
  EXPECT_EQ(request.type, "live");
  EXPECT_TRUE(c.receive().empty());  // nothing until the application decides

  // Media before the decision is dropped.
  c.media(streamId, MessageType::Video, 0, {0x17, 0x00, 0, 0, 0});
  EXPECT_EQ(c.server.droppedMessages(), 1u);

  ASSERT_TRUE(c.server.acceptPublish(streamId).ok());
  EXPECT_FALSE(c.server.acceptPublish(streamId).ok());
  rs = c.receive();
  const Received* start = findCommand(rs, "onStatus", "NetStream.Publish.Start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->streamId, streamId);

  auto meta = Amf0::encodeAll(std::vector<Amf0Value>{Amf0Value::makeString("@setDataFrame"),
                                                     Amf0Value::makeString("onMetaData"),
                                                     Amf0Value::makeEcmaArray({{"width", Amf0Value::makeNumber(320)}})});
  c.send(ChunkWriter::encode({4, streamId, MessageType::DataAmf0, 0}, meta, 128));
  const Bytes video(1000, 0x27);
  c.media(streamId, MessageType::Video, 40, video);
  c.media(streamId, MessageType::Audio, 46, {0xAF, 0x01, 0x21});
  events = c.events();
  ASSERT_EQ(events.size(), 3u);
  const auto& metadata = std::get<SC::MetaData>(events[0]);
  EXPECT_EQ(metadata.properties.getNumber("width"), 320);
  auto forPlayers = Amf0::decodeAll(metadata.onMetaData);
  ASSERT_TRUE(forPlayers.ok());
  EXPECT_EQ(forPlayers->at(0).string, "onMetaData");
  const auto& v = std::get<SC::Media>(events[1]);
  EXPECT_EQ(v.kind, SC::MediaKind::Video);
  EXPECT_EQ(v.timestamp, 40u);
  EXPECT_EQ(v.payload, video);
  EXPECT_EQ(std::get<SC::Media>(events[2]).kind, SC::MediaKind::Audio);

  c.call("FCUnpublish", 6, {Amf0Value::makeString("key?token=abc")});
  c.call("deleteStream", 7, {Amf0Value::makeNumber(streamId)});
  events = c.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<SC::Unpublished>(events[0]).name, "key?token=abc");
  EXPECT_EQ(std::get<SC::StreamDeleted>(events[1]).streamId, streamId);
  c.server.peerClosed();
  events = c.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SC::Closed>(events[0]));
}

TEST(ServerConnectionTest, RejectedPublishGetsAnErrorStatusWithDescription) {
  Client c;
  c.connect();
  c.call("createStream", 2);
  c.command(1, {Amf0Value::makeString("publish"), Amf0Value::makeNumber(3), Amf0Value::makeNull(),
                Amf0Value::makeString("bad")});
  c.receive();
  ASSERT_TRUE(c.server.rejectPublish(1, "NetStream.Publish.BadName", "unknown stream key").ok());
  const auto rs = c.receive();
  const Received* status = findCommand(rs, "onStatus", "NetStream.Publish.BadName");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->amf[3].getString("level"), "error");
  EXPECT_EQ(status->amf[3].getString("description"), "unknown stream key");
}

TEST(ServerConnectionTest, AnAcceptedPublishThatCannotGoOnEndsWithAnErrorStatus) {
  Client c;
  c.connect();
  c.call("createStream", 2);
  c.command(1, {Amf0Value::makeString("publish"), Amf0Value::makeNumber(3), Amf0Value::makeNull(),
                Amf0Value::makeString("cam")});
  c.receive();
  ASSERT_TRUE(c.server.acceptPublish(1).ok());
  c.receive();
  ASSERT_TRUE(c.server.rejectPublish(1, "NetStream.Publish.BadName", "'cam' is already publishing").ok());
  const auto rs = c.receive();
  const Received* status = findCommand(rs, "onStatus", "NetStream.Publish.BadName");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->amf[3].getString("level"), "error");
  EXPECT_FALSE(c.server.rejectPublish(1, "NetStream.Publish.BadName", "twice").ok());
}

TEST(ServerConnectionTest, PlaySequenceAndSharedMedia) {
  Client c;
  c.connect();
  c.call("createStream", 2);
  c.call("getStreamLength", 3, {Amf0Value::makeString("key")});
  auto rs = c.receive();
  const Received* unknown = findCommand(rs, "_error");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->amf[1].number, 3);
  c.command(1, {Amf0Value::makeString("play"), Amf0Value::makeNumber(4), Amf0Value::makeNull(),
                Amf0Value::makeString("key?t=1"), Amf0Value::makeNumber(-2000)});
  auto events = c.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<SC::PlayRequested>(events[1]).name, "key?t=1");
  ASSERT_TRUE(c.server.acceptPlay(1).ok());
  EXPECT_TRUE(c.server.playing(1));
  rs = c.receive();
  ASSERT_GE(rs.size(), 4u);
  EXPECT_EQ(rs[0].type, MessageType::UserControl);
  EXPECT_EQ(rs[0].payload, (Bytes{0, 0, 0, 0, 0, 1}));  // StreamBegin 1
  EXPECT_NE(findCommand(rs, "onStatus", "NetStream.Play.Reset"), nullptr);
  EXPECT_NE(findCommand(rs, "onStatus", "NetStream.Play.Start"), nullptr);
  EXPECT_NE(findCommand(rs, "|RtmpSampleAccess"), nullptr);

  // Encode once, write to this player (and any other on stream 1).
  const Bytes head{0x17, 0x01, 0, 0, 0};
  const Bytes unit(5000, 0x65);
  Bytes shared;
  ChunkWriter::encode(shared, SC::mediaHeader(MessageType::Video, 0x1000000, 1), head, unit, SC::kChunkSize);
  c.server.writeShared(shared);
  c.server.writeMedia(1, MessageType::Audio, 10, Bytes{0xAF, 0x01}, Bytes{0x42});
  rs = c.receive();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].type, MessageType::Video);
  EXPECT_EQ(rs[0].timestamp, 0x1000000u);
  EXPECT_EQ(rs[0].payload.size(), 5005u);
  EXPECT_EQ(rs[1].payload, (Bytes{0xAF, 0x01, 0x42}));

  ASSERT_TRUE(c.server.endPlay(1).ok());
  rs = c.receive();
  EXPECT_NE(findCommand(rs, "onStatus", "NetStream.Play.UnpublishNotify"), nullptr);
}

TEST(ServerConnectionTest, RejectedPlay) {
  Client c;
  c.connect();
  c.call("createStream", 2);
  c.command(1, {Amf0Value::makeString("play"), Amf0Value::makeNumber(0), Amf0Value::makeNull(),
                Amf0Value::makeString("nothing")});
  c.receive();
  EXPECT_FALSE(c.server.rejectPlay(2, "NetStream.Play.StreamNotFound", "x").ok());
  ASSERT_TRUE(c.server.rejectPlay(1, "NetStream.Play.StreamNotFound", "no such stream").ok());
  const auto rs = c.receive();
  const Received* status = findCommand(rs, "onStatus", "NetStream.Play.StreamNotFound");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->amf[3].getString("level"), "error");
  EXPECT_FALSE(c.server.playing(1));
}

TEST(ServerConnectionTest, PingAndAcknowledgement) {
  Client c;
  c.connect();
  c.receive();
  c.send(ChunkWriter::encode({2, 0, MessageType::UserControl, 0}, Bytes{0, 6, 0, 0, 0x12, 0x34}, 128));
  auto rs = c.receive();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].payload, (Bytes{0, 7, 0, 0, 0x12, 0x34}));
  c.send(ChunkWriter::encode({2, 0, MessageType::WindowAckSize, 0}, Bytes{0, 0, 0x10, 0}, 128));
  c.send(Bytes{});
  c.media(0, MessageType::Audio, 0, Bytes(5000, 0));
  rs = c.receive();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].type, MessageType::Acknowledgement);
}

TEST(ServerConnectionTest, UnknownCommandWithoutTransactionIsIgnored) {
  Client c;
  c.connect();
  c.receive();
  c.command(0, {Amf0Value::makeString("whatever"), Amf0Value::makeNumber(0)});
  EXPECT_TRUE(c.receive().empty());
}

base::Error failure(const std::function<void(Client&)>& script, const Bytes& bad) {
  Client c;
  script(c);
  auto s = c.server.feed(bad);
  EXPECT_FALSE(s.ok());
  auto events = c.events();
  EXPECT_FALSE(events.empty());
  if (!events.empty()) {
    EXPECT_TRUE(std::holds_alternative<SC::Closed>(events.back()));
  }
  EXPECT_FALSE(c.server.feed(Bytes{0}).ok());
  return s.ok() ? base::Error{} : s.error();
}

TEST(ServerConnectionTest, MalformedInputEndsTheConnection) {
  const auto nothing = [](Client&) {};
  const auto connected = [](Client& c) { c.connect(); };
  auto e = failure(nothing, ChunkWriter::encode({3, 0, MessageType::CommandAmf0, 0},
                                               Amf0::encodeAll(std::vector<Amf0Value>{Amf0Value::makeString("play")}),
                                               128));
  EXPECT_NE(e.message.find("before connect"), std::string::npos);
  e = failure(connected, ChunkWriter::encode({3, 0, MessageType::CommandAmf0, 0}, Bytes{0x02, 0x00, 0x09}, 128));
  EXPECT_NE(e.message.find("undecodable"), std::string::npos);
  e = failure(connected, ChunkWriter::encode({3, 7, MessageType::CommandAmf0, 0},
                                            Amf0::encodeAll(std::vector<Amf0Value>{
                                                Amf0Value::makeString("publish"), Amf0Value::makeNumber(0),
                                                Amf0Value::makeNull(), Amf0Value::makeString("x")}),
                                            128));
  EXPECT_NE(e.message.find("never created"), std::string::npos);
  e = failure(connected, ChunkWriter::encode({3, 0, MessageType::CommandAmf0, 0},
                                            Amf0::encodeAll(std::vector<Amf0Value>{Amf0Value::makeNumber(1)}), 128));
  EXPECT_NE(e.message.find("name"), std::string::npos);
}

TEST(ServerConnectionTest, BadHandshakeVersion) {
  SC server;
  auto s = server.feed(Bytes{6});
  ASSERT_FALSE(s.ok());
  auto e = server.nextEvent();
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(std::holds_alternative<SC::Closed>(*e));
}

// The bytes FFmpeg 5.1 sent when publishing (handshake, commands, metadata, first frames),
// fed in small pieces with the publish accepted once asked for.
TEST(ServerConnectionTest, RecordedFfmpegPublish) {
  const Bytes capture = test::readTestData("rtmp/ffmpeg_publish.bin");
  ASSERT_FALSE(capture.empty());
  SC server;
  std::vector<SC::Event> events;
  for (std::size_t at = 0; at < capture.size(); at += 97) {
    const auto piece = std::span<const std::uint8_t>(capture).subspan(at, std::min<std::size_t>(97, capture.size() - at));
    ASSERT_TRUE(server.feed(piece).ok());
    while (auto e = server.nextEvent()) {
      if (const auto* p = std::get_if<SC::PublishRequested>(&*e)) {
        ASSERT_TRUE(server.acceptPublish(p->streamId).ok());
      }
      events.push_back(std::move(*e));
    }
  }
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(std::get<SC::Connected>(events[0]).app, "live");
  EXPECT_EQ(std::get<SC::Connected>(events[0]).tcUrl, "rtmp://127.0.0.1:19351/live");
  EXPECT_EQ(std::get<SC::PublishRequested>(events[1]).name, "key?token=abc");
  EXPECT_EQ(std::get<SC::MetaData>(events[2]).properties.getNumber("width"), 320);
  const auto& first = std::get<SC::Media>(events[3]);
  EXPECT_EQ(first.kind, SC::MediaKind::Video);
  EXPECT_EQ(first.payload[0], 0x17);  // AVC keyframe: the sequence header
  EXPECT_EQ(first.payload[1], 0x00);
}

TEST(ServerConnectionTest, RecordedFfmpegPlay) {
  const Bytes capture = test::readTestData("rtmp/ffmpeg_play.bin");
  ASSERT_FALSE(capture.empty());
  SC server;
  ASSERT_TRUE(server.feed(capture).ok());
  bool asked = false;
  while (auto e = server.nextEvent()) {
    if (const auto* p = std::get_if<SC::PlayRequested>(&*e)) {
      EXPECT_EQ(p->name, "key");
      asked = true;
    }
  }
  EXPECT_TRUE(asked);
}

}  // namespace
}  // namespace ocellus::proto::rtmp
