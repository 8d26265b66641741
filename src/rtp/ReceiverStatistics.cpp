#include "rtp/ReceiverStatistics.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "rtp/rtcp/SenderReport.h"

namespace ocellus::rtp {

namespace {
constexpr std::uint32_t kSeqMod = 1u << 16;
constexpr std::int64_t kMicrosPerSecond = 1000000;
}  // namespace

ReceiverStatistics::ReceiverStatistics(std::uint32_t ssrc, std::uint32_t clockRate)
    : ssrc_(ssrc), clockRate_(clockRate) {}

void ReceiverStatistics::onPacket(std::uint16_t seq, std::uint32_t rtpTimestamp, base::SteadyTime arrival) {
  if (!started_) {
    started_ = true;
    firstArrival_ = arrival;
    restart(seq);
  } else if (!updateSequence(seq)) {
    return;
  }
  ++received_;
  updateJitter(rtpTimestamp, arrival);
}

void ReceiverStatistics::onSenderReport(std::uint64_t ntpTime, base::SteadyTime arrival) {
  lastSr_ = rtcp::SenderReport::compactNtp(ntpTime);
  lastSrArrival_ = arrival;
}

// §A.1 init_seq.
void ReceiverStatistics::restart(std::uint16_t seq) {
  baseSeq_ = seq;
  maxSeq_ = seq;
  badSeq_.reset();
  cycles_ = 0;
  received_ = 0;
  expectedPrior_ = 0;
  receivedPrior_ = 0;
  lastTransit_.reset();  // a restarted sender starts its timestamps anew too
}

// §A.1 update_seq, less probation.
bool ReceiverStatistics::updateSequence(std::uint16_t seq) {
  const auto delta = static_cast<std::uint16_t>(seq - maxSeq_);
  if (delta < kMaxDropout) {
    if (seq < maxSeq_) ++cycles_;  // in order, with a permissible gap, across 65535 -> 0
    maxSeq_ = seq;
  } else if (delta <= kSeqMod - kMaxMisorder) {
    // A very large jump: a restarted sender if the next packet follows this one.
    if (badSeq_ && seq == *badSeq_) {
      restart(seq);
    } else {
      badSeq_ = static_cast<std::uint16_t>(seq + 1);
      return false;
    }
  }
  // Otherwise a duplicate or a packet out of order by less than kMaxMisorder: counted.
  return true;
}

// §A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16, kept scaled by 16 in integers.
void ReceiverStatistics::updateJitter(std::uint32_t rtpTimestamp, base::SteadyTime arrival) {
  const std::int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(arrival - firstArrival_).count();
  // Seconds and the rest apart, so that a long-running stream cannot overflow.
  const std::int64_t units =
      micros / kMicrosPerSecond * clockRate_ + micros % kMicrosPerSecond * clockRate_ / kMicrosPerSecond;
  const std::uint32_t transit = static_cast<std::uint32_t>(units) - rtpTimestamp;  // modulo 2^32
  if (lastTransit_) {
    const auto d = static_cast<std::int32_t>(transit - *lastTransit_);
    const std::uint64_t absD =
        d < 0 ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(d)) : static_cast<std::uint64_t>(d);
    jitterQ4_ = jitterQ4_ + absD - ((jitterQ4_ + 8) >> 4);
  }
  lastTransit_ = transit;
}

std::int64_t ReceiverStatistics::expected() const {
  if (!started_) return 0;
  return static_cast<std::int64_t>(extendedHighestSeq()) - baseSeq_ + 1;
}

std::uint32_t ReceiverStatistics::jitter() const {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(jitterQ4_ >> 4, UINT32_MAX));
}

std::optional<rtcp::ReportBlock> ReceiverStatistics::report(base::SteadyTime now) {
  if (!started_) return std::nullopt;
  rtcp::ReportBlock block;
  block.ssrc = ssrc_;
  // §A.3: the fraction lost over the interval since the previous report.
  const std::int64_t expectedNow = expected();
  const std::int64_t expectedInterval = expectedNow - expectedPrior_;
  const std::int64_t receivedInterval = received_ - receivedPrior_;
  const std::int64_t lostInterval = expectedInterval - receivedInterval;
  expectedPrior_ = expectedNow;
  receivedPrior_ = received_;
  if (expectedInterval > 0 && lostInterval > 0) {
    block.fractionLost =
        static_cast<std::uint8_t>(std::min<std::int64_t>((lostInterval << 8) / expectedInterval, 255));
  }
  block.cumulativeLost = static_cast<std::int32_t>(std::clamp<std::int64_t>(
      cumulativeLost(), rtcp::ReportBlock::kMinCumulativeLost, rtcp::ReportBlock::kMaxCumulativeLost));
  block.extendedHighestSeq = extendedHighestSeq();
  block.jitter = jitter();
  if (lastSr_) {
    block.lastSr = *lastSr_;
    // DLSR in units of 1/65536 s (§6.4.1).
    const std::int64_t micros = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::microseconds>(now - lastSrArrival_).count());
    block.delaySinceLastSr = static_cast<std::uint32_t>(std::min<std::int64_t>(
        micros / kMicrosPerSecond * 65536 + micros % kMicrosPerSecond * 65536 / kMicrosPerSecond,
        UINT32_MAX));
  }
  return block;
}

}  // namespace ocellus::rtp
