// SRTP protect cost: our SrtpSession (OpenSSL EVP) beside libsrtp2 as Debian builds it (on NSS),
// in the same run: AEAD_AES_128_GCM and AES128_CM_SHA1_80, 200- and 1200-byte RTP packets.
// Google Benchmark; CPU time per packet, medians of the repetitions (the machine is shared, so
// CPU time is the figure to read, not wall time). The allocs_per_packet counter counts
// OpenSSL allocations and C++ operator new during our protects: it must be 0.
//
//   build/release/bench/srtp [--benchmark_repetitions=9]
#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "fakes/LibSrtp.h"
#include "proto/webrtc/SrtpSession.h"

namespace {

using ocellus::proto::webrtc::SrtpDirection;
using ocellus::proto::webrtc::SrtpProfile;
using ocellus::proto::webrtc::SrtpSession;

std::atomic<long> allocations{0};

void* countedMalloc(std::size_t n, const char*, int) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n);
}
void* countedRealloc(void* p, std::size_t n, const char*, int) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, n);
}
void countedFree(void* p, const char*, int) {
  std::free(p);
}

constexpr std::uint8_t kKey[16] = {0x3a, 0x41, 0x7f, 0x09, 0xc2, 0x55, 0x10, 0xee,
                                   0x81, 0x27, 0x66, 0x90, 0x0b, 0xd4, 0x5e, 0x13};
constexpr std::uint8_t kSalt[14] = {0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c,
                                    0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c};

SrtpProfile profileOf(const benchmark::State& state) {
  return state.range(0) == 0 ? SrtpProfile::AeadAes128Gcm : SrtpProfile::Aes128CmSha1_80;
}

// An RTP packet of `size` bytes (12-byte header), and room for the largest trailer.
std::vector<std::uint8_t> rtpTemplate(std::size_t size) {
  std::vector<std::uint8_t> p(size + 16, 0xab);
  const std::uint8_t header[12] = {0x80, 96, 0, 0, 0, 0, 0x10, 0, 0x11, 0x22, 0x33, 0x44};
  std::memcpy(p.data(), header, sizeof header);
  return p;
}

void setSeq(std::vector<std::uint8_t>& p, std::uint16_t seq) {
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
}

void labelOf(benchmark::State& state, const char* who) {
  state.SetLabel(std::string(who) + (profileOf(state) == SrtpProfile::AeadAes128Gcm ? " GCM " : " CM-SHA1 ") +
                 std::to_string(state.range(1)) + " B");
}

void BM_OursProtect(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(1));
  const SrtpProfile profile = profileOf(state);
  auto session = SrtpSession::create(profile, kKey,
                                     std::span(kSalt).first(ocellus::proto::webrtc::srtpSaltSize(profile)),
                                     SrtpDirection::Outbound)
                     .value();
  const auto plain = rtpTemplate(size);
  auto buffer = plain;
  std::uint16_t seq = 0;
  setSeq(buffer, seq);
  std::size_t warm = size;
  session.protectRtp(buffer, warm);  // the SSRC's state is made on the first packet
  const long before = allocations.load();
  for (auto _ : state) {
    std::memcpy(buffer.data(), plain.data(), size);
    setSeq(buffer, ++seq);
    std::size_t length = size;
    if (!session.protectRtp(buffer, length)) state.SkipWithError("protect failed");
    benchmark::DoNotOptimize(buffer.data());
  }
  state.counters["allocs_per_packet"] = benchmark::Counter(static_cast<double>(allocations.load() - before) /
                                                           static_cast<double>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  labelOf(state, "ours");
}

void BM_LibsrtpProtect(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(1));
  const SrtpProfile profile = profileOf(state);
  auto session = ocellus::test::makeLibSrtp(
      profile, kKey, std::span(kSalt).first(ocellus::proto::webrtc::srtpSaltSize(profile)),
      SrtpDirection::Outbound);
  if (!session) {
    state.SkipWithError("srtp_create failed");
    return;
  }
  const auto plain = rtpTemplate(size);
  auto buffer = plain;
  std::uint16_t seq = 0;
  for (auto _ : state) {
    std::memcpy(buffer.data(), plain.data(), size);
    setSeq(buffer, ++seq);
    int length = static_cast<int>(size);
    if (srtp_protect(session.get(), buffer.data(), &length) != srtp_err_status_ok)
      state.SkipWithError("srtp_protect failed");
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  labelOf(state, "libsrtp2/NSS");
}

// {profile: 0 GCM, 1 CM-SHA1} x {packet bytes}
BENCHMARK(BM_OursProtect)->ArgsProduct({{0, 1}, {200, 1200}})->Repetitions(9)->ReportAggregatesOnly(true);
BENCHMARK(BM_LibsrtpProtect)->ArgsProduct({{0, 1}, {200, 1200}})->Repetitions(9)->ReportAggregatesOnly(true);

}  // namespace

// Our C++ allocations count too (the per-SSRC state, were it made per packet). The replaced
// new and delete pair malloc with free, which GCC cannot see across the two definitions.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

int main(int argc, char** argv) {
  // Before OpenSSL allocates anything: count what it allocates from here on.
  CRYPTO_set_mem_functions(countedMalloc, countedRealloc, countedFree);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
