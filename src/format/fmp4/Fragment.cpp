#include "format/fmp4/Fragment.h"

#include <fmt/format.h>

#include <optional>

#include "base/ByteReader.h"
#include "format/fmp4/Box.h"

namespace ocellus::format::fmp4 {
namespace {

using base::ErrorCode;

// tfhd flags (§8.8.7.1) and trun flags (§8.8.8.1).
constexpr std::uint32_t kTfhdBaseDataOffset = 0x000001;
constexpr std::uint32_t kTfhdSampleDescriptionIndex = 0x000002;
constexpr std::uint32_t kTfhdDefaultDuration = 0x000008;
constexpr std::uint32_t kTfhdDefaultSize = 0x000010;
constexpr std::uint32_t kTfhdDefaultFlags = 0x000020;
constexpr std::uint32_t kTfhdDefaultBaseIsMoof = 0x020000;
constexpr std::uint32_t kTrunDataOffset = 0x000001;
constexpr std::uint32_t kTrunFirstSampleFlags = 0x000004;
constexpr std::uint32_t kTrunDuration = 0x000100;
constexpr std::uint32_t kTrunSize = 0x000200;
constexpr std::uint32_t kTrunFlags = 0x000400;
constexpr std::uint32_t kTrunCtsOffset = 0x000800;
constexpr std::size_t kMdatHeaderSize = 8;

base::Error error(ErrorCode code, const std::string& what) { return base::makeError(code, "mp4 fragment: " + what); }

struct TrafDefaults {
  std::uint32_t duration = 0;
  std::uint32_t size = 0;
  std::uint32_t flags = 0;
};

// The bytes a fragment is parsed from: `bytes` start with (or contain) the moof, and sample
// offsets may reach up to `extent` >= bytes.size(). Past the bytes (an mdat not read) samples
// keep their timing and get empty data.
struct Input {
  std::span<const std::uint8_t> bytes;
  std::size_t extent = 0;
};

// One trun: appends its samples to `track`, taking their bytes from `in` at `cursor`.
base::Status readTrun(const Box& box, const Input& in, std::size_t base, const TrafDefaults& defaults,
                      std::size_t& cursor, Fragment::ParsedTrack& track) {
  auto full = readFullBox(box);
  if (!full) return full.error();
  base::ByteReader r(full->body);
  const auto count = r.u32();
  if (!count) return error(ErrorCode::Truncated, "trun cut short");
  if (track.samples.size() + *count > Fragment::kMaxSamplesPerTrack) {
    return error(ErrorCode::TooLarge, fmt::format("track {}: more than {} samples", track.trackId, Fragment::kMaxSamplesPerTrack));
  }
  if (full->flags & kTrunDataOffset) {
    const auto offset = r.u32();
    if (!offset) return error(ErrorCode::Truncated, "trun data_offset cut short");
    const std::int64_t at = static_cast<std::int64_t>(base) + static_cast<std::int32_t>(*offset);
    if (at < 0 || static_cast<std::uint64_t>(at) > in.extent) {
      return error(ErrorCode::Malformed, fmt::format("track {}: data_offset points outside the input", track.trackId));
    }
    cursor = static_cast<std::size_t>(at);
  }
  std::optional<std::uint32_t> firstFlags;
  if (full->flags & kTrunFirstSampleFlags) {
    firstFlags = r.u32();
    if (!firstFlags) return error(ErrorCode::Truncated, "trun first_sample_flags cut short");
  }
  // Each sample needs its fields in the box, so a count larger than that is a lie told early.
  const std::size_t perSample = 4 * (((full->flags & kTrunDuration) != 0) + ((full->flags & kTrunSize) != 0) +
                                     ((full->flags & kTrunFlags) != 0) + ((full->flags & kTrunCtsOffset) != 0));
  if (perSample != 0 && r.remaining() / perSample < *count) return error(ErrorCode::Truncated, "trun sample table cut short");
  for (std::uint32_t i = 0; i < *count; ++i) {
    Fragment::ParsedSample s;
    s.duration = full->flags & kTrunDuration ? *r.u32() : defaults.duration;
    const std::uint32_t size = full->flags & kTrunSize ? *r.u32() : defaults.size;
    s.flags = full->flags & kTrunFlags ? *r.u32() : (i == 0 && firstFlags ? *firstFlags : defaults.flags);
    if (full->flags & kTrunCtsOffset) {
      const std::uint32_t raw = *r.u32();
      // Version 0 offsets are unsigned; larger than INT32_MAX they are not a real stream's.
      if (full->version == 0 && raw > INT32_MAX) return error(ErrorCode::Malformed, "unsigned composition offset too large");
      s.ctsOffset = static_cast<std::int32_t>(raw);
    }
    if (size > in.extent - cursor) {
      return error(ErrorCode::Truncated, fmt::format("track {}: sample {} runs past the data", track.trackId,
                                                     track.samples.size()));
    }
    if (size <= in.bytes.size() && cursor <= in.bytes.size() - size) s.data = in.bytes.subspan(cursor, size);
    cursor += size;
    track.samples.push_back(s);
  }
  return {};
}

base::Status readTraf(const Box& traf, const Input& in, std::size_t moofStart, std::size_t& previousEnd, bool first,
                      Fragment::ParsedTrack& track) {
  auto tfhd = findFullBox(traf.payload, fourCc("tfhd"));
  if (!tfhd) return tfhd.error();
  base::ByteReader h(tfhd->body);
  const auto trackId = h.u32();
  if (!trackId) return error(ErrorCode::Truncated, "tfhd cut short");
  track.trackId = *trackId;
  std::size_t base = first || (tfhd->flags & kTfhdDefaultBaseIsMoof) ? moofStart : previousEnd;
  if (tfhd->flags & kTfhdBaseDataOffset) {
    const auto offset = h.u64();
    if (!offset) return error(ErrorCode::Truncated, "tfhd base_data_offset cut short");
    if (*offset > in.extent) return error(ErrorCode::Malformed, "tfhd base_data_offset points outside the input");
    base = static_cast<std::size_t>(*offset);
  }
  TrafDefaults defaults;
  if (tfhd->flags & kTfhdSampleDescriptionIndex && !h.skip(4)) return error(ErrorCode::Truncated, "tfhd cut short");
  if (tfhd->flags & kTfhdDefaultDuration) defaults.duration = h.u32().value_or(0);
  if (tfhd->flags & kTfhdDefaultSize) defaults.size = h.u32().value_or(0);
  if (tfhd->flags & kTfhdDefaultFlags) {
    const auto flags = h.u32();
    if (!flags) return error(ErrorCode::Truncated, "tfhd cut short");
    defaults.flags = *flags;
  }

  auto tfdt = findFullBox(traf.payload, fourCc("tfdt"));
  if (tfdt) {
    base::ByteReader t(tfdt->body);
    std::optional<std::uint64_t> time;
    if (tfdt->version == 1) {
      time = t.u64();
    } else if (const auto time32 = t.u32()) {
      time = *time32;
    }
    if (!time) return error(ErrorCode::Truncated, "tfdt cut short");
    track.baseDecodeTime = *time;
  } else if (tfdt.error().code != ErrorCode::NotFound) {
    return tfdt.error();
  }

  std::size_t cursor = base;
  BoxReader reader(traf.payload);
  while (true) {
    auto box = reader.next();
    if (!box) return box.error();
    if (!*box) break;
    if ((*box)->type == fourCc("trun")) OCELLUS_TRY(readTrun(**box, in, base, defaults, cursor, track));
  }
  previousEnd = cursor;
  return {};
}

// The moof's header boxes and trafs; `size` is what the fragment spans (moof, and its mdat).
base::Result<Fragment> parseMoofAt(const Box& moof, const Input& in, std::size_t size) {
  Fragment fragment;
  fragment.size = size;
  auto mfhd = findFullBox(moof.payload, fourCc("mfhd"));
  if (!mfhd) return mfhd.error();
  base::ByteReader m(mfhd->body);
  const auto sequence = m.u32();
  if (!sequence) return error(ErrorCode::Truncated, "mfhd cut short");
  fragment.sequenceNumber = *sequence;

  BoxReader trafs(moof.payload);
  std::size_t previousEnd = moof.offset;
  while (true) {
    auto box = trafs.next();
    if (!box) return box.error();
    if (!*box) break;
    if ((*box)->type != fourCc("traf")) continue;
    if (fragment.tracks.size() == Fragment::kMaxTracks) {
      return error(ErrorCode::TooLarge, fmt::format("more than {} trafs", Fragment::kMaxTracks));
    }
    Fragment::ParsedTrack track;
    OCELLUS_TRY(readTraf(**box, in, moof.offset, previousEnd, fragment.tracks.empty(), track));
    fragment.tracks.push_back(std::move(track));
  }
  if (fragment.tracks.empty()) return error(ErrorCode::Malformed, "moof has no traf");
  return fragment;
}

}  // namespace

base::Status Fragment::write(std::uint32_t sequenceNumber, std::span<const TrackRun> tracks, std::vector<std::uint8_t>& out) {
  if (tracks.empty() || tracks.size() > kMaxTracks) {
    return error(ErrorCode::InvalidArgument, fmt::format("{} tracks, want 1..{}", tracks.size(), kMaxTracks));
  }
  std::uint64_t mdatSize = kMdatHeaderSize;
  for (const auto& track : tracks) {
    if (track.samples.size() > kMaxSamplesPerTrack) {
      return error(ErrorCode::TooLarge, fmt::format("track {}: {} samples", track.trackId, track.samples.size()));
    }
    for (const auto& s : track.samples) mdatSize += s.data.size();
  }
  if (mdatSize > UINT32_MAX / 2) return error(ErrorCode::TooLarge, "mdat over 2 GiB");

  const std::size_t moofStart = out.size();
  BoxWriter b(out);
  auto& w = b.w();
  std::vector<std::size_t> offsetFields;
  offsetFields.reserve(tracks.size());
  b.open(fourCc("moof"));
  b.openFull(fourCc("mfhd"), 0, 0);
  w.u32(sequenceNumber);
  b.close();
  for (const auto& track : tracks) {
    b.open(fourCc("traf"));
    b.openFull(fourCc("tfhd"), 0, kTfhdDefaultBaseIsMoof);
    w.u32(track.trackId);
    b.close();
    b.openFull(fourCc("tfdt"), 1, 0);
    w.u64(track.baseDecodeTime);
    b.close();
    b.openFull(fourCc("trun"), 1, kTrunDataOffset | kTrunDuration | kTrunSize | kTrunFlags | kTrunCtsOffset);
    w.u32(static_cast<std::uint32_t>(track.samples.size()));
    offsetFields.push_back(out.size());
    w.u32(0);  // data_offset, patched below once the moof size is known
    for (const auto& s : track.samples) {
      w.u32(s.duration);
      w.u32(static_cast<std::uint32_t>(s.data.size()));
      w.u32(s.keyframe ? kSyncSampleFlags : kNonSyncSampleFlags);
      w.u32(static_cast<std::uint32_t>(s.ctsOffset));
    }
    b.close();
    b.close();
  }
  b.close();

  std::size_t dataOffset = out.size() - moofStart + kMdatHeaderSize;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    w.patchU32(offsetFields[i], static_cast<std::uint32_t>(dataOffset));
    for (const auto& s : tracks[i].samples) dataOffset += s.data.size();
  }
  out.reserve(out.size() + mdatSize);
  w.u32(static_cast<std::uint32_t>(mdatSize));
  w.u32(fourCc("mdat"));
  for (const auto& track : tracks) {
    for (const auto& s : track.samples) w.bytes(s.data);
  }
  return {};
}

