#include "api/rpc/Dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/rpc/JsonRpc.h"
#include "api/rpc/Params.h"
#include "unit/api/rpc/RpcTestUtil.h"

namespace ocellus::api::rpc {
namespace {

using test::matchesFrame;
using test::parseJson;
namespace json = boost::json;

// What an integrator keeps per connection.
struct TestSession {
  std::string role = "admin";  // "" = not authenticated
  std::vector<std::string> notified;
  std::vector<std::string> authorized;  // "method:permission" as the hook saw them
};

int rank(std::string_view role) {
  if (role == "admin") return 3;
  if (role == "operator") return 2;
  if (role == "viewer") return 1;
  return 0;
}

std::optional<RpcError> authorize(TestSession& session, const Call& call, std::string_view permission) {
  session.authorized.push_back(call.method + ":" + std::string(permission));
  if (permission.empty()) return std::nullopt;
  if (session.role.empty()) return RpcError(kAuthenticationFailed);
  if (rank(session.role) < rank(permission)) return RpcError(kInsufficientPermissions);
  return std::nullopt;
}

// The methods of the JSON-RPC 2.0 spec's examples (§7), plus a few to test the dispatcher.
class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_(authorize) {
    dispatcher_.add("subtract", "viewer", [](Call& call, TestSession&, Respond respond) {
      if (call.params.is_array()) {
        const json::array& a = call.params.get_array();
        if (a.size() != 2) throw RpcError(kInvalidParams);
        respond(a[0].to_number<std::int64_t>() - a[1].to_number<std::int64_t>());
        return;
      }
      const Params params(call.params);
      respond(params.integer("minuend") - params.integer("subtrahend"));
    });
    dispatcher_.add("sum", "viewer", [](Call& call, TestSession&, Respond respond) {
      std::int64_t sum = 0;
      for (const json::value& v : call.params.get_array()) sum += v.to_number<std::int64_t>();
      respond(sum);
    });
    dispatcher_.add("update", "", [](Call& call, TestSession& session, Respond respond) {
      session.notified.push_back("update " + json::serialize(call.params));
      respond(nullptr);
    });
    dispatcher_.add("notify_hello", "", [](Call& call, TestSession& session, Respond respond) {
      session.notified.push_back("notify_hello " + json::serialize(call.params));
      respond(nullptr);
    });
    dispatcher_.add("notify_sum", "", [](Call&, TestSession& session, Respond respond) {
      session.notified.push_back("notify_sum");
      respond(nullptr);
    });
    dispatcher_.add("get_data", "viewer", [](Call&, TestSession&, Respond respond) {
      respond(json::array{"hello", 5});
    });
    dispatcher_.add("admin_only", "admin", [](Call&, TestSession&, Respond respond) { respond("ok"); });
    // Answers later: keeps its Respond until the test releases it.
    dispatcher_.add("later", "viewer", [this](Call& call, TestSession&, Respond respond) {
      pending_.push_back({Params(call.params).integer("n"), std::move(respond)});
    });
  }

  // Dispatches one frame; the response frame, if one was sent. Fails if more than one was.
  std::optional<std::string> send(std::string_view frame) {
    std::optional<std::string> response;
    int sends = 0;
    dispatcher_.dispatch(frame, session_, [&](std::string f) {
      ++sends;
      response = std::move(f);
    });
    EXPECT_LE(sends, 1);
    return response;
  }

  struct Pending {
    std::int64_t n = 0;
    Respond respond;
  };

  Dispatcher<TestSession> dispatcher_;
  TestSession session_;
  std::vector<Pending> pending_;
};

// --- every example of the specification, §7 ---

TEST_F(DispatcherTest, SpecPositionalParameters) {
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})"),
                           R"({"jsonrpc": "2.0", "result": 19, "id": 1})"));
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2})"),
                           R"({"jsonrpc": "2.0", "result": -19, "id": 2})"));
}

TEST_F(DispatcherTest, SpecNamedParameters) {
  EXPECT_TRUE(matchesFrame(
      send(
          R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})"),
      R"({"jsonrpc": "2.0", "result": 19, "id": 3})"));
  EXPECT_TRUE(matchesFrame(
      send(
          R"({"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4})"),
      R"({"jsonrpc": "2.0", "result": 19, "id": 4})"));
}

TEST_F(DispatcherTest, SpecNotifications) {
  EXPECT_FALSE(send(R"({"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]})"));
  EXPECT_FALSE(send(R"({"jsonrpc": "2.0", "method": "foobar"})"));
  EXPECT_EQ(session_.notified, std::vector<std::string>{"update [1,2,3,4,5]"});
}

TEST_F(DispatcherTest, SpecNonExistentMethod) {
  EXPECT_TRUE(matchesFrame(
      send(R"({"jsonrpc": "2.0", "method": "foobar", "id": "1"})"),
      R"({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"})"));
}

