// The slice of the Janus gateway's HTTP API a streaming-plugin viewer needs, for measuring Janus
// beside Ocellus (Janus speaks no WHEP). A viewer creates a session, attaches a handle to
// janus.plugin.streaming, asks to "watch" a mountpoint, long-polls the session until the event
// carrying Janus's SDP offer arrives, then sends "start" with its answer; "destroy" ends the
// session. Janus answers in JSON; the few fields needed are read without a JSON library, which
// holds for its "compact" output. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ocellus::bench::janus {

std::string createBody(uint64_t transaction);
std::string attachBody(uint64_t transaction);  // janus.plugin.streaming
std::string watchBody(uint64_t transaction, uint64_t mountpoint);
std::string startBody(uint64_t transaction, std::string_view answerSdp);
std::string destroyBody(uint64_t transaction);

// The value of the first member named `key` whose value is a string (unescaped) or an unsigned
// number, anywhere in `json`; nullopt when there is none.
std::optional<std::string> stringField(std::string_view json, std::string_view key);
std::optional<uint64_t> numberField(std::string_view json, std::string_view key);

}  // namespace ocellus::bench::janus
