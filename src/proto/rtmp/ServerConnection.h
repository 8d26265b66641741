#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/Result.h"
#include "proto/rtmp/Amf0.h"
#include "proto/rtmp/ChunkReader.h"
#include "proto/rtmp/ChunkWriter.h"
#include "proto/rtmp/Handshake.h"
#include "proto/rtmp/Message.h"

namespace ocellus::proto::rtmp {

// The server side of one RTMP connection, sans I/O (STYLE §7): the caller feeds the bytes it
// read from the socket, writes whatever takeOutput() returns, and acts on the events
// nextEvent() yields. It runs the handshake, the chunk stream and the NetConnection /
// NetStream commands encoders and players send (RTMP specification 1.0 §7.2, and what FFmpeg,
// OBS and Flash actually send):
//
//   publisher: connect → releaseStream, FCPublish, createStream → publish → @setDataFrame,
//              audio, video … → FCUnpublish, deleteStream
//   player:    connect → createStream → (getStreamLength) play → [media we write] → deleteStream
//
// connect is answered at once (Window Ack Size, Set Peer Bandwidth, Set Chunk Size, _result
// NetConnection.Connect.Success). publish and play are decisions the application makes: they
// raise PublishRequested / PlayRequested and wait for accept*/reject*. Media is taken only on
// a stream whose publish was accepted. Unknown commands get _error when they carry a
// transaction id and are otherwise ignored.
//
// feed() returns an error for anything malformed or over a limit (handshake version, chunk
// stream limits, undecodable AMF0, a command on a stream that was never created); the caller
// then closes the connection. A Closed event (after Unpublished for a live publish) follows
// every error and peerClosed(), so the application cleans up in one place. Single-threaded;
// no method may be called from another thread concurrently.
class ServerConnection {
 public:
  // What we announce: our chunk size (Set Chunk Size), and the acknowledgement window and
  // peer bandwidth we ask of the client.
  static constexpr std::uint32_t kChunkSize = 4096;
  static constexpr std::uint32_t kWindowAckSize = 2'500'000;
  static constexpr std::uint32_t kPeerBandwidth = 2'500'000;
  // Message streams one connection may create (encoders and players use one).
  static constexpr std::size_t kMaxStreams = 8;
  static constexpr std::size_t kMaxNameSize = 1024;  // app, tcUrl and stream names

  enum class MediaKind : std::uint8_t { Audio, Video, Data };

  struct Connected {
    std::string app;    // without its query
    std::string tcUrl;  // as sent
    std::string query;  // after '?' in app, else in tcUrl; without the '?'; may be empty
  };
  struct PublishRequested {
    std::uint32_t streamId = 0;
    std::string name;  // with its query: "key?token=…"; empty for rtmp://HOST/{app} (the app names it)
    std::string type;  // "live", "record" or "append" (as sent; "live" when absent)
  };
  struct PlayRequested {
    std::uint32_t streamId = 0;
    std::string name;  // with its query; may be empty (see PublishRequested)
  };
  // An audio or video message (an FLV tag body, format/flv) or a data message other than
  // metadata, from an accepted publish.
  struct Media {
    MediaKind kind = MediaKind::Video;
    std::uint32_t streamId = 0;
    std::uint32_t timestamp = 0;
    std::vector<std::uint8_t> payload;
  };
  // @setDataFrame("onMetaData", …) or onMetaData(…) from an accepted publish: the properties,
  // and the body players expect ("onMetaData" + the properties in AMF0).
  struct MetaData {
    std::uint32_t streamId = 0;
    std::uint32_t timestamp = 0;
    Amf0Value properties;
    std::vector<std::uint8_t> onMetaData;
  };
  // An accepted publish ended (FCUnpublish, deleteStream, an error or the peer closing).
  struct Unpublished {
    std::uint32_t streamId = 0;
    std::string name;
  };
  struct StreamDeleted {
    std::uint32_t streamId = 0;
  };
  struct Closed {
    std::string reason;
  };
  using Event = std::variant<Connected, PublishRequested, PlayRequested, Media, MetaData, Unpublished, StreamDeleted,
                             Closed>;

  ServerConnection() = default;

  // The bytes read from the peer. An error means: close the connection (see above).
  base::Status feed(std::span<const std::uint8_t> input);
  // The peer closed: yields Unpublished for a live publish, then Closed.
  void peerClosed();

