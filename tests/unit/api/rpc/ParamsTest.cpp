#include "api/rpc/Params.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "unit/api/rpc/RpcTestUtil.h"

namespace ocellus::api::rpc {
namespace {

using test::parseJson;

// The message of the RpcError `f` throws; fails unless it throws one with code -32602.
template <typename F>
std::string invalidParams(F&& f) {
  try {
    f();
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code, kInvalidParams) << e.message;
    return e.message;
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

class RpcParamsTest : public ::testing::Test {
 protected:
  const boost::json::value value_ = parseJson(R"({
    "device": "camera0", "limit": 50, "big": 18446744073709551615, "float": 10.0, "half": 1.5,
    "huge": 1e400, "enabled": true, "nothing": null, "topics": ["alerts", "camera_status"],
    "mixed": ["a", 1], "policy": {"max_age_days": 7}, "format": "mkv", "negative": -3
  })");
  const Params params_{value_};
};

TEST_F(RpcParamsTest, Strings) {
  EXPECT_EQ(params_.string("device"), "camera0");
  EXPECT_EQ(params_.optionalString("device"), "camera0");
  EXPECT_EQ(params_.optionalString("absent"), std::nullopt);
  EXPECT_EQ(params_.optionalString("nothing"), std::nullopt);
  EXPECT_EQ(invalidParams([&] { params_.string("absent"); }), "params.absent: expected a string");
  EXPECT_EQ(invalidParams([&] { params_.string("nothing"); }), "params.nothing: expected a string");
  EXPECT_EQ(invalidParams([&] { params_.optionalString("limit"); }), "params.limit: expected a string");
}

TEST_F(RpcParamsTest, Choices) {
  EXPECT_EQ(params_.oneOf("format", {"mp4", "mkv"}), "mkv");
  EXPECT_EQ(params_.optionalOneOf("absent", {"mp4", "mkv"}), std::nullopt);
  EXPECT_EQ(invalidParams([&] {
              params_.oneOf("device", {"mp4", "mkv"});
            }),
            R"(params.device: expected one of "mp4", "mkv")");
  EXPECT_EQ(invalidParams([&] { params_.oneOf("limit", {"age"}); }),
            R"(params.limit: expected one of "age")");
}

TEST_F(RpcParamsTest, Integers) {
  EXPECT_EQ(params_.integer("limit"), 50);
  EXPECT_EQ(params_.integer("limit", 1, 50), 50);
  EXPECT_EQ(params_.integer("float"), 10);  // 10.0: JavaScript cannot tell it from 10
  EXPECT_EQ(params_.integer("negative"), -3);
  EXPECT_EQ(params_.optionalInteger("absent", 0, 10), std::nullopt);
  EXPECT_EQ(params_.optionalInteger("nothing"), std::nullopt);
  EXPECT_EQ(params_.optionalInteger("limit", 0), 50);
  EXPECT_EQ(invalidParams([&] { params_.integer("limit", 1, 49); }),
            "params.limit: expected an integer in [1, 49]");
  EXPECT_EQ(invalidParams([&] { params_.integer("negative", 0); }),
            "params.negative: expected an integer >= 0");
  EXPECT_EQ(invalidParams([&] { params_.integer("limit", Params::kMinInteger, 10); }),
            "params.limit: expected an integer <= 10");
  EXPECT_EQ(invalidParams([&] { params_.integer("half"); }), "params.half: expected an integer");
  EXPECT_EQ(invalidParams([&] { params_.integer("big"); }), "params.big: expected an integer");
  EXPECT_EQ(invalidParams([&] { params_.integer("huge"); }), "params.huge: expected an integer");
  EXPECT_EQ(invalidParams([&] { params_.integer("device"); }), "params.device: expected an integer");
  EXPECT_EQ(invalidParams([&] { params_.integer("absent", 1, 10); }),
            "params.absent: expected an integer in [1, 10]");
}

TEST_F(RpcParamsTest, IntegerLimits) {
  const boost::json::value v = parseJson(R"({"max": 9223372036854775807, "min": -9223372036854775808,
                                             "over": 9223372036854775808, "twoTo63": 9.2233720368547758e18})");
  const Params p(v);
  EXPECT_EQ(p.integer("max"), Params::kMaxInteger);
  EXPECT_EQ(p.integer("min"), Params::kMinInteger);
  invalidParams([&] { p.integer("over"); });
  invalidParams([&] { p.integer("twoTo63"); });
}

TEST_F(RpcParamsTest, Numbers) {
  EXPECT_EQ(params_.number("half"), 1.5);
  EXPECT_EQ(params_.number("limit"), 50.0);
  EXPECT_EQ(params_.optionalNumber("absent"), std::nullopt);
  EXPECT_EQ(invalidParams([&] { params_.number("huge"); }), "params.huge: expected a number");
  EXPECT_EQ(invalidParams([&] { params_.number("device"); }), "params.device: expected a number");
}

TEST_F(RpcParamsTest, Booleans) {
  EXPECT_TRUE(params_.boolean("enabled"));
  EXPECT_EQ(params_.optionalBoolean("absent"), std::nullopt);
  EXPECT_EQ(invalidParams([&] { params_.boolean("limit"); }), "params.limit: expected a boolean");
}

TEST_F(RpcParamsTest, ObjectsAndArrays) {
  EXPECT_EQ(params_.object("policy").at("max_age_days"), 7);
  EXPECT_EQ(params_.optionalObject("absent"), nullptr);
  EXPECT_EQ(params_.array("mixed").size(), 2u);
  EXPECT_EQ(params_.optionalArray("nothing"), nullptr);
  EXPECT_EQ(invalidParams([&] { params_.object("topics"); }), "params.topics: expected an object");
  EXPECT_EQ(invalidParams([&] { params_.array("policy"); }), "params.policy: expected an array");
}

TEST_F(RpcParamsTest, StringLists) {
  EXPECT_EQ(params_.strings("topics"), (std::vector<std::string>{"alerts", "camera_status"}));
  EXPECT_EQ(params_.optionalStrings("absent"), std::nullopt);
  EXPECT_EQ(invalidParams([&] { params_.strings("mixed"); }), "params.mixed: expected an array of strings");
  EXPECT_EQ(invalidParams([&] { params_.strings("device"); }), "params.device: expected an array of strings");
}

TEST_F(RpcParamsTest, Presence) {
  EXPECT_TRUE(params_.has("device"));
  EXPECT_FALSE(params_.has("nothing"));
  EXPECT_NE(params_.find("nothing"), nullptr);
  EXPECT_EQ(params_.find("absent"), nullptr);
}

TEST_F(RpcParamsTest, AbsentParamsHaveNoMembers) {
  const boost::json::value none;
  const Params p(none);
  EXPECT_FALSE(p.has("device"));
  EXPECT_EQ(p.optionalInteger("limit"), std::nullopt);
  EXPECT_EQ(invalidParams([&] { p.string("device"); }), "params.device: expected a string");
}

TEST_F(RpcParamsTest, PositionalParamsAreRefused) {
  const boost::json::value positional = parseJson("[1, 2]");
  EXPECT_EQ(invalidParams([&] { Params p(positional); }), "params: expected an object");
}

}  // namespace
}  // namespace ocellus::api::rpc
