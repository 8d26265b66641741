// WWW-Authenticate / Authorization parsing must never crash; parsed challenges written back
// must parse to the same list. The input also goes through both sides of the exchange.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/rtsp/AuthHeader.h"
#include "proto/rtsp/ClientAuth.h"
#include "proto/rtsp/ServerAuth.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ocellus::base::WallTime now{std::chrono::seconds(1700000000)};

  static const ServerAuth server({.secret = {1, 2, 3}});
  static const auto credentials = server.plaintext([](std::string_view) { return std::optional<std::string>("p"); });
  (void)server.verify(text, "DESCRIBE", "rtsp://h/s", credentials, now);

  const std::string_view challenges[] = {text};
  if (auto client = ClientAuth::fromChallenges(challenges, "u", "p")) {
    if (!AuthHeader::parse(client->authorization("DESCRIBE", "rtsp://h/s"))) std::abort();
  }

  auto list = AuthHeader::parseList(text);
  if (!list) return 0;
  std::string joined;
  for (const auto& h : *list) {
    (void)h.param("realm");
    if (!joined.empty()) joined += ", ";
    joined += h.toString();
  }
  auto again = AuthHeader::parseList(joined);
  if (!again || *again != *list) std::abort();
  return 0;
}
