#include "format/mpegts/Muxer.h"

#include <algorithm>
#include <array>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "codec/h265/Nal.h"
#include "format/mpegts/Adts.h"
#include "format/mpegts/Pes.h"
#include "format/mpegts/Psi.h"

namespace ocellus::format::mpegts {
namespace {

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kPayloadSize = kPacketSize - kHeaderSize;
constexpr std::size_t kPcrSize = 6;
constexpr std::uint8_t kStuffingByte = 0xff;
constexpr std::array<std::uint8_t, 2> kH264Aud = {0x09, 0xf0};        // primary_pic_type 7: any
constexpr std::array<std::uint8_t, 3> kH265Aud = {0x46, 0x01, 0x50};  // type 35, pic_type 2: any

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("mpegts mux: ") + what);
}

std::int64_t rescale(std::int64_t a, std::int64_t num, std::int64_t den) {
  const std::int64_t p = a * num;
  return p >= 0 ? (p + den / 2) / den : -((-p + den / 2) / den);
}

std::uint64_t wrap(std::int64_t ts) {
  return static_cast<std::uint64_t>(ts) & (kTimestampModulus - 1);
}

}  // namespace

Muxer::Muxer(Options options, Output output) : options_(options), output_(std::move(output)) {
  if (options_.packetsPerBatch == 0) options_.packetsPerBatch = 1;
  out_.reserve(kPacketSize * options_.packetsPerBatch * 2);
}

Muxer::TrackState* Muxer::find(std::uint16_t pid) {
  for (auto& t : tracks_) {
    if (t.track.pid == pid) return &t;
  }
  return nullptr;
}

base::Result<std::uint16_t> Muxer::addTrack(const Track& track) {
  if (started_) return error(base::ErrorCode::InvalidState, "tracks must be added before the first write");
  if (tracks_.size() >= kMaxTracks) return error(base::ErrorCode::TooLarge, "more than kMaxTracks tracks");
  TrackState t;
  t.track = track;
  t.track.pid = static_cast<std::uint16_t>(options_.firstPid + tracks_.size());
  if (t.track.pid >= kNullPid || t.track.pid == options_.pmtPid) return error(base::ErrorCode::InvalidArgument, "PID out of range");
  switch (track.codec) {
    case Codec::H264:
      t.track.streamType = static_cast<std::uint8_t>(StreamType::H264);
      t.track.clockRate = kSystemClock;
      break;
    case Codec::H265:
      t.track.streamType = static_cast<std::uint8_t>(StreamType::H265);
      t.track.clockRate = kSystemClock;
      break;
    case Codec::Aac: {
      if (!track.aacConfig) return error(base::ErrorCode::InvalidArgument, "AAC track without config");
      std::vector<std::uint8_t> probe;
      OCELLUS_TRY(AdtsHeader::write(*track.aacConfig, 0, probe));
      t.track.streamType = static_cast<std::uint8_t>(StreamType::AacAdts);
      t.track.clockRate = track.aacConfig->sampleRate;
      break;
    }
    case Codec::Klv:
      t.track.streamType = static_cast<std::uint8_t>(StreamType::PrivateData);
      t.track.clockRate = kSystemClock;
      t.track.synchronousKlv = false;
      break;
  }
  // Parameter sets known up front go into the caches as if seen in a unit.
  std::vector<std::uint8_t> seed;
  for (const auto* ps : {&track.vps, &track.sps, &track.pps}) {
    if (!ps->empty()) codec::appendNal(*ps, seed);
  }
  if (track.codec == Codec::H264) t.h264.observe(seed);
  if (track.codec == Codec::H265) t.h265.observe(seed);
  const bool video = track.codec == Codec::H264 || track.codec == Codec::H265;
  if (pcrPid_ == kNullPid || (video && !std::ranges::any_of(tracks_, [](const TrackState& s) {
                                return s.track.codec == Codec::H264 || s.track.codec == Codec::H265;
                              }))) {
    pcrPid_ = t.track.pid;
  }
  tracks_.push_back(std::move(t));
  return tracks_.back().track.pid;
}