TEST_F(DispatcherTest, SpecInvalidJson) {
  EXPECT_TRUE(
      matchesFrame(send(R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])"),
                   R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})"));
}

TEST_F(DispatcherTest, SpecInvalidRequestObject) {
  EXPECT_TRUE(matchesFrame(
      send(R"({"jsonrpc": "2.0", "method": 1, "params": "bar"})"),
      R"({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null})"));
}

TEST_F(DispatcherTest, SpecBatchInvalidJson) {
  EXPECT_TRUE(
      matchesFrame(send(R"([
    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
    {"jsonrpc": "2.0", "method"
  ])"),
                   R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})"));
}

TEST_F(DispatcherTest, SpecEmptyArray) {
  EXPECT_TRUE(matchesFrame(
      send("[]"),
      R"({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null})"));
}

TEST_F(DispatcherTest, SpecInvalidBatchOfOne) {
  EXPECT_TRUE(matchesFrame(
      send("[1]"),
      R"([{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}])"));
}

TEST_F(DispatcherTest, SpecInvalidBatch) {
  EXPECT_TRUE(matchesFrame(send("[1,2,3]"), R"([
    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
  ])"));
}

TEST_F(DispatcherTest, SpecMixedBatch) {
  EXPECT_TRUE(matchesFrame(send(R"([
    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
    {"foo": "boo"},
    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
  ])"),
                           R"([
    {"jsonrpc": "2.0", "result": 7, "id": "1"},
    {"jsonrpc": "2.0", "result": 19, "id": "2"},
    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
    {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
    {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
  ])"));
  EXPECT_EQ(session_.notified, std::vector<std::string>{"notify_hello [7]"});
}

TEST_F(DispatcherTest, SpecBatchOfNotificationsOnly) {
  EXPECT_FALSE(send(R"([
    {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
  ])"));
  EXPECT_EQ(session_.notified.size(), 2u);
}

// --- the dispatcher's own behaviour ---

TEST_F(DispatcherTest, AnswersWithTheRequestsIdExactly) {
  const auto response = send(R"({"jsonrpc":"2.0","method":"get_data","id":18446744073709551616.50})");
  ASSERT_TRUE(response);
  EXPECT_NE(response->find(R"("id":18446744073709551616.50})"), std::string::npos) << *response;
}

TEST_F(DispatcherTest, FramesOverTheLimitsAreAnsweredWithIdNull) {
  std::string big = R"({"jsonrpc":"2.0","method":"get_data","id":1})";
  big.insert(1, JsonRpc::kMaxFrameBytes, ' ');
  EXPECT_TRUE(matchesFrame(
      send(big), R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null})"));
  std::string deep = R"({"jsonrpc":"2.0","method":"get_data","id":1,"params":)" +
                     std::string(JsonRpc::kMaxDepth, '[') + std::string(JsonRpc::kMaxDepth, ']') + "}";
  EXPECT_TRUE(matchesFrame(
      send(deep), R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null})"));
}

TEST_F(DispatcherTest, TheHookSeesTheCallAndTheMethodsPermission) {
  send(R"({"jsonrpc":"2.0","method":"admin_only","id":1,"params":{"auth_token":"t"}})");
  send(R"({"jsonrpc":"2.0","method":"update"})");
  send(R"({"jsonrpc":"2.0","method":"nonexistent","id":2})");  // not asked: -32601 first
  EXPECT_EQ(session_.authorized, (std::vector<std::string>{"admin_only:admin", "update:"}));
}

TEST_F(DispatcherTest, TheHookCanRefuse) {
  session_.role = "viewer";
  EXPECT_TRUE(matchesFrame(
      send(R"({"jsonrpc":"2.0","method":"admin_only","id":1})"),
      R"({"jsonrpc":"2.0","error":{"code":-32003,"message":"Insufficient permissions"},"id":1})"));
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc":"2.0","method":"get_data","id":2})"),
                           R"({"jsonrpc":"2.0","result":["hello",5],"id":2})"));
  session_.role = "";
  EXPECT_TRUE(
      matchesFrame(send(R"({"jsonrpc":"2.0","method":"get_data","id":3})"),
                   R"({"jsonrpc":"2.0","error":{"code":-32001,"message":"Authentication failed"},"id":3})"));
  // Methods without a permission stay open; refused notifications are not answered.
  EXPECT_FALSE(send(R"({"jsonrpc":"2.0","method":"admin_only"})"));
  EXPECT_FALSE(send(R"({"jsonrpc":"2.0","method":"update"})"));
  EXPECT_EQ(session_.notified.size(), 1u);
}

