#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::format::sdp {

// The small value types shared by the session and media levels of an SDP (RFC 4566 §5).

// "a=<name>[:<value>]"; property attributes such as a=recvonly have an empty value.
struct Attribute {
  std::string name;
  std::string value;

  // Whether the name matches, ignoring case (cameras are not consistent about it).
  bool is(std::string_view attributeName) const;
  bool operator==(const Attribute&) const = default;
};

// A line the model keeps without interpreting it (i=, u=, e=, p=, b=, r=, z=, k=, an extra t=,
// or an unknown type), so that a description survives a parse/toString round trip.
struct Line {
  char type = 'i';
  std::string value;

  bool operator==(const Line&) const = default;
};

// "c=<nettype> <addrtype> <connection-address>" (RFC 4566 §5.7). The address keeps a multicast
// "/ttl[/count]" suffix as written.
struct Connection {
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address = "0.0.0.0";

  bool operator==(const Connection&) const = default;
};

// RFC 4566 §6: a=sendrecv / sendonly / recvonly / inactive.
enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

// The value of the first attribute with this name (case-insensitive), nullopt when absent.
std::optional<std::string_view> findAttribute(const std::vector<Attribute>& attributes,
                                              std::string_view name);
// The direction attribute in the list, nullopt when there is none.
std::optional<Direction> findDirection(const std::vector<Attribute>& attributes);

}  // namespace ocellus::format::sdp