void Muxer::writeSection(std::uint16_t pid, std::uint8_t& cc, std::span<const std::uint8_t> section) {
  // Our sections are far below one packet: pointer_field 0, the section, 0xFF to the end.
  const std::size_t start = out_.size();
  out_.push_back(kSyncByte);
  out_.push_back(static_cast<std::uint8_t>(0x40 | (pid >> 8)));
  out_.push_back(static_cast<std::uint8_t>(pid));
  out_.push_back(static_cast<std::uint8_t>(0x10 | cc));
  cc = (cc + 1) & 0x0f;
  out_.push_back(0);
  out_.insert(out_.end(), section.begin(), section.end());
  out_.resize(start + kPacketSize, kStuffingByte);
}

void Muxer::writePsi() {
  Pat pat;
  pat.transportStreamId = options_.transportStreamId;
  pat.programs.push_back({options_.programNumber, options_.pmtPid});
  writeSection(kPatPid, patCc_, pat.serialize());

  Pmt pmt;
  pmt.programNumber = options_.programNumber;
  pmt.pcrPid = pcrPid_;
  for (const auto& t : tracks_) {
    Pmt::Stream s;
    s.streamType = t.track.streamType;
    s.pid = t.track.pid;
    if (t.track.codec == Codec::Klv) {
      s.descriptors = {kRegistrationDescriptor, 4, 'K', 'L', 'V', 'A'};
    }
    pmt.streams.push_back(std::move(s));
  }
  writeSection(options_.pmtPid, pmtCc_, pmt.serialize());
}

base::Status Muxer::write(const Unit& unit) {
  TrackState* t = find(unit.pid);
  if (t == nullptr) return error(base::ErrorCode::NotFound, "no track on this PID");
  if (tracks_.empty()) return error(base::ErrorCode::InvalidState, "no tracks");
  started_ = true;
  const Codec codec = t->track.codec;
  const bool video = codec == Codec::H264 || codec == Codec::H265;
  const std::uint32_t rate = t->track.clockRate;
  const std::int64_t pts = rescale(unit.pts, kSystemClock, rate);
  const std::int64_t dts = rescale(unit.hasPts ? unit.dts : unit.pts, kSystemClock, rate);
  if (unit.hasPts) lastTime_ = dts;

  const bool keyframe = video && unit.keyframe;
  if (!lastPsiTime_ || keyframe || lastTime_ - *lastPsiTime_ >= options_.psiInterval || lastTime_ < *lastPsiTime_) {
    writePsi();
    lastPsiTime_ = lastTime_;
  }

  // The elementary stream bytes.
  std::span<const std::uint8_t> payload = unit.data;
  std::uint8_t streamId = PesHeader::kPrivateStream1;
  if (video) {
    const codec::NalUnits nals(unit.data);
    if (!nals.valid()) return error(base::ErrorCode::Malformed, "video unit not in canonical form");
    std::optional<std::vector<std::uint8_t>> completed;
    if (codec == Codec::H264) {
      t->h264.observe(unit.data);
      if (keyframe) completed = t->h264.complete(unit.data);
    } else {
      t->h265.observe(unit.data);
      if (keyframe) completed = t->h265.complete(unit.data);
    }
    annexB_.clear();
    if (codec == Codec::H264) {
      codec::appendAnnexB(kH264Aud, annexB_);
    } else {
      codec::appendAnnexB(kH265Aud, annexB_);
    }
    for (auto nal : codec::NalUnits(completed ? std::span<const std::uint8_t>(*completed) : unit.data)) {
      const bool aud = codec == Codec::H264 ? codec::h264::nalType(nal[0]) == codec::h264::NalType::Aud
                                            : codec::h265::nalType(nal[0]) == codec::h265::NalType::Aud;
      if (!aud) codec::appendAnnexB(nal, annexB_);
    }
    payload = annexB_;
    streamId = PesHeader::kVideoStreamId;
  } else if (codec == Codec::Aac) {
    annexB_.clear();
    OCELLUS_TRY(AdtsHeader::write(*t->track.aacConfig, unit.data.size(), annexB_));
    annexB_.insert(annexB_.end(), unit.data.begin(), unit.data.end());
    payload = annexB_;
    streamId = PesHeader::kAudioStreamId;
  }

  constexpr std::size_t kMaxBoundedPes = 0xffff;
  if (!video && payload.size() + 3 + 10 > kMaxBoundedPes) return error(base::ErrorCode::TooLarge, "PES over 64 KiB");
  pes_.clear();
  const auto ptsField = unit.hasPts ? std::optional<std::uint64_t>(wrap(pts)) : std::nullopt;
  const auto dtsField = unit.hasPts && video && dts != pts ? std::optional<std::uint64_t>(wrap(dts)) : std::nullopt;
  PesHeader::write(streamId, payload.size(), ptsField, dtsField, pes_);
  pes_.insert(pes_.end(), payload.begin(), payload.end());

  std::optional<std::uint64_t> pcr;
  if (t->track.pid == pcrPid_) pcr = wrap(std::max<std::int64_t>(0, lastTime_ - options_.pcrDelay)) * 300;
  packetize(*t, pes_, pcr, keyframe || (!video && codec == Codec::Aac));
  emitFullBatches();
  return {};
}

