#pragma once

#include <cstdint>
#include <optional>

#include "base/Clock.h"
#include "rtp/rtcp/ReportBlock.h"

namespace ocellus::rtp {

// Reception statistics for one RTP source (SSRC) we receive, e.g. a WHIP publisher's track,
// from which its RTCP report block is made (RFC 3550 §6.4.1):
//   - the extended highest sequence number and its cycles, and which packets to count, by the
//     algorithm of §A.1 (without probation: over SRTP the source is authenticated already);
//   - the cumulative loss and the fraction lost since the previous report (§A.3);
//   - the interarrival jitter from RTP timestamps and arrival times (§6.4.1, §A.8);
//   - LSR and DLSR from the last SR the source sent (§6.4.1), from which it computes RTT.
// Sans-I/O: arrival times are passed in. One thread only.
class ReceiverStatistics {
 public:
  // §A.1: a jump ahead of more than kMaxDropout, or back by more than kMaxMisorder, is taken
  // as a restarted sender once a second packet continues from it; until then it is not counted.
  static constexpr std::uint32_t kMaxDropout = 3000;
  static constexpr std::uint32_t kMaxMisorder = 100;

  // clockRate is the RTP timestamp rate of the source's payload type (90000 for video).
  ReceiverStatistics(std::uint32_t ssrc, std::uint32_t clockRate);

  // An RTP packet of this source arrived at arrival (duplicates and late packets included;
  // they count as received, as §A.3 says, which can make the loss negative).
  void onPacket(std::uint16_t seq, std::uint32_t rtpTimestamp, base::SteadyTime arrival);
  // A Sender Report of this source arrived at arrival, carrying ntpTime.
  void onSenderReport(std::uint64_t ntpTime, base::SteadyTime arrival);

  // The report block for this source at now, or nullopt before its first packet. Starts a
  // new interval for the fraction lost, so call it once per report sent.
  std::optional<rtcp::ReportBlock> report(base::SteadyTime now);

  std::uint32_t ssrc() const { return ssrc_; }
  bool started() const { return started_; }
  std::uint32_t extendedHighestSeq() const { return cycles_ << 16 | maxSeq_; }
  std::uint32_t cycles() const { return cycles_; }  // times the sequence number wrapped
  std::int64_t expected() const;
  std::int64_t received() const { return received_; }
  std::int64_t cumulativeLost() const { return expected() - received_; }
  std::uint32_t jitter() const;  // in RTP timestamp units

 private:
  void restart(std::uint16_t seq);
  bool updateSequence(std::uint16_t seq);  // false: not counted (§A.1 update_seq)
  void updateJitter(std::uint32_t rtpTimestamp, base::SteadyTime arrival);

  std::uint32_t ssrc_;
  std::uint32_t clockRate_;
  bool started_ = false;
  std::uint16_t maxSeq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint32_t baseSeq_ = 0;
  std::optional<std::uint16_t> badSeq_;  // the sequence number that would confirm a restart
  std::int64_t received_ = 0;
  std::int64_t expectedPrior_ = 0;
  std::int64_t receivedPrior_ = 0;
  // Jitter (§A.8): arrival times in timestamp units count from the first arrival.
  base::SteadyTime firstArrival_{};
  std::optional<std::uint32_t> lastTransit_;
  std::uint64_t jitterQ4_ = 0;  // jitter * 16
  std::optional<std::uint32_t> lastSr_;
  base::SteadyTime lastSrArrival_{};
};

}  // namespace ocellus::rtp