base::Result<Fragment> Fragment::parse(std::span<const std::uint8_t> data) {
  BoxReader reader(data);
  std::optional<Box> moof;
  while (!moof) {
    auto box = reader.next();
    if (!box) return box.error();
    if (!*box) return error(ErrorCode::NotFound, "no moof box");
    if ((*box)->type == fourCc("moof")) moof = **box;
  }
  std::size_t size = moof->size;
  auto following = reader.next();
  if (following && *following && (*following)->type == fourCc("mdat")) size += (*following)->size;
  return parseMoofAt(*moof, Input{data, data.size()}, size);
}

base::Result<Fragment> Fragment::parseMoof(std::span<const std::uint8_t> moofBytes, std::uint64_t mdatSize) {
  BoxReader reader(moofBytes);
  auto moof = reader.next();
  if (!moof) return moof.error();
  if (!*moof || (*moof)->type != fourCc("moof")) return error(ErrorCode::NotFound, "input does not start with a moof box");
  if (mdatSize > SIZE_MAX - (*moof)->size) return error(ErrorCode::TooLarge, "mdat size out of range");
  const std::size_t extent = (*moof)->size + static_cast<std::size_t>(mdatSize);
  return parseMoofAt(**moof, Input{moofBytes.first((*moof)->size), extent}, extent);
}

}  // namespace ocellus::format::fmp4
