#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ocellus::test {

// The bytes of a file under tests/data (empty when it cannot be read, which tests then notice).
inline std::vector<std::uint8_t> readTestData(const std::string& relativePath) {
  std::ifstream in(std::string(OCELLUS_TEST_DATA) + "/" + relativePath, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace ocellus::test
