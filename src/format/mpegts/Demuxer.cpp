#include "format/mpegts/Demuxer.h"

#include <algorithm>

#include "codec/AnnexB.h"
#include "codec/h264/Nal.h"
#include "codec/h265/Nal.h"
#include "format/mpegts/Adts.h"
#include "format/mpegts/Pes.h"
#include "format/mpegts/Psi.h"

namespace ocellus::format::mpegts {
namespace {

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kPcrSize = 6;
constexpr std::uint8_t kStuffingTableId = 0xff;
constexpr std::size_t kCellHeaderSize = 5;  // metadata AU cell (H.222.0 §2.12.4)
constexpr std::int64_t kHalfModulus = static_cast<std::int64_t>(kTimestampModulus / 2);

enum class PidKind : std::uint8_t { Pat, Pmt, Es };

std::optional<Codec> codecOf(const Pmt::Stream& s) {
  switch (static_cast<StreamType>(s.streamType)) {
    case StreamType::H264: return Codec::H264;
    case StreamType::H265: return Codec::H265;
    case StreamType::AacAdts: return Codec::Aac;
    case StreamType::Metadata: return Codec::Klv;
    case StreamType::PrivateData:
      if (hasKlvaDescriptor(s.descriptors)) return Codec::Klv;
      return std::nullopt;
  }
  return std::nullopt;
}

// a * num / den rounded to nearest, for a of either sign.
std::int64_t rescale(std::int64_t a, std::int64_t num, std::int64_t den) {
  const std::int64_t p = a * num;
  return p >= 0 ? (p + den / 2) / den : -((-p + den / 2) / den);
}

bool assign(std::vector<std::uint8_t>& to, std::span<const std::uint8_t> from) {
  if (std::ranges::equal(to, from)) return false;
  to.assign(from.begin(), from.end());
  return true;
}

}  // namespace

struct Demuxer::PidState {
  std::uint16_t pid = 0;
  PidKind kind = PidKind::Es;
  std::optional<std::uint8_t> lastCc;
  // PSI: the section being assembled. ES: the PES being assembled.
  std::vector<std::uint8_t> buffer;
  bool collecting = false;
  std::size_t expectedSize = 0;  // whole PES size from PES_packet_length; 0 = unbounded
  Track track;                   // ES only
  std::optional<std::int64_t> nextAudioPts;
};

Demuxer::Demuxer(Callbacks callbacks) : callbacks_(std::move(callbacks)) {
  pending_.reserve(kPacketSize + 1);
  auto pat = std::make_unique<PidState>();
  pat->pid = kPatPid;
  pat->kind = PidKind::Pat;
  pids_.push_back(std::move(pat));
}

Demuxer::~Demuxer() = default;

std::vector<Track> Demuxer::tracks() const {
  std::vector<Track> out;
  for (const auto& s : pids_) {
    if (s->kind == PidKind::Es) out.push_back(s->track);
  }
  return out;
}

Demuxer::PidState* Demuxer::find(std::uint16_t pid) {
  for (auto& s : pids_) {
    if (s->pid == pid) return s.get();
  }
  return nullptr;
}

void Demuxer::feed(std::span<const std::uint8_t> bytes) {
  // Complete the partial packet left by the last call, a few bytes at a time.
  while (!pending_.empty()) {
    const std::size_t used = step(pending_);
    if (used > 0) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
      continue;
    }
    if (bytes.empty()) return;
    const std::size_t take = std::min(kPacketSize + 1 - pending_.size(), bytes.size());
    pending_.insert(pending_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
    bytes = bytes.subspan(take);
  }
  for (std::size_t used; !bytes.empty() && (used = step(bytes)) > 0;) bytes = bytes.subspan(used);
  pending_.assign(bytes.begin(), bytes.end());
}

std::size_t Demuxer::step(std::span<const std::uint8_t> data) {
  if (data[0] != kSyncByte) {
    const auto it = std::find(data.begin(), data.end(), kSyncByte);
    const auto skipped = static_cast<std::size_t>(it - data.begin());
    counters_.skippedBytes += skipped;
    synced_ = false;
    return skipped;
  }
  if (synced_) {
    if (data.size() < kPacketSize) return 0;
    // In sync, a 0x47 where a packet should start is taken as one without looking ahead:
    // waiting for the next sync byte would hold back the last packet of every datagram.
    handlePacket(data.first(kPacketSize));
    return kPacketSize;
  }
  // Out of sync: a candidate counts only when the next packet starts where it should.
  if (data.size() < kPacketSize + 1) return 0;
  if (data[kPacketSize] != kSyncByte) {
    ++counters_.skippedBytes;
    return 1;
  }
  synced_ = true;
  handlePacket(data.first(kPacketSize));
  return kPacketSize;
}

void Demuxer::flush() {
  for (auto& s : pids_) {
    if (s->kind == PidKind::Es && s->collecting) finishPes(*s);
  }
  pending_.clear();
}

void Demuxer::handlePacket(std::span<const std::uint8_t> p) {
  ++counters_.packets;
  if (p[1] & 0x80) {
    ++counters_.transportErrors;
    return;
  }
  const bool unitStart = (p[1] & 0x40) != 0;
  const auto pid = static_cast<std::uint16_t>(((p[1] & 0x1f) << 8) | p[2]);
  const std::uint8_t scrambling = p[3] >> 6;
  const std::uint8_t control = (p[3] >> 4) & 0x3;
  const std::uint8_t cc = p[3] & 0x0f;
  if (control == 0) return;  // reserved adaptation_field_control

  std::size_t offset = kHeaderSize;
  bool discontinuity = false;
  if (control & 0x2) {
    const std::size_t length = p[4];
    offset += 1 + length;
    if (offset > kPacketSize) return;  // adaptation_field_length beyond the packet
    if (length > 0) {
      const std::uint8_t flags = p[5];
      discontinuity = (flags & 0x80) != 0;
      if ((flags & 0x10) && length >= 1 + kPcrSize && pid == pcrPid_) {
        // program_clock_reference_base(33) reserved(6) extension(9) (§2.4.3.5).
        const auto b = p.subspan(6, kPcrSize);
        const std::uint64_t base = (std::uint64_t{b[0]} << 25) | (std::uint64_t{b[1]} << 17) |
                                   (std::uint64_t{b[2]} << 9) | (std::uint64_t{b[3]} << 1) | (b[4] >> 7);
        const std::uint64_t ext = ((std::uint64_t{b[4]} & 1) << 8) | b[5];
        lastPcr_ = base * 300 + ext;
      }
    }
  }
  PidState* s = find(pid);
  if (s == nullptr) return;
  const bool hasPayload = (control & 0x1) != 0;
  if (hasPayload) {
    if (s->lastCc && !discontinuity) {
      if (cc == *s->lastCc) {
        ++counters_.duplicates;
        return;
      }
      if (cc != ((*s->lastCc + 1) & 0x0f)) {
        ++counters_.continuityErrors;
        if (s->collecting) {
          if (s->kind == PidKind::Es) dropPes(*s);
          s->collecting = false;
          s->buffer.clear();
        }
      }
    }
    s->lastCc = cc;
  }
  if (!hasPayload || scrambling != 0) return;
  const auto payload = p.subspan(offset);
  if (s->kind == PidKind::Es) {
    esPayload(*s, payload, unitStart);
  } else {
    psiPayload(*s, payload, unitStart);
  }
}

void Demuxer::psiPayload(PidState& s, std::span<const std::uint8_t> payload, bool unitStart) {
  if (!unitStart) {
    if (s.collecting) sectionBytes(s, payload);
    return;
  }
  if (payload.empty()) return;
  const std::size_t pointer = payload[0];
  payload = payload.subspan(1);
  if (pointer > payload.size()) {
    ++counters_.badSections;
    s.collecting = false;
    return;
  }
  if (s.collecting) sectionBytes(s, payload.first(pointer));
  s.collecting = false;
  payload = payload.subspan(pointer);
  while (!payload.empty() && payload[0] != kStuffingTableId) {
    s.buffer.clear();
    s.collecting = true;
    payload = payload.subspan(sectionBytes(s, payload));
    if (s.collecting) break;  // continues in the next packet
  }
}

std::size_t Demuxer::sectionBytes(PidState& s, std::span<const std::uint8_t> bytes) {
  std::size_t used = 0;
  if (s.buffer.size() < 3) {
    used = std::min(3 - s.buffer.size(), bytes.size());
    s.buffer.insert(s.buffer.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(used));
    if (s.buffer.size() < 3) return used;
  }
  const std::size_t total = 3 + ((std::size_t{s.buffer[1] & 0x0fu} << 8) | s.buffer[2]);
  if (total > kMaxSectionSize) {
    ++counters_.badSections;
    s.collecting = false;
    return bytes.size();
  }
  const std::size_t take = std::min(total - s.buffer.size(), bytes.size() - used);
  s.buffer.insert(s.buffer.end(), bytes.begin() + static_cast<std::ptrdiff_t>(used),
                  bytes.begin() + static_cast<std::ptrdiff_t>(used + take));
  used += take;
  if (s.buffer.size() == total) {
    s.collecting = false;
    handleSection(s);
  }
  return used;
}

void Demuxer::handleSection(PidState& s) {
  const auto status = checkSection(s.buffer);
  if (!status) {
    ++(status.error().message.find("CRC") != std::string::npos ? counters_.badCrc : counters_.badSections);
    return;
  }
  if (s.kind == PidKind::Pat && s.buffer[0] == kPatTableId) applyPat(s.buffer);
  if (s.kind == PidKind::Pmt && s.buffer[0] == kPmtTableId) applyPmt(s.buffer);
}

void Demuxer::removeEsPids() {
  std::erase_if(pids_, [](const auto& s) { return s->kind == PidKind::Es; });
}

void Demuxer::applyPat(std::span<const std::uint8_t> section) {
  auto pat = Pat::parse(section);
  if (!pat) {
    ++counters_.badSections;
    return;
  }
  const auto program = std::ranges::find_if(pat->programs, [](const Pat::Program& p) { return p.number != 0; });
  if (program == pat->programs.end() || program->pid == kPatPid || program->pid == kNullPid) return;
  if (pmtPid_ == program->pid) return;
  // A new program: forget the old one (this runs on the PAT's state, which stays).
  std::erase_if(pids_, [](const auto& s) { return s->kind != PidKind::Pat; });
  pmtPid_ = program->pid;
  pmtVersion_.reset();
  pcrPid_ = kNullPid;
  auto pmt = std::make_unique<PidState>();
  pmt->pid = program->pid;
  pmt->kind = PidKind::Pmt;
  pids_.push_back(std::move(pmt));
}

void Demuxer::applyPmt(std::span<const std::uint8_t> section) {
  auto pmt = Pmt::parse(section);
  if (!pmt) {
    ++counters_.badSections;
    return;
  }
  if (pmtVersion_ == pmt->version) return;
  pmtVersion_ = pmt->version;
  pcrPid_ = pmt->pcrPid;

  // Keep the state of streams that stay (same PID and codec); this runs on the PMT's state,
  // which no stream may share.
  std::vector<std::unique_ptr<PidState>> kept;
  std::vector<PidState*> added;
  std::size_t count = 0;
  for (const auto& stream : pmt->streams) {
    const auto codec = codecOf(stream);
    if (!codec || stream.pid == kPatPid || stream.pid == *pmtPid_ || stream.pid == kNullPid) continue;
    const bool duplicate = std::ranges::any_of(kept, [&](const auto& k) { return k->pid == stream.pid; });
    if (duplicate) continue;
    if (++count > kMaxTracks) {
      ++counters_.droppedTracks;
      continue;
    }
    auto old = std::ranges::find_if(pids_, [&](const auto& s) {
      return s->kind == PidKind::Es && s->pid == stream.pid && s->track.codec == *codec &&
             s->track.streamType == stream.streamType;
    });
    if (old != pids_.end()) {
      kept.push_back(std::move(*old));
      continue;
    }
    auto s = std::make_unique<PidState>();
    s->pid = stream.pid;
    s->track.pid = stream.pid;
    s->track.codec = *codec;
    s->track.streamType = stream.streamType;
    s->track.synchronousKlv = stream.streamType == static_cast<std::uint8_t>(StreamType::Metadata);
    added.push_back(s.get());
    kept.push_back(std::move(s));
  }
  removeEsPids();
  for (auto& k : kept) pids_.push_back(std::move(k));
  for (PidState* s : added) {
    if (callbacks_.onTrack) callbacks_.onTrack(s->track);
  }
}

void Demuxer::dropPes(PidState& s) {
  ++counters_.droppedPes;
  s.collecting = false;
  s.buffer.clear();
}

void Demuxer::esPayload(PidState& s, std::span<const std::uint8_t> payload, bool unitStart) {
  if (unitStart) {
    if (s.collecting) finishPes(s);
    s.buffer.clear();
    s.collecting = true;
    s.expectedSize = 0;
  } else if (!s.collecting) {
    return;  // waiting for the start of a PES
  }
  if (s.buffer.size() + payload.size() > kMaxPesSize) {
    dropPes(s);
    return;
  }
  s.buffer.insert(s.buffer.end(), payload.begin(), payload.end());
  if (s.expectedSize == 0 && s.buffer.size() >= PesHeader::kFixedSize) {
    const std::size_t length = (std::size_t{s.buffer[4]} << 8) | s.buffer[5];
    if (length != 0) s.expectedSize = PesHeader::kFixedSize + length;
  }
  if (s.expectedSize != 0 && s.buffer.size() >= s.expectedSize) {
    s.buffer.resize(s.expectedSize);  // the rest of the packet is stuffing
    finishPes(s);
  }
}

std::int64_t Demuxer::unwrap(std::uint64_t ts) {
  if (!lastTimestamp_) {
    lastTimestamp_ = static_cast<std::int64_t>(ts);
    return *lastTimestamp_;
  }
  const auto mask = static_cast<std::int64_t>(kTimestampModulus - 1);
  std::int64_t diff = (static_cast<std::int64_t>(ts) - *lastTimestamp_) & mask;
  if (diff >= kHalfModulus) diff -= static_cast<std::int64_t>(kTimestampModulus);
  lastTimestamp_ = *lastTimestamp_ + diff;
  return *lastTimestamp_;
}

void Demuxer::finishPes(PidState& s) {
  s.collecting = false;
  auto header = PesHeader::parse(s.buffer);
  if (!header || (s.expectedSize != 0 && s.buffer.size() != s.expectedSize)) {
    dropPes(s);
    return;
  }
  Unit unit;
  unit.pid = s.pid;
  unit.codec = s.track.codec;
  if (header->pts) {
    unit.hasPts = true;
    // DTS first: it is the earlier of the two and keeps the reference moving forward.
    const std::int64_t dts = header->dts ? unwrap(*header->dts) : 0;
    unit.pts = unwrap(*header->pts);
    unit.dts = header->dts ? dts : unit.pts;
  }
  const auto payload = std::span<const std::uint8_t>(s.buffer).subspan(header->headerSize);
  switch (s.track.codec) {
    case Codec::H264:
    case Codec::H265: deliverVideo(s, unit, payload); break;
    case Codec::Aac: deliverAac(s, unit, payload); break;
    case Codec::Klv: deliverKlv(s, unit, payload); break;
  }
  s.buffer.clear();
}

void Demuxer::deliverVideo(PidState& s, const Unit& base, std::span<const std::uint8_t> payload) {
  const bool h264 = s.track.codec == Codec::H264;
  bool changed = false;
  bool keyframe = false;
  scratch_.clear();
  for (auto nal : codec::splitAnnexB(payload)) {
    if (h264) {
      const auto type = codec::h264::nalType(nal[0]);
      if (type == codec::h264::NalType::Aud) continue;
      if (type == codec::h264::NalType::Sps) changed |= assign(s.track.sps, nal);
      if (type == codec::h264::NalType::Pps) changed |= assign(s.track.pps, nal);
      keyframe |= type == codec::h264::NalType::Idr;
    } else {
      const auto type = codec::h265::nalType(nal[0]);
      if (type == codec::h265::NalType::Aud) continue;
      if (type == codec::h265::NalType::Vps) changed |= assign(s.track.vps, nal);
      if (type == codec::h265::NalType::Sps) changed |= assign(s.track.sps, nal);
      if (type == codec::h265::NalType::Pps) changed |= assign(s.track.pps, nal);
      keyframe |= codec::h265::isIrap(type);
    }
    codec::appendNal(nal, scratch_);
  }
  if (changed && callbacks_.onTrack) callbacks_.onTrack(s.track);
  if (scratch_.empty()) return;
  Unit unit = base;
  unit.keyframe = keyframe;
  unit.data = scratch_;
  if (callbacks_.onUnit) callbacks_.onUnit(unit);
}

void Demuxer::deliverAac(PidState& s, const Unit& base, std::span<const std::uint8_t> payload) {
  bool first = true;
  while (!payload.empty()) {
    auto adts = AdtsHeader::parse(payload);
    if (!adts) {
      ++counters_.badFrames;
      return;
    }
    const std::uint32_t rate = adts->config.sampleRate;
    if (s.track.aacConfig != adts->config) {
      s.track.aacConfig = adts->config;
      s.track.clockRate = rate;
      s.nextAudioPts.reset();
      if (callbacks_.onTrack) callbacks_.onTrack(s.track);
    }
    Unit unit = base;
    unit.keyframe = true;
    // The PES's PTS belongs to its first frame; the others follow by 1024 samples per block.
    if (first && base.hasPts) s.nextAudioPts = rescale(base.pts, rate, kSystemClock);
    first = false;
    unit.hasPts = s.nextAudioPts.has_value();
    unit.pts = unit.dts = s.nextAudioPts.value_or(0);
    if (s.nextAudioPts) *s.nextAudioPts += static_cast<std::int64_t>(AdtsHeader::kSamplesPerBlock * adts->rawBlocks);
    unit.data = payload.subspan(adts->headerSize, adts->frameSize - adts->headerSize);
    if (callbacks_.onUnit) callbacks_.onUnit(unit);
    payload = payload.subspan(adts->frameSize);
  }
}

void Demuxer::deliverKlv(PidState& s, const Unit& base, std::span<const std::uint8_t> payload) {
  Unit unit = base;
  unit.keyframe = true;
  if (!s.track.synchronousKlv) {
    unit.data = payload;
    if (callbacks_.onUnit) callbacks_.onUnit(unit);
    return;
  }
  // Metadata Access Unit cells (H.222.0 Table 2-97): service id(8) sequence(8)
  // fragment_indication(2) decoder_config_flag(1) random_access_indicator(1) reserved(4)
  // AU_cell_data_length(16), then the data.
  scratch_.clear();
  while (payload.size() >= kCellHeaderSize) {
    const std::size_t length = (std::size_t{payload[3]} << 8) | payload[4];
    if (kCellHeaderSize + length > payload.size()) break;
    const auto data = payload.subspan(kCellHeaderSize, length);
    scratch_.insert(scratch_.end(), data.begin(), data.end());
    payload = payload.subspan(kCellHeaderSize + length);
  }
  if (!payload.empty()) ++counters_.badFrames;
  if (scratch_.empty()) return;
  unit.data = scratch_;
  if (callbacks_.onUnit) callbacks_.onUnit(unit);
}

}  // namespace ocellus::format::mpegts
