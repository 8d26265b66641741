#include "base/Random.h"

#include <random>

namespace ocellus::base {
namespace {
std::mt19937_64& engine() {
  thread_local std::mt19937_64 e{(static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()};
  return e;
}
}  // namespace

std::uint64_t randomU64() { return engine()(); }

double randomUnit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine()); }

std::string randomHex(std::size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(length, '0');
  for (auto& c : out) c = kDigits[randomU64() & 15];
  return out;
}

}  // namespace ocellus::base