void Muxer::packetize(TrackState& t, std::span<const std::uint8_t> pes, std::optional<std::uint64_t> pcr,
                      bool randomAccess) {
  const std::uint16_t pid = t.track.pid;
  bool first = true;
  while (!pes.empty()) {
    const std::size_t start = out_.size();
    out_.push_back(kSyncByte);
    out_.push_back(static_cast<std::uint8_t>((first ? 0x40 : 0) | (pid >> 8)));
    out_.push_back(static_cast<std::uint8_t>(pid));
    out_.push_back(0);  // adaptation_field_control and continuity_counter below

    // Adaptation field (§2.4.3.4): length byte, flags, [PCR], stuffing.
    const bool flags = first && (pcr || randomAccess);
    std::size_t afSize = flags ? 2 + (pcr ? kPcrSize : 0) : 0;
    if (pes.size() < kPayloadSize - afSize) afSize = kPayloadSize - pes.size();  // stuffing
    if (afSize > 0) {
      out_.push_back(static_cast<std::uint8_t>(afSize - 1));
      if (afSize > 1) {
        std::uint8_t f = 0;
        if (flags && randomAccess) f |= 0x40;
        if (flags && pcr) f |= 0x10;
        out_.push_back(f);
        if (flags && pcr) {
          const std::uint64_t base = *pcr / 300;
          const std::uint64_t ext = *pcr % 300;
          out_.push_back(static_cast<std::uint8_t>(base >> 25));
          out_.push_back(static_cast<std::uint8_t>(base >> 17));
          out_.push_back(static_cast<std::uint8_t>(base >> 9));
          out_.push_back(static_cast<std::uint8_t>(base >> 1));
          out_.push_back(static_cast<std::uint8_t>(((base & 1) << 7) | 0x7e | (ext >> 8)));
          out_.push_back(static_cast<std::uint8_t>(ext));
        }
        out_.resize(start + kHeaderSize + afSize, kStuffingByte);
      }
    }
    out_[start + 3] = static_cast<std::uint8_t>((afSize > 0 ? 0x30 : 0x10) | t.cc);
    t.cc = (t.cc + 1) & 0x0f;
    const std::size_t take = kPayloadSize - afSize;
    out_.insert(out_.end(), pes.begin(), pes.begin() + static_cast<std::ptrdiff_t>(take));
    pes = pes.subspan(take);
    first = false;
  }
}

void Muxer::emitFullBatches() {
  const std::size_t batch = kPacketSize * options_.packetsPerBatch;
  std::size_t offset = 0;
  for (; out_.size() - offset >= batch; offset += batch) {
    if (output_) output_(std::span<const std::uint8_t>(out_).subspan(offset, batch));
  }
  out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(offset));
}

void Muxer::flush() {
  if (!out_.empty() && output_) output_(out_);
  out_.clear();
}

}  // namespace ocellus::format::mpegts
