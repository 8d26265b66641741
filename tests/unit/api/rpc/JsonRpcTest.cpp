#include "api/rpc/JsonRpc.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "unit/api/rpc/RpcTestUtil.h"

namespace ocellus::api::rpc {
namespace {

using test::parseJson;

Message parseOk(std::string_view frame) {
  auto parsed = JsonRpc::parse(frame);
  if (const auto* error = std::get_if<RpcError>(&parsed)) {
    ADD_FAILURE() << "frame refused: " << error->code << " " << error->message << "\n  " << frame;
    return {};
  }
  return std::get<Message>(std::move(parsed));
}

RpcError parseFails(std::string_view frame) {
  auto parsed = JsonRpc::parse(frame);
  if (!std::holds_alternative<RpcError>(parsed)) {
    ADD_FAILURE() << "frame accepted: " << frame;
    return {};
  }
  return std::get<RpcError>(parsed);
}

const Call& onlyCall(const Message& message) {
  static const Call kNone;
  if (message.entries.size() != 1 || !std::holds_alternative<Call>(message.entries[0])) {
    ADD_FAILURE() << "not one valid call";
    return kNone;
  }
  return std::get<Call>(message.entries[0]);
}

const InvalidCall& onlyInvalid(const Message& message) {
  static const InvalidCall kNone;
  if (message.entries.size() != 1 || !std::holds_alternative<InvalidCall>(message.entries[0])) {
    ADD_FAILURE() << "not one invalid call";
    return kNone;
  }
  return std::get<InvalidCall>(message.entries[0]);
}

// The id a request written with `idJson` is answered with, as text.
std::string echoedId(std::string_view idJson) {
  const Message message = parseOk(R"({"jsonrpc":"2.0","method":"m","id":)" + std::string(idJson) + "}");
  const Call& call = onlyCall(message);
  if (!call.id) return "<notification>";
  return call.id->json();
}

// A frame of exactly `size` bytes: a valid request padded with spaces.
std::string frameOfSize(std::size_t size) {
  std::string frame = R"({"jsonrpc":"2.0","method":"m","id":1})";
  frame.insert(1, size - frame.size(), ' ');
  return frame;
}

std::string nested(std::size_t levels) {
  return R"({"jsonrpc":"2.0","method":"m","id":1,"params":)" + std::string(levels, '[') +
         std::string(levels, ']') + "}";
}

// --- request objects (§4) ---

TEST(JsonRpcTest, ParsesACallWithPositionalParams) {
  const Message message = parseOk(R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})");
  EXPECT_FALSE(message.batch);
  const Call& call = onlyCall(message);
  EXPECT_EQ(call.method, "subtract");
  EXPECT_EQ(call.params, parseJson("[42, 23]"));
  ASSERT_TRUE(call.id);
  EXPECT_EQ(call.id->json(), "1");
  EXPECT_FALSE(call.isNotification());
}

TEST(JsonRpcTest, ParsesACallWithNamedParams) {
  const Message message = parseOk(
      R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})");
  const Call& call = onlyCall(message);
  EXPECT_EQ(call.params, parseJson(R"({"subtrahend": 23, "minuend": 42})"));
}

TEST(JsonRpcTest, AbsentParamsAreNull) {
  const Message message = parseOk(R"({"jsonrpc":"2.0","method":"ping","id":"a"})");
  const Call& call = onlyCall(message);
  EXPECT_TRUE(call.params.is_null());
  EXPECT_EQ(call.id->json(), R"("a")");
}

TEST(JsonRpcTest, AbsentIdIsANotificationButNullIdIsARequest) {
  EXPECT_TRUE(onlyCall(parseOk(R"({"jsonrpc":"2.0","method":"update","params":[1,2]})")).isNotification());
  const Message withNull = parseOk(R"({"jsonrpc":"2.0","method":"update","id":null})");
  const Call& call = onlyCall(withNull);
  ASSERT_FALSE(call.isNotification());
  EXPECT_TRUE(call.id->isNull());
  EXPECT_EQ(call.id->json(), "null");
}

TEST(JsonRpcTest, UnknownMembersAreIgnored) {
  EXPECT_EQ(onlyCall(parseOk(R"({"jsonrpc":"2.0","method":"m","id":1,"extra":{"x":[1]}})")).method, "m");
}