  // Bytes to write to the peer, in order; empties the buffer.
  std::vector<std::uint8_t> takeOutput();
  bool hasOutput() const { return !out_.empty(); }
  // The next event, oldest first.
  std::optional<Event> nextEvent();

  // Answers a PublishRequested: onStatus NetStream.Publish.Start, or an onStatus of level
  // "error" with the code (NetStream.Publish.BadName, …) and a description that FFmpeg prints
  // as "Server error: <description>". rejectPublish also ends an accepted publish that cannot
  // go on (its path was taken meanwhile). InvalidState when the stream does not publish.
  base::Status acceptPublish(std::uint32_t streamId);
  base::Status rejectPublish(std::uint32_t streamId, std::string_view code, std::string_view description);
  // Answers a PlayRequested: StreamBegin, NetStream.Play.Reset, NetStream.Play.Start and
  // |RtmpSampleAccess; or an error onStatus (NetStream.Play.StreamNotFound, …).
  base::Status acceptPlay(std::uint32_t streamId);
  base::Status rejectPlay(std::uint32_t streamId, std::string_view code, std::string_view description);
  // Tells a player the source went away: onStatus NetStream.Play.UnpublishNotify, StreamEOF.
  base::Status endPlay(std::uint32_t streamId);

  // Media for a player of streamId, chunked for this connection.
  void writeMedia(std::uint32_t streamId, MessageType type, std::uint32_t timestamp,
                  std::span<const std::uint8_t> head, std::span<const std::uint8_t> body);
  // Pre-chunked media shared by every player (encode once): bytes from
  // ChunkWriter::encode(mediaHeader(type, timestamp, streamId), …, kChunkSize). They are valid
  // for any connection whose player stream id is streamId, since all use kChunkSize. A server
  // that writes shared bytes by scatter-gather instead must first write takeOutput().
  void writeShared(std::span<const std::uint8_t> chunked);
  static ChunkWriter::Header mediaHeader(MessageType type, std::uint32_t timestamp, std::uint32_t streamId);

  bool handshakeDone() const { return handshake_.done(); }
  bool connected() const { return connected_; }
  // Whether streamId plays (acceptPlay was called and it was not deleted).
  bool playing(std::uint32_t streamId) const;
  // Audio/video/data messages dropped because their stream was not publishing.
  std::uint64_t droppedMessages() const { return dropped_; }

 private:
  enum class StreamState { Idle, PublishPending, Publishing, PlayPending, Playing };
  struct Stream {
    std::uint32_t id = 0;
    StreamState state = StreamState::Idle;
    std::string name;
  };

  base::Status onMessage(const Message& m);
  base::Status onCommand(const Message& m, std::span<const std::uint8_t> body);
  base::Status onData(const Message& m, std::span<const std::uint8_t> body);
  base::Status onUserControl(const Message& m);
  base::Status onConnect(double transactionId, const std::vector<Amf0Value>& values);
  base::Status onStreamRequest(const Message& m, const std::vector<Amf0Value>& values, bool publish);
  void onDeleteStream(const std::vector<Amf0Value>& values);
  void fail(const std::string& reason);
  void unpublish(Stream& stream);

  Stream* find(std::uint32_t streamId);
  void sendControl(MessageType type, std::span<const std::uint8_t> payload);
  void sendUserControl(UserControlEvent event, std::uint32_t value);
  void sendCommand(std::uint32_t streamId, const std::vector<Amf0Value>& values);
  void sendResult(double transactionId, Amf0Value properties, Amf0Value information);
  void sendError(double transactionId, std::string_view code, std::string_view description);
  void sendStatus(std::uint32_t streamId, std::string_view level, std::string_view code,
                  std::string_view description, std::string_view details = {});

  Handshake handshake_;
  ChunkReader reader_;
  std::vector<std::uint8_t> out_;
  std::deque<Event> events_;
  std::vector<Stream> streams_;
  std::uint32_t nextStreamId_ = 1;
  std::uint32_t outChunkSize_ = ChunkReader::kDefaultChunkSize;
  std::uint32_t peerWindow_ = 0;  // the client's Window Acknowledgement Size; 0: none yet
  std::uint64_t received_ = 0;    // bytes fed, handshake included (§5.4.3 sequence number)
  std::uint64_t lastAck_ = 0;
  std::uint64_t dropped_ = 0;
  bool connected_ = false;
  bool closed_ = false;
  std::string failure_;
};

}  // namespace ocellus::proto::rtmp
