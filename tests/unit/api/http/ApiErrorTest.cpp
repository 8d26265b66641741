#include "api/ApiError.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace ocellus::api {
namespace {

TEST(ApiErrorTest, BodyFollowsTheContract) {
  ApiError e{404, "CAMERA_NOT_FOUND", "no camera 'x'", {}};
  e.details["id"] = "x";
  const auto when = base::WallTime(std::chrono::milliseconds(1763795940123));  // 2025-11-22T07:19:00.123Z
  const auto v = boost::json::parse(errorBody(e, "req-1", when));
  EXPECT_EQ(v.at("success"), false);
  const auto& err = v.at("error").as_object();
  EXPECT_EQ(err.at("code"), "CAMERA_NOT_FOUND");
  EXPECT_EQ(err.at("message"), "no camera 'x'");
  EXPECT_EQ(err.at("details").at("id"), "x");
  EXPECT_EQ(err.at("timestamp"), "2025-11-22T07:19:00.123Z");
  EXPECT_EQ(err.at("requestId"), "req-1");
}

TEST(ApiErrorTest, Response) {
  const auto r = errorResponse(ApiError{413, "PAYLOAD_TOO_LARGE", "too big", {}}, "id-9");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json; charset=utf-8");
  const auto v = boost::json::parse(r.body);
  EXPECT_TRUE(v.at("error").at("details").as_object().empty());
  EXPECT_EQ(v.at("error").at("timestamp").as_string().size(), 24u);
}

TEST(ApiErrorTest, IsoTimestampBeforeTheEpochStillHasPositiveMillis) {
  EXPECT_EQ(isoTimestamp(base::WallTime(std::chrono::milliseconds(-1))), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace ocellus::api