TEST(JsonRpcTest, RefusesRequestObjectsThatBreakSection4) {
  struct Case {
    const char* frame;
    const char* id;  // the id the error carries
  };
  const Case cases[] = {
      {R"({"jsonrpc": "2.0", "method": 1, "params": "bar"})", "null"},  // the spec's example
      {R"({"method":"m","id":1})", "1"},
      {R"({"jsonrpc":"1.0","method":"m","id":1})", "1"},
      {R"({"jsonrpc":2.0,"method":"m","id":1})", "1"},
      {R"({"jsonrpc":"2.0","id":"x"})", R"("x")"},
      {R"({"jsonrpc":"2.0","method":null,"id":1})", "1"},
      {R"({"jsonrpc":"2.0","method":"m","params":null,"id":1})", "1"},
      {R"({"jsonrpc":"2.0","method":"m","params":"bar","id":1})", "1"},
      {R"({"jsonrpc":"2.0","method":"m","params":7,"id":1})", "1"},
      {R"({"jsonrpc":"2.0","method":"m","params":true})", "null"},
      {R"({"jsonrpc":"2.0","method":"m","id":true})", "null"},
      {R"({"jsonrpc":"2.0","method":"m","id":{"a":1}})", "null"},
      {R"({"jsonrpc":"2.0","method":"m","id":[1]})", "null"},
      {R"({"jsonrpc":"2.0","result":19,"id":1})", "1"},  // a response is not a request
  };
  for (const Case& c : cases) {
    const Message message = parseOk(c.frame);
    const InvalidCall& invalid = onlyInvalid(message);
    EXPECT_EQ(invalid.error.code, kInvalidRequest) << c.frame;
    EXPECT_EQ(invalid.id.json(), c.id) << c.frame;
  }
}

// --- ids (§4: "String, Number, or NULL"; §5: the response's id is the request's) ---

TEST(JsonRpcTest, NumericIdsRoundTripExactly) {
  const char* ids[] = {
      "0",
      "-1",
      "9223372036854775807",   // INT64_MAX
      "-9223372036854775808",  // INT64_MIN
      "18446744073709551615",  // UINT64_MAX
      "18446744073709551616",  // UINT64_MAX + 1: a double to Boost.JSON
      "123456789012345678901234567890",
      "1.5",
      "0.1",
      "-1.0e-5",
      "2.2250738585072011e-308",  // rounded by Boost.JSON 1.81's parser
      "1.7976931348623157e308",
      "1e400",  // Infinity to Boost.JSON
      "-0",
      "1E2",
  };
  for (const char* id : ids) EXPECT_EQ(echoedId(id), id);
}

