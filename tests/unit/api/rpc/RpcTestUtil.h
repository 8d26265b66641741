#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::api::rpc::test {

inline boost::json::value parseJson(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return v;
}

// Whether `actual` is the response `expected` describes, per JSON-RPC 2.0: same members, same
// id, same result; for an error the same code and a message that starts with the expected one
// (ours add detail after the spec's phrase) and the same data when the expectation has one.
inline bool sameResponse(const boost::json::value& actual, const boost::json::value& expected) {
  if (!actual.is_object() || !expected.is_object()) return actual == expected;
  const auto& a = actual.get_object();
  const auto& e = expected.get_object();
  if (a.size() != e.size()) return false;
  for (const auto& member : e) {
    const boost::json::value* got = a.if_contains(member.key());
    if (got == nullptr) return false;
    if (member.key() != "error") {
      if (*got != member.value()) return false;
      continue;
    }
    if (!got->is_object() || !member.value().is_object()) return false;
    const auto& ge = got->get_object();
    const auto& ee = member.value().get_object();
    if (!ge.contains("code") || ge.at("code") != ee.at("code")) return false;
    if (!ge.contains("message") || !ge.at("message").is_string()) return false;
    const std::string_view message = ge.at("message").get_string();
    const std::string_view prefix = ee.at("message").get_string();
    if (message.substr(0, prefix.size()) != prefix) return false;
    if (ee.contains("data") && (!ge.contains("data") || ge.at("data") != ee.at("data"))) return false;
  }
  return true;
}

// A frame against what the spec shows: a single response, or a batch in any order (§6).
inline ::testing::AssertionResult matchesFrame(const std::optional<std::string>& frame,
                                               std::string_view expected) {
  if (!frame) return ::testing::AssertionFailure() << "no response, expected " << expected;
  const boost::json::value actual = parseJson(*frame);
  const boost::json::value want = parseJson(expected);
  if (want.is_array()) {
    if (!actual.is_array() || actual.get_array().size() != want.get_array().size()) {
      return ::testing::AssertionFailure() << *frame << "\n  expected " << expected;
    }
    std::vector<bool> used(actual.get_array().size(), false);
    for (const auto& w : want.get_array()) {
      bool found = false;
      for (std::size_t i = 0; i < used.size() && !found; ++i) {
        if (!used[i] && sameResponse(actual.get_array()[i], w)) used[i] = found = true;
      }
      if (!found)
        return ::testing::AssertionFailure() << *frame << "\n  has no " << boost::json::serialize(w);
    }
    return ::testing::AssertionSuccess();
  }
  if (!sameResponse(actual, want))
    return ::testing::AssertionFailure() << *frame << "\n  expected " << expected;
  return ::testing::AssertionSuccess();
}

}  // namespace ocellus::api::rpc::test
