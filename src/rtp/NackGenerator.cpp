#include "rtp/NackGenerator.h"

#include <algorithm>

#include "base/SeqNum.h"

namespace ocellus::rtp {

NackGenerator::NackGenerator(Config config) : config_(config), rtt_(config.initialRtt) {}

void NackGenerator::onPacket(std::uint16_t seq, base::SteadyTime now) {
  if (!newest_) {
    newest_ = seq;
    return;
  }
  const std::int64_t extended = *newest_ + base::seqDiff(seq, static_cast<std::uint16_t>(*newest_));
  const std::int64_t ahead = extended - *newest_;
  if (ahead > 0) {
    restartSeq_.reset();
    if (static_cast<std::size_t>(ahead - 1) > config_.maxMissing) {  // beyond repair
      giveUp(missing_.size() + static_cast<std::size_t>(ahead - 1));
      restart(extended);
      return;
    }
    for (std::int64_t lost = *newest_ + 1; lost < extended; ++lost) missing_.emplace(lost, Missing{now});
    newest_ = extended;
    while (missing_.size() > config_.maxMissing) {
      missing_.erase(missing_.begin());
      giveUp(1);
    }
    return;
  }
  if (missing_.erase(extended) > 0) {
    ++recovered_;
    return;
  }
  if (ahead < -kMaxDropout) {
    // A restarted sender, once the packet after this one confirms it (RFC 3550 §A.1).
    if (restartSeq_ && seq == *restartSeq_) {
      giveUp(missing_.size());
      restart(extended);
    } else {
      restartSeq_ = static_cast<std::uint16_t>(seq + 1);
    }
  }
  // Otherwise a duplicate, or a late packet no longer missed.
}

std::vector<std::uint16_t> NackGenerator::onTimer(base::SteadyTime now) {
  std::vector<std::uint16_t> due;
  const auto interval = retryInterval();
  for (auto it = missing_.begin(); it != missing_.end();) {
    Missing& m = it->second;
    const bool tooOld = now - m.noticed > config_.maxAge;
    const bool lastChanceOver = m.requests >= config_.maxRetries && now - m.lastRequest >= interval;
    if (tooOld || lastChanceOver) {
      it = missing_.erase(it);
      giveUp(1);
      continue;
    }
    const bool ready =
        m.requests == 0 ? now - m.noticed >= config_.reorderDelay : now - m.lastRequest >= interval;
    if (ready && m.requests < config_.maxRetries && due.size() < config_.maxPerTick) {
      due.push_back(static_cast<std::uint16_t>(it->first));
      ++m.requests;
      m.lastRequest = now;
      ++requested_;
    }
    ++it;
  }
  return due;
}

void NackGenerator::restart(std::int64_t extended) {
  missing_.clear();
  restartSeq_.reset();
  newest_ = extended;
}

void NackGenerator::giveUp(std::size_t count) {
  if (count == 0) return;
  gaveUp_ += count;
  keyFrameNeeded_ = true;
}

std::chrono::steady_clock::duration NackGenerator::retryInterval() const {
  return std::max<std::chrono::steady_clock::duration>(rtt_, config_.minInterval);
}

}  // namespace ocellus::rtp
