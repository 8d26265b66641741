#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "base/Clock.h"

namespace ocellus::rtp {

// Receive side of RTP retransmission (RFC 4585 §6.2.1, RFC 4588) for one incoming SSRC, e.g.
// a WHIP publisher's video: notices gaps in the arriving sequence numbers and says, on each
// timer tick, which missing packets to ask for again in a generic NACK (rtcp::Nack::toItems
// turns the list into FCI entries).
//
// Each missing packet is asked for at most maxRetries times, spaced by the retry interval
// (the RTT, at least minInterval), first after reorderDelay, so that a packet that is merely
// late is not asked for. It is given up after maxAge, or one interval after its last request;
// a packet that arrives cancels its requests. Gaps too large to repair (more than maxMissing
// packets) are given up at once. Anything given up means the decoder will miss data, so it
// raises a key-frame request (send a PLI) that takeKeyFrameRequest() hands out once.
//
// Sans-I/O: times are passed in. One thread only.
class NackGenerator {
 public:
  struct Config {
    std::size_t maxRetries = 10;
    std::chrono::milliseconds initialRtt{100};  // until setRtt() is called
    std::chrono::milliseconds minInterval{20};
    std::chrono::milliseconds reorderDelay{5};
    std::chrono::milliseconds maxAge{1000};
    std::size_t maxMissing = 1000;  // packets tracked at once
    // Sequence numbers one tick returns at most, so that even with no two consecutive the NACK
    // (12 + 4 per entry bytes) fits a 1200-byte datagram with SRTCP's trailer. The rest wait.
    std::size_t maxPerTick = 250;
  };

  // RFC 3550 §A.1's bound: a jump back farther than this is a restarted sender once the next
  // packet follows it, not a late packet.
  static constexpr std::int32_t kMaxDropout = 3000;

  NackGenerator() : NackGenerator(Config{}) {}
  explicit NackGenerator(Config config);

  // A packet (original or retransmitted) arrived at now.
  void onPacket(std::uint16_t seq, base::SteadyTime now);
  // The round-trip time to the sender, e.g. from an RTCP report block's LSR/DLSR.
  void setRtt(std::chrono::milliseconds rtt) { rtt_ = rtt; }

  // The sequence numbers to NACK now, oldest first (in serial-number order, across 65535 -> 0).
  std::vector<std::uint16_t> onTimer(base::SteadyTime now);

  // True once after packets were given up: the caller should ask the sender for a key frame.
  bool takeKeyFrameRequest() { return std::exchange(keyFrameNeeded_, false); }

  std::size_t missingCount() const { return missing_.size(); }
  std::uint64_t requested() const { return requested_; }  // sequence numbers sent in NACKs
  std::uint64_t recovered() const { return recovered_; }  // missing packets that arrived later
  std::uint64_t gaveUp() const { return gaveUp_; }

 private:
  struct Missing {
    base::SteadyTime noticed;
    base::SteadyTime lastRequest{};
    std::size_t requests = 0;
  };

  void restart(std::int64_t extended);
  void giveUp(std::size_t count);
  std::chrono::steady_clock::duration retryInterval() const;

  Config config_;
  std::chrono::milliseconds rtt_;
  std::optional<std::int64_t> newest_;       // extended (unwrapped) sequence number
  std::optional<std::uint16_t> restartSeq_;  // the one that would confirm a jump back
  std::map<std::int64_t, Missing> missing_;  // by extended sequence number
  bool keyFrameNeeded_ = false;
  std::uint64_t requested_ = 0;
  std::uint64_t recovered_ = 0;
  std::uint64_t gaveUp_ = 0;
};

}  // namespace ocellus::rtp