TEST(JsonRpcTest, IntegerIdsKeepTheirKind) {
  EXPECT_EQ(Id::fromJson(echoedId("9223372036854775807")).value(),
            boost::json::value(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(Id::fromJson(echoedId("-9223372036854775808")).value(),
            boost::json::value(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(Id::fromJson(echoedId("18446744073709551615")).value(),
            boost::json::value(std::numeric_limits<std::uint64_t>::max()));
  EXPECT_TRUE(Id::fromJson(echoedId("1.5")).value().is_double());
}

TEST(JsonRpcTest, StringIdsRoundTrip) {
  for (const char* id : {R"("")", R"("abc")", R"("a\"b\\c\u0000\n")", R"("\u00e9\ud83d\ude00")", R"("1")"}) {
    const std::string echoed = echoedId(id);
    EXPECT_EQ(parseJson(echoed), parseJson(id)) << id;
  }
}

TEST(JsonRpcTest, TheLastDuplicateIdWins) {
  EXPECT_EQ(echoedId(R"(1,"id":"x")"), R"("x")");
  EXPECT_EQ(echoedId(R"("x","id":2.50)"), "2.50");
  EXPECT_EQ(echoedId(R"(2.50,"id":null)"), "null");
}

TEST(JsonRpcTest, NumbersElsewhereDoNotCountAsIds) {
  // "id" keys nested in params, and numbers in arrays, leave the request's id alone.
  EXPECT_EQ(echoedId(R"(7,"params":{"id":1.25,"x":[{"id":3}]})"), "7");
  const Message message = parseOk(R"({"jsonrpc":"2.0","method":"m","params":{"id":5}})");
  EXPECT_TRUE(onlyCall(message).isNotification());
}

TEST(JsonRpcTest, BatchElementsKeepTheirOwnIds) {
  const Message message =
      parseOk(R"([{"jsonrpc":"2.0","method":"a","id":1.0},{"jsonrpc":"2.0","method":"b"},)"
              R"({"jsonrpc":"2.0","method":"c","id":"s"},{"jsonrpc":"2.0","method":"d","id":1e400}])");
  ASSERT_EQ(message.entries.size(), 4u);
  EXPECT_TRUE(message.batch);
  EXPECT_EQ(std::get<Call>(message.entries[0]).id->json(), "1.0");
  EXPECT_TRUE(std::get<Call>(message.entries[1]).isNotification());
  EXPECT_EQ(std::get<Call>(message.entries[2]).id->json(), R"("s")");
  EXPECT_EQ(std::get<Call>(message.entries[3]).id->json(), "1e400");
}

// --- frames (§5.1, §6) ---

TEST(JsonRpcTest, InvalidJsonIsAParseError) {
  for (
      const char* frame : {
          R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])",  // the spec's example
          R"([{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method")",
          "",
          "   ",
          R"({"jsonrpc":"2.0","method":"m"} x)",
          R"({"jsonrpc":"2.0","method":"m"}{})",
          R"({"jsonrpc":"2.0","method":"m",})",                 // trailing comma
          R"({"jsonrpc":"2.0","method":"m" /* comment */})",    // comment
          "{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}",          // not UTF-8
          "{\"jsonrpc\":\"2.0\",\"method\":\"\xed\xa0\x80\"}",  // a UTF-16 surrogate in UTF-8
          R"({"jsonrpc":"2.0","method":"m","id":01})",
          R"({"jsonrpc":"2.0","method":"m","id":NaN})",
      }) {
    EXPECT_EQ(parseFails(frame).code, kParseError) << frame;
  }
}

TEST(JsonRpcTest, WhitespaceAroundTheFrameIsAllowed) {
  EXPECT_EQ(onlyCall(parseOk(" \r\n\t{\"jsonrpc\":\"2.0\",\"method\":\"m\"} \n")).method, "m");
}

TEST(JsonRpcTest, ScalarsAndEmptyArraysAreInvalidRequests) {
  for (const char* frame : {"1", R"("x")", "null", "true", "[]", " [ ] "}) {
    EXPECT_EQ(parseFails(frame).code, kInvalidRequest) << frame;
  }
}

TEST(JsonRpcTest, BatchElementsAreValidatedIndependently) {
  const Message message = parseOk(R"([1, {"jsonrpc":"2.0","method":"m","id":1}, "x", [], {"foo":"boo"}])");
  ASSERT_EQ(message.entries.size(), 5u);
  EXPECT_TRUE(message.batch);
  for (std::size_t i : {0u, 2u, 3u, 4u}) {
    const auto* invalid = std::get_if<InvalidCall>(&message.entries[i]);
    ASSERT_NE(invalid, nullptr) << i;
    EXPECT_EQ(invalid->error.code, kInvalidRequest);
    EXPECT_TRUE(invalid->id.isNull());
  }
  EXPECT_EQ(std::get<Call>(message.entries[1]).method, "m");
}

TEST(JsonRpcTest, ASingleElementBatchIsStillABatch) {
  const Message message = parseOk(R"([{"jsonrpc":"2.0","method":"m","id":1}])");
  EXPECT_TRUE(message.batch);
  EXPECT_EQ(message.entries.size(), 1u);
}

// --- limits ---

TEST(JsonRpcTest, FramesUpToTheSizeLimitAreAccepted) {
  EXPECT_EQ(onlyCall(parseOk(frameOfSize(JsonRpc::kMaxFrameBytes))).method, "m");
  const RpcError error = parseFails(frameOfSize(JsonRpc::kMaxFrameBytes + 1));
  EXPECT_EQ(error.code, kInvalidRequest);
  EXPECT_NE(error.message.find("larger"), std::string::npos) << error.message;
}

TEST(JsonRpcTest, BatchesUpToTheLengthLimitAreAccepted) {
  auto batchOf = [](std::size_t n) {
    std::string frame = "[";
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) frame += ',';
      frame += R"({"jsonrpc":"2.0","method":"m","id":)" + std::to_string(i) + "}";
    }
    return frame + "]";
  };
  EXPECT_EQ(parseOk(batchOf(JsonRpc::kMaxBatchLength)).entries.size(), JsonRpc::kMaxBatchLength);
  const RpcError error = parseFails(batchOf(JsonRpc::kMaxBatchLength + 1));
  EXPECT_EQ(error.code, kInvalidRequest);
  EXPECT_NE(error.message.find("batch"), std::string::npos) << error.message;
  // Elements of any kind count.
  std::string scalars = "[1";
  for (std::size_t i = 0; i < JsonRpc::kMaxBatchLength; ++i) scalars += ",1";
  EXPECT_NE(parseFails(scalars + "]").message.find("batch"), std::string::npos);
}

