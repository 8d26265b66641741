#pragma once

// The command line of the in-process benchmarks: "--name value" pairs.
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::bench {

// Calls `apply(name, value)` for each "--name value" pair; false when a value is missing or
// `apply` refuses a pair (an unknown name, a bad value), for the caller to print its usage.
template <typename Apply>
bool parseFlags(int argc, char** argv, Apply apply) {
  if (argc % 2 == 0) return false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!apply(std::string_view(argv[i]), argv[i + 1])) return false;
  }
  return true;
}

// "50,100,200" → {50, 100, 200}.
inline std::vector<int> parseList(std::string_view text) {
  std::vector<int> out;
  std::stringstream in{std::string(text)};
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::atoi(item.c_str()));
  return out;
}

}  // namespace ocellus::bench
