#include "api/rpc/Call.h"

#include <boost/json.hpp>

#include <utility>

#include "api/rpc/JsonRpc.h"

namespace ocellus::api::rpc {

Id Id::fromString(std::string_view id) {
  return Id(JsonRpc::serialize(boost::json::string(id)));
}

Id Id::fromInteger(std::int64_t id) {
  return Id(std::to_string(id));
}

Id Id::fromJson(std::string json) {
  return Id(std::move(json));
}

boost::json::value Id::value() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json_, ec);
  return ec ? boost::json::value() : v;
}

}  // namespace ocellus::api::rpc
