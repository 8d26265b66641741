#include "format/sdp/Fields.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace ocellus::format::sdp {

bool Attribute::is(std::string_view attributeName) const {
  return std::ranges::equal(name, attributeName, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string_view> findAttribute(const std::vector<Attribute>& attributes,
                                              std::string_view name) {
  for (const auto& a : attributes) {
    if (a.is(name)) return a.value;
  }
  return std::nullopt;
}

std::optional<Direction> findDirection(const std::vector<Attribute>& attributes) {
  static constexpr std::array<std::pair<std::string_view, Direction>, 4> kNames{{
      {"sendrecv", Direction::SendRecv},
      {"sendonly", Direction::SendOnly},
      {"recvonly", Direction::RecvOnly},
      {"inactive", Direction::Inactive},
  }};
  for (const auto& a : attributes) {
    for (const auto& [name, direction] : kNames) {
      if (a.is(name)) return direction;
    }
  }
  return std::nullopt;
}

}  // namespace ocellus::format::sdp