TEST_F(DispatcherTest, AHookThatThrowsIsAnsweredLikeAHandler) {
  Dispatcher<TestSession> d([](TestSession&, const Call&, std::string_view) -> std::optional<RpcError> {
    throw RpcError(kRateLimitExceeded, "Rate limit exceeded", json::object{{"retry_after", 3}});
  });
  d.add("m", "viewer", [](Call&, TestSession&, Respond respond) { respond(1); });
  std::optional<std::string> response;
  d.dispatch(R"({"jsonrpc":"2.0","method":"m","id":1})", session_,
             [&](std::string f) { response = std::move(f); });
  EXPECT_TRUE(matchesFrame(
      response,
      R"({"jsonrpc":"2.0","error":{"code":-32002,"message":"Rate limit exceeded","data":{"retry_after":3}},"id":1})"));
}

TEST_F(DispatcherTest, AnRpcErrorThrownByAHandlerIsAnsweredAsIs) {
  dispatcher_.add("fails", "", [](Call&, TestSession&, Respond) {
    throw RpcError(kCameraNotFound, "Camera not found: camera9", json::object{{"device", "camera9"}});
  });
  const auto response = send(R"({"jsonrpc":"2.0","method":"fails","id":7})");
  ASSERT_TRUE(response);
  EXPECT_EQ(parseJson(*response),
            parseJson(R"({"jsonrpc":"2.0","error":{"code":-32004,)"
                      R"("message":"Camera not found: camera9","data":{"device":"camera9"}},"id":7})"));
}

TEST_F(DispatcherTest, InvalidParamsFromTheHelpersAreAnswered) {
  const auto response =
      send(R"({"jsonrpc":"2.0","method":"subtract","params":{"minuend":"x","subtrahend":1},"id":1})");
  ASSERT_TRUE(response);
  EXPECT_EQ(
      parseJson(*response),
      parseJson(
          R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"params.minuend: expected an integer"},"id":1})"));
}

TEST_F(DispatcherTest, OtherExceptionsAreInternalErrorsThatDoNotLeak) {
  dispatcher_.add("throws", "",
                  [](Call&, TestSession&, Respond) { throw std::runtime_error("/secret/path: EIO"); });
  dispatcher_.add("throws_int", "", [](Call&, TestSession&, Respond) { throw 42; });
  for (const char* method : {"throws", "throws_int"}) {
    const auto response = send(R"({"jsonrpc":"2.0","method":")" + std::string(method) + R"(","id":1})");
    EXPECT_TRUE(matchesFrame(
        response, R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1})"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->find("secret"), std::string::npos);
  }
}

TEST_F(DispatcherTest, AThrowingHandlerDoesNotStopTheRestOfItsBatch) {
  dispatcher_.add("throws", "", [](Call&, TestSession&, Respond) { throw std::runtime_error("boom"); });
  EXPECT_TRUE(matchesFrame(
      send(R"([{"jsonrpc":"2.0","method":"throws","id":1},{"jsonrpc":"2.0","method":"get_data","id":2}])"),
      R"([{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1},
                               {"jsonrpc":"2.0","result":["hello",5],"id":2}])"));
}

TEST_F(DispatcherTest, TheFirstAnswerWins) {
  dispatcher_.add("twice", "", [](Call&, TestSession&, Respond respond) {
    respond(1);
    respond(2);
  });
  dispatcher_.add("answers_then_throws", "", [](Call&, TestSession&, Respond respond) {
    respond(1);
    throw RpcError(kInternalError);
  });
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc":"2.0","method":"twice","id":1})"),
                           R"({"jsonrpc":"2.0","result":1,"id":1})"));
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc":"2.0","method":"answers_then_throws","id":1})"),
                           R"({"jsonrpc":"2.0","result":1,"id":1})"));
}

TEST_F(DispatcherTest, AHandlerThatDropsItsRespondIsAnsweredInternalError) {
  dispatcher_.add("forgets", "", [](Call&, TestSession&, Respond) {});
  EXPECT_TRUE(matchesFrame(send(R"({"jsonrpc":"2.0","method":"forgets","id":1})"),
                           R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1})"));
}

TEST_F(DispatcherTest, AsynchronousAnswersAreSentOnceTheLastArrives) {
  std::vector<std::string> sent;
  dispatcher_.dispatch(R"([{"jsonrpc":"2.0","method":"later","params":{"n":1},"id":1},
                           {"jsonrpc":"2.0","method":"get_data","id":2},
                           {"jsonrpc":"2.0","method":"later","params":{"n":3},"id":3},
                           {"jsonrpc":"2.0","method":"later","params":{"n":4}}])",
                       session_, [&](std::string f) { sent.push_back(std::move(f)); });
  ASSERT_EQ(pending_.size(), 3u);
  EXPECT_TRUE(sent.empty());
  // Answer in reverse order, the notification last.
  pending_[1].respond(pending_[1].n * 10);
  pending_[0].respond(RpcError(kMediaBackendUnavailable));
  EXPECT_TRUE(sent.empty());
  EXPECT_TRUE(pending_[2].respond.pending());
  pending_[2].respond(json::value(nullptr));
  EXPECT_FALSE(pending_[2].respond.pending());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(matchesFrame(
      sent[0], R"([{"jsonrpc":"2.0","error":{"code":-32006,"message":"Media backend unavailable"},"id":1},
                                        {"jsonrpc":"2.0","result":["hello",5],"id":2},
                                        {"jsonrpc":"2.0","result":30,"id":3}])"));
}

