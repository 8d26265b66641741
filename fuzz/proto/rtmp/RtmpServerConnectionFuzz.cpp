// Runs a server connection over arbitrary bytes after a valid plain handshake, accepting
// every publish and play still pending when asked for, in pieces the input chooses. Properties: an
// error comes with exactly one Closed event, last; nothing is fed after; every byte the
// server writes after the handshake parses as whole chunks with AMF0 that decodes; media
// events only follow an accepted publish.
#include <cstdlib>
#include <vector>

#include "proto/rtmp/ServerConnection.h"

using namespace ocellus::proto::rtmp;
using SC = ServerConnection;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SC server;
  std::vector<std::uint8_t> hello(1 + 2 * Handshake::kPacketSize, 0);
  hello[0] = 3;
  check(server.feed(hello).ok());
  check(server.handshakeDone());
  check(server.takeOutput().size() == 1 + 2 * Handshake::kPacketSize);

  ChunkReader client;  // reads what the server writes
  bool failed = false;
  std::size_t closed = 0;
  std::size_t at = 0;
  while (at < size && !failed) {
    const std::size_t piece = std::min<std::size_t>(size - at, 1 + data[at] % 200);
    failed = !server.feed(std::span<const std::uint8_t>(data + at, piece)).ok();
    at += piece;
    while (auto e = server.nextEvent()) {
      check(closed == 0);
      // The request may be gone already (deleteStream in the same piece): then accepting fails.
      if (const auto* p = std::get_if<SC::PublishRequested>(&*e)) (void)server.acceptPublish(p->streamId);
      if (const auto* p = std::get_if<SC::PlayRequested>(&*e); p != nullptr && server.acceptPlay(p->streamId).ok()) {
        check(server.playing(p->streamId));
        const std::uint8_t frame[] = {0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65};
        server.writeMedia(p->streamId, MessageType::Video, 0, frame, {});
      }
      if (std::holds_alternative<SC::Closed>(*e)) ++closed;
    }
    const auto out = server.takeOutput();
    check(client
              .feed(out,
                    [](const Message& m) {
                      if (m.type == MessageType::CommandAmf0 || m.type == MessageType::DataAmf0) {
                        check(Amf0::decodeAll(m.payload).ok());
                      }
                      return ocellus::base::Status{};
                    })
              .ok());
  }
  check(closed == (failed ? 1u : 0u));
  if (failed) check(!server.feed(std::span<const std::uint8_t>(data, 0)).ok());
  server.peerClosed();
  std::size_t more = 0;
  while (auto e = server.nextEvent()) more += std::holds_alternative<SC::Closed>(*e);
  check(more == (failed ? 0u : 1u));
  return 0;
}
