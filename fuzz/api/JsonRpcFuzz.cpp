// Feeds one arbitrary frame through JsonRpc::parse and a Dispatcher with an echo method (plus
// methods that answer later, throw, forget to answer or are refused), then checks that what is
// sent is one well-formed JSON-RPC 2.0 response frame with the right ids, sent at most once,
// and only when something must be answered.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/rpc/Dispatcher.h"
#include "api/rpc/JsonRpc.h"
#include "base/Log.h"

namespace {

namespace json = boost::json;
namespace rpc = ocellus::api::rpc;

// A failed check names its line, so a crash report says which property broke.
void check(bool ok, int line = __builtin_LINE()) {
  if (!ok) {
    std::fprintf(stderr, "JsonRpcFuzz: check at line %d failed\n", line);
    std::abort();
  }
}

struct Session {
  std::vector<rpc::Respond> later;
};

const rpc::Dispatcher<Session>& dispatcher() {
  static const rpc::Dispatcher<Session>* d = [] {
    ocellus::base::setLogLevel("off");
    auto* made = new rpc::Dispatcher<Session>(
        [](Session&, const rpc::Call& call, std::string_view permission) -> std::optional<rpc::RpcError> {
          if (permission == "admin") return rpc::RpcError(rpc::kInsufficientPermissions);
          if (call.params.is_object() && call.params.get_object().contains("auth_token")) {
            return rpc::RpcError(rpc::kAuthenticationFailed);
          }
          return std::nullopt;
        });
    made->add("echo", "", [](rpc::Call& call, Session&, rpc::Respond respond) { respond(call.params); });
    made->add("later", "viewer", [](rpc::Call&, Session& session, rpc::Respond respond) {
      session.later.push_back(std::move(respond));
    });
    made->add("throw", "viewer", [](rpc::Call& call, Session&, rpc::Respond) {
      if (call.params.is_array()) throw std::runtime_error("boom");
      throw rpc::RpcError(rpc::kInvalidParams, "bad", call.params);
    });
    made->add("forget", "viewer", [](rpc::Call&, Session&, rpc::Respond) {});
    made->add("admin", "admin", [](rpc::Call&, Session&, rpc::Respond respond) { respond("ok"); });
    return made;
  }();
  return *d;
}

// The response echoes the id's text, but Boost.JSON 1.81 does not always read one text as one
// double: some numbers (such as 0e309) become NaN, which is equal to nothing, and a long
// mantissa ("12.07777777784467440737049551616") is rounded differently at the end of the input
// than before a '}', by an ulp or two. So doubles compare within a few ulps.
bool sameId(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return x == y || std::abs(x - y) <= 4 * std::numeric_limits<double>::epsilon() * std::max(std::abs(x), std::abs(y));
  }
  return a == b;
}

bool isId(const json::value& v) {
  return v.is_string() || v.is_number() || v.is_null();
}

// One response object per §5.
void checkResponse(const json::value& v) {
  check(v.is_object());
  const json::object& o = v.get_object();
  const json::value* version = o.if_contains("jsonrpc");
  check(version != nullptr && version->is_string() && version->get_string() == "2.0");
  const json::value* id = o.if_contains("id");
  check(id != nullptr && isId(*id));
  const bool hasResult = o.contains("result");
  const json::value* error = o.if_contains("error");
  check(hasResult != (error != nullptr));
  check(o.size() == 3);
  if (error != nullptr) {
    check(error->is_object());
    const json::value* code = error->get_object().if_contains("code");
    const json::value* message = error->get_object().if_contains("message");
    check(code != nullptr && code->is_int64());
    check(message != nullptr && message->is_string());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);

  // What must be answered, and with which ids, from the parse on its own.
  const auto parsed = rpc::JsonRpc::parse(frame);
  std::vector<rpc::Id> expectedIds;
  bool batch = false;
  if (const auto* message = std::get_if<rpc::Message>(&parsed)) {
    check(!message->entries.empty());
    check(message->batch || message->entries.size() == 1);
    check(message->entries.size() <= rpc::JsonRpc::kMaxBatchLength);
    batch = message->batch;
    for (const rpc::Entry& entry : message->entries) {
      if (const auto* call = std::get_if<rpc::Call>(&entry)) {
        check(call->params.is_null() || call->params.is_object() || call->params.is_array());
        if (call->id) expectedIds.push_back(*call->id);
      } else {
        expectedIds.push_back(std::get<rpc::InvalidCall>(entry).id);
      }
    }
  } else {
    const rpc::RpcError& error = std::get<rpc::RpcError>(parsed);
    check(error.code == rpc::kParseError || error.code == rpc::kInvalidRequest);
    expectedIds.emplace_back();
  }

  Session session;
  std::vector<std::string> sent;
  dispatcher().dispatch(frame, session, [&](std::string f) { sent.push_back(std::move(f)); });
  // Answer the deferred calls in reverse order, some with errors.
  for (std::size_t i = session.later.size(); i-- > 0;) {
    if (i % 2 == 0) {
      session.later[i](json::value(static_cast<std::int64_t>(i)));
    } else {
      session.later[i](rpc::RpcError(rpc::kMediaBackendUnavailable));
    }
  }
  session.later.clear();

  if (expectedIds.empty()) {
    check(sent.empty());
    return 0;
  }
  check(sent.size() == 1);
  json::error_code ec;
  const json::value response = json::parse(sent[0], ec);  // strict JSON, UTF-8 validated
  check(!ec);
  std::vector<const json::value*> responses;
  if (batch) {
    check(response.is_array());
    for (const json::value& r : response.get_array()) responses.push_back(&r);
  } else {
    responses.push_back(&response);
  }
  check(responses.size() == expectedIds.size());
  for (std::size_t i = 0; i < responses.size(); ++i) {
    checkResponse(*responses[i]);
    // The id written back is the request's, in the requests' order.
    check(sameId(responses[i]->at("id"), expectedIds[i].value()));
  }
  return 0;
}