TEST_F(DispatcherTest, ASingleAsynchronousAnswerIsSentWhenGiven) {
  std::optional<std::string> sent;
  dispatcher_.dispatch(R"({"jsonrpc":"2.0","method":"later","params":{"n":5},"id":"a"})", session_,
                       [&](std::string f) { sent = std::move(f); });
  EXPECT_FALSE(sent);
  ASSERT_EQ(pending_.size(), 1u);
  Respond moved = std::move(pending_[0].respond);
  EXPECT_FALSE(pending_[0].respond.pending());
  moved(5);
  EXPECT_TRUE(matchesFrame(sent, R"({"jsonrpc":"2.0","result":5,"id":"a"})"));
}

TEST_F(DispatcherTest, APendingAnswerDroppedLaterIsAnsweredInternalError) {
  std::optional<std::string> sent;
  dispatcher_.dispatch(R"({"jsonrpc":"2.0","method":"later","params":{"n":5},"id":1})", session_,
                       [&](std::string f) { sent = std::move(f); });
  pending_.clear();
  EXPECT_TRUE(
      matchesFrame(sent, R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1})"));
}

TEST_F(DispatcherTest, AnswersMayComeFromOtherThreads) {
  constexpr int kCalls = 32;
  std::vector<std::thread> threads;
  threads.reserve(kCalls);
  dispatcher_.add("threaded", "", [&threads](Call& call, TestSession&, Respond respond) {
    const std::int64_t n = Params(call.params).integer("n");
    threads.emplace_back([n, respond = std::move(respond)]() mutable { respond(n * 2); });
  });
  std::string frame = "[";
  for (int i = 0; i < kCalls; ++i) {
    if (i > 0) frame += ',';
    frame += R"({"jsonrpc":"2.0","method":"threaded","params":{"n":)" + std::to_string(i) + R"(},"id":)" +
             std::to_string(i) + "}";
  }
  frame += "]";
  std::atomic<int> sends{0};
  std::string response;
  dispatcher_.dispatch(frame, session_, [&](std::string f) {
    response = std::move(f);
    sends.fetch_add(1);
  });
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(sends.load(), 1);
  const json::value v = parseJson(response);
  ASSERT_EQ(v.get_array().size(), static_cast<std::size_t>(kCalls));
  for (const json::value& r : v.get_array()) {
    EXPECT_EQ(r.at("result").to_number<std::int64_t>(), r.at("id").to_number<std::int64_t>() * 2);
  }
}

TEST_F(DispatcherTest, TheObserverSeesEveryCall) {
  std::vector<std::pair<std::string, int>> seen;
  int notifications = 0;
  dispatcher_.setObserver([&](const Completion& c) {
    seen.emplace_back(std::string(c.method), c.code);
    notifications += c.notification ? 1 : 0;
    EXPECT_GE(c.elapsed.count(), 0);
  });
  send(R"([{"jsonrpc":"2.0","method":"get_data","id":1},{"jsonrpc":"2.0","method":"nope","id":2},)"
       R"({"jsonrpc":"2.0","method":"update"},{"foo":1}])");
  send("{");
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, int>>{{"get_data", 0},
                                                            {"nope", kMethodNotFound},
                                                            {"update", 0},
                                                            {"", kInvalidRequest},
                                                            {"", kParseError}}));
  EXPECT_EQ(notifications, 1);
}

TEST_F(DispatcherTest, MethodsAreAddedOnce) {
  EXPECT_TRUE(dispatcher_.has("subtract"));
  EXPECT_FALSE(dispatcher_.has("nope"));
  EXPECT_THROW(dispatcher_.add("subtract", "", [](Call&, TestSession&, Respond) {}), std::invalid_argument);
  EXPECT_THROW(dispatcher_.add("empty", "", nullptr), std::invalid_argument);
}

TEST_F(DispatcherTest, LongUnknownMethodNamesAreNotEchoed) {
  const std::string name(1000, 'x');
  const auto response = send(R"({"jsonrpc":"2.0","method":")" + name + R"(","id":1})");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->find(name), std::string::npos);
  EXPECT_TRUE(matchesFrame(
      response, R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1})"));
}

}  // namespace
}  // namespace ocellus::api::rpc