TEST(JsonRpcTest, NestingUpToTheDepthLimitIsAccepted) {
  // The request object is one level; its params kMaxDepth - 1 more.
  EXPECT_EQ(onlyCall(parseOk(nested(JsonRpc::kMaxDepth - 1))).method, "m");
  const RpcError error = parseFails(nested(JsonRpc::kMaxDepth));
  EXPECT_EQ(error.code, kInvalidRequest);
  EXPECT_NE(error.message.find("deeper"), std::string::npos) << error.message;
  // Far deeper than the limit: refused without recursion.
  EXPECT_EQ(parseFails(std::string(100000, '[')).code, kInvalidRequest);
}

// --- responses ---

TEST(JsonRpcTest, BuildsResults) {
  EXPECT_EQ(JsonRpc::result(Id::fromInteger(1), 19), R"({"jsonrpc":"2.0","result":19,"id":1})");
  EXPECT_EQ(JsonRpc::result(Id::fromString("9"), boost::json::array{"hello", 5}),
            R"({"jsonrpc":"2.0","result":["hello",5],"id":"9"})");
  EXPECT_EQ(JsonRpc::result(Id::fromJson("1e400"), nullptr), R"({"jsonrpc":"2.0","result":null,"id":1e400})");
}

TEST(JsonRpcTest, BuildsErrors) {
  EXPECT_EQ(JsonRpc::error(Id(), RpcError(kParseError)),
            R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null})");
  const RpcError withData(kCameraNotFound, "Camera not found: camera9",
                          boost::json::object{{"device", "camera9"}});
  EXPECT_EQ(parseJson(JsonRpc::error(Id::fromInteger(4), withData)),
            parseJson(R"({"jsonrpc":"2.0","error":{"code":-32004,"message":"Camera not found: camera9",)"
                      R"("data":{"device":"camera9"}},"id":4})"));
}

TEST(JsonRpcTest, BuildsNotifications) {
  EXPECT_EQ(
      parseJson(JsonRpc::notification("camera_status_update", boost::json::object{{"device", "camera0"}})),
      parseJson(R"({"jsonrpc":"2.0","method":"camera_status_update","params":{"device":"camera0"}})"));
  EXPECT_EQ(parseJson(JsonRpc::notification("ping", nullptr)),
            parseJson(R"({"jsonrpc":"2.0","method":"ping"})"));
}

TEST(JsonRpcTest, JoinsBatchResponses) {
  const std::string responses[] = {"{\"a\":1}", "", "{\"b\":2}"};
  EXPECT_EQ(JsonRpc::batch(responses), R"([{"a":1},{"b":2}])");
  const std::string none[] = {"", ""};
  EXPECT_EQ(JsonRpc::batch(none), "");
}

TEST(JsonRpcTest, WritesNonFiniteNumbersAsNull) {
  const boost::json::value value =
      boost::json::object{{"nan", std::nan("")},
                          {"inf", std::numeric_limits<double>::infinity()},
                          {"list", boost::json::array{1.5, -std::numeric_limits<double>::infinity()}}};
  EXPECT_EQ(parseJson(JsonRpc::serialize(value)), parseJson(R"({"nan":null,"inf":null,"list":[1.5,null]})"));
}

TEST(JsonRpcTest, WritesInvalidUtf8AsReplacementCharacters) {
  const boost::json::value value = boost::json::object{{"name",
                                                        "a\xff"
                                                        "b\xc3"},
                                                       {"k\xfe", "\xe2\x82\xac"}};
  const std::string text = JsonRpc::serialize(value);
  EXPECT_EQ(parseJson(text), parseJson("{\"name\":\"a\xEF\xBF\xBD"
                                       "b\xEF\xBF\xBD\",\"k\xEF\xBF\xBD\":\"\xe2\x82\xac\"}"));
}

TEST(JsonRpcTest, ErrorsCarryTheContractsMessages) {
  EXPECT_EQ(RpcError(kCapabilityNotSupported).message, "Capability not supported");
  EXPECT_EQ(RpcError(kMethodNotFound).message, "Method not found");
  EXPECT_EQ(defaultMessage(-32050), "Server error");
  EXPECT_EQ(defaultMessage(42), "Application error");
  EXPECT_EQ(kParseError, -32700);
  EXPECT_EQ(kCapabilityNotSupported, -32008);
}

}  // namespace
}  // namespace ocellus::api::rpc
