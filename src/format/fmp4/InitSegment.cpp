#include "format/fmp4/InitSegment.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "base/ByteReader.h"
#include "codec/opus/Toc.h"

namespace ocellus::format::fmp4 {
namespace {

using base::ErrorCode;

constexpr std::array<FourCc, 3> kCompatibleBrands = {fourCc("iso6"), fourCc("cmfc"), fourCc("isom")};
constexpr std::uint32_t kUnityMatrix[9] = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
constexpr std::uint16_t kLanguageUnd = 0x55c4;  // ISO 639-2 "und", three 5-bit letters (§8.4.2.3)
constexpr std::uint32_t kTrackEnabledInMovie = 0x000003;
constexpr std::uint32_t kDrefSelfContained = 0x000001;
constexpr std::size_t kVisualEntryFixed = 78;  // SampleEntry(8) + VisualSampleEntry fields (§12.1.3)
constexpr std::size_t kAudioEntryFixed = 28;   // SampleEntry(8) + AudioSampleEntry fields (§12.2.3)
constexpr std::size_t kSampleEntryFixed = 8;   // reserved(6), data_reference_index (§8.5.2.2)
constexpr std::uint8_t kEsDescriptorTag = 0x03;
constexpr std::uint8_t kDecoderConfigTag = 0x04;
constexpr std::uint8_t kDecoderSpecificInfoTag = 0x05;
constexpr std::uint8_t kSlConfigTag = 0x06;
constexpr std::uint8_t kObjectTypeAudioIso14496_3 = 0x40;  // ISO/IEC 14496-1 Table 5
constexpr std::uint8_t kStreamTypeAudio = 0x05;
constexpr std::size_t kMaxOpusStereoChannels = 2;
constexpr std::size_t kMaxBrands = 16;  // mapping family 0 (RFC 7845 §5.1.1.1)

base::Error error(ErrorCode code, const std::string& what) { return base::makeError(code, "mp4 init: " + what); }

// ---- writing ----

// The hdlr box of a track (§8.4.3; a timed-metadata track's is 'meta', §12.3.1).
void writeHandler(BoxWriter& b, codec::MediaKind kind) {
  FourCc type = fourCc("meta");
  std::string_view name = "KLV";
  if (kind == codec::MediaKind::Video) {
    type = fourCc("vide");
    name = "VideoHandler";
  } else if (kind == codec::MediaKind::Audio) {
    type = fourCc("soun");
    name = "SoundHandler";
  }
  auto& w = b.w();
  b.openFull(fourCc("hdlr"), 0, 0);
  w.u32(0);  // pre_defined
  w.u32(type);
  for (int i = 0; i < 3; ++i) w.u32(0);
  w.text(name);
  w.u8(0);
  b.close();
}

// The media header that opens minf (§8.4.5): vmhd, smhd, or the null header of a metadata track.
void writeMediaHeader(BoxWriter& b, codec::MediaKind kind) {
  auto& w = b.w();
  switch (kind) {
    case codec::MediaKind::Video:
      b.openFull(fourCc("vmhd"), 0, 1);
      w.u16(0);  // graphicsmode copy
      for (int i = 0; i < 3; ++i) w.u16(0);
      break;
    case codec::MediaKind::Audio:
      b.openFull(fourCc("smhd"), 0, 0);
      w.u16(0);  // balance
      w.u16(0);
      break;
    case codec::MediaKind::Data:
      b.openFull(fourCc("nmhd"), 0, 0);
      break;
  }
  b.close();
}

void writeMatrix(base::ByteWriter& w) {
  for (const auto v : kUnityMatrix) w.u32(v);
}

// An ES descriptor's length in the 4-byte expandable form (ISO/IEC 14496-1 §8.3.3), which every
// reader accepts and keeps offsets fixed.
void descriptorHeader(base::ByteWriter& w, std::uint8_t tag, std::size_t length) {
  w.u8(tag);
  for (int shift = 21; shift > 0; shift -= 7) w.u8(static_cast<std::uint8_t>(0x80 | ((length >> shift) & 0x7f)));
  w.u8(static_cast<std::uint8_t>(length & 0x7f));
}

void writeEsds(BoxWriter& b, const TrackConfig& t) {
  constexpr std::size_t kDescHeader = 5;
  const std::size_t asc = t.decoderConfig.size();
  const std::size_t decoderConfigLength = 13 + kDescHeader + asc;
  const std::size_t esLength = 3 + kDescHeader + decoderConfigLength + kDescHeader + 1;
  b.openFull(fourCc("esds"), 0, 0);
  auto& w = b.w();
  descriptorHeader(w, kEsDescriptorTag, esLength);
  w.u16(0);  // ES_ID
  w.u8(0);   // no dependence, URL or OCR stream
  descriptorHeader(w, kDecoderConfigTag, decoderConfigLength);
  w.u8(kObjectTypeAudioIso14496_3);
  w.u8(static_cast<std::uint8_t>(kStreamTypeAudio << 2 | 0x01));  // upStream 0, reserved 1
  w.u24(0);                                                        // bufferSizeDB
  w.u32(0);                                                        // maxBitrate
  w.u32(0);                                                        // avgBitrate
  descriptorHeader(w, kDecoderSpecificInfoTag, asc);
  w.bytes(t.decoderConfig);
  descriptorHeader(w, kSlConfigTag, 1);
  w.u8(0x02);  // predefined: reserved for MP4 files
  b.close();
}

// The sample entry and decoder configuration box of a video codec: ISO/IEC 14496-15 (avc1/avcC,
// hvc1/hvcC), AV1 Codec ISO Media File Format Binding §2.2–2.3 (av01/av1C).
struct VideoBoxes {
  FourCc entry;
  FourCc config;
};
constexpr std::array<std::pair<codec::CodecId, VideoBoxes>, 3> kVideoBoxes = {{
    {codec::CodecId::H264, {fourCc("avc1"), fourCc("avcC")}},
    {codec::CodecId::H265, {fourCc("hvc1"), fourCc("hvcC")}},
    {codec::CodecId::AV1, {fourCc("av01"), fourCc("av1C")}},
}};

const VideoBoxes* videoBoxes(codec::CodecId codec) {
  for (const auto& [id, boxes] : kVideoBoxes) {
    if (id == codec) return &boxes;
  }
  return nullptr;
}

void writeSampleEntry(BoxWriter& b, const TrackConfig& t) {
  auto& w = b.w();
  const auto sampleEntryHeader = [&w] {
    for (int i = 0; i < 6; ++i) w.u8(0);  // reserved
    w.u16(1);                             // data_reference_index
  };
  switch (t.codec) {
    case codec::CodecId::H264:
    case codec::CodecId::H265:
    case codec::CodecId::AV1: {
      const VideoBoxes& boxes = *videoBoxes(t.codec);
      b.open(boxes.entry);
      sampleEntryHeader();
      w.u16(0);  // pre_defined
      w.u16(0);  // reserved
      for (int i = 0; i < 3; ++i) w.u32(0);
      w.u16(t.width);
      w.u16(t.height);
      w.u32(0x00480000);  // 72 dpi
      w.u32(0x00480000);
      w.u32(0);
      w.u16(1);  // frame_count
      for (int i = 0; i < 32; ++i) w.u8(0);  // compressorname
      w.u16(0x0018);                          // depth
      w.u16(0xffff);                          // pre_defined -1
      b.open(boxes.config);
      w.bytes(t.decoderConfig);
      b.close();
      b.close();
      return;
    }
    case codec::CodecId::AAC:
    case codec::CodecId::Opus: {
      const bool aac = t.codec == codec::CodecId::AAC;
      b.open(aac ? fourCc("mp4a") : fourCc("Opus"));
      sampleEntryHeader();
      w.u32(0);
      w.u32(0);
      w.u16(t.channels);
      w.u16(16);  // samplesize
      w.u16(0);
      w.u16(0);
      const std::uint32_t rate = aac ? t.sampleRate : codec::opus::kSampleRate;
      w.u32(rate <= 0xffff ? rate << 16 : 0);
      if (aac) {
        writeEsds(b, t);
      } else {
        b.open(fourCc("dOps"));  // Opus in ISOBMFF §4.3.2
        w.u8(0);                 // Version
        w.u8(static_cast<std::uint8_t>(t.channels));
        w.u16(t.opusPreSkip);
        w.u32(t.sampleRate);
        w.u16(0);  // OutputGain
        w.u8(0);   // ChannelMappingFamily
        b.close();
      }
      b.close();
      return;
    }
    case codec::CodecId::KLV:
      b.open(fourCc("urim"));  // URIMetaSampleEntry (§12.3.3.2)
      sampleEntryHeader();
      b.openFull(fourCc("uri "), 0, 0);
      w.text(InitSegment::kKlvUri);
      w.u8(0);
      b.close();
      b.close();
      return;
    default:
      return;
  }
}

base::Status check(std::span<const TrackConfig> tracks) {
  if (tracks.empty() || tracks.size() > InitSegment::kMaxTracks) {
    return error(ErrorCode::InvalidArgument, fmt::format("{} tracks, want 1..{}", tracks.size(), InitSegment::kMaxTracks));
  }
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const TrackConfig& t = tracks[i];
    if (t.id == 0) return error(ErrorCode::InvalidArgument, "track_ID 0");
    for (std::size_t j = 0; j < i; ++j) {
      if (tracks[j].id == t.id) return error(ErrorCode::InvalidArgument, fmt::format("track_ID {} twice", t.id));
    }
    if (t.timescale == 0) return error(ErrorCode::InvalidArgument, fmt::format("track {}: timescale 0", t.id));
    switch (t.codec) {
      case codec::CodecId::H264:
      case codec::CodecId::H265:
      case codec::CodecId::AV1:
      case codec::CodecId::AAC:
        if (t.decoderConfig.empty() || t.decoderConfig.size() > 0xffff) {
          return error(ErrorCode::InvalidArgument, fmt::format("track {}: decoder configuration missing or too large", t.id));
        }
        break;
      case codec::CodecId::Opus:
        if (t.channels == 0 || t.channels > kMaxOpusStereoChannels) {
          return error(ErrorCode::Unsupported, fmt::format("track {}: Opus with {} channels", t.id, t.channels));
        }
        break;
      case codec::CodecId::KLV:
        break;
      default:
        return error(ErrorCode::Unsupported,
                     fmt::format("track {}: codec {} has no MP4 sample entry here", t.id, codec::codecName(t.codec)));
    }
  }
  if (std::ranges::none_of(tracks, [](const TrackConfig& t) { return codec::mediaKind(t.codec) != codec::MediaKind::Data; })) {
    return error(ErrorCode::InvalidArgument, "metadata tracks without an audio or video track");
  }
  return {};
}

// ---- reading ----

base::Result<Box> child(std::span<const std::uint8_t> payload, FourCc type, const char* where) {
  auto box = findBox(payload, type);
  if (!box && box.error().code == ErrorCode::NotFound) {
    return error(ErrorCode::Malformed, fmt::format("{} has no '{}'", where, fourCcText(type)));
  }
  return box;
}

// An ES descriptor header: tag and an expandable length of at most four bytes.
base::Result<std::span<const std::uint8_t>> readDescriptor(base::ByteReader& r, std::uint8_t tag) {
  const auto got = r.u8();
  if (!got) return error(ErrorCode::Truncated, "esds ends before a descriptor");
  if (*got != tag) return error(ErrorCode::Malformed, fmt::format("esds: descriptor tag {} where {} belongs", *got, tag));
  std::size_t length = 0;
  for (int i = 0;; ++i) {
    const auto b = r.u8();
    if (!b) return error(ErrorCode::Truncated, "esds: descriptor length cut short");
    length = length << 7 | (*b & 0x7f);
    if (!(*b & 0x80)) break;
    if (i == 3) return error(ErrorCode::Malformed, "esds: descriptor length over four bytes");
  }
  const auto body = r.bytes(length);
  if (!body) return error(ErrorCode::Truncated, "esds: descriptor runs past the box");
  return *body;
}

// The AudioSpecificConfig inside esds (ISO/IEC 14496-1 §7.2.6.5, §7.2.6.6).
base::Result<std::vector<std::uint8_t>> readEsds(const Box& esds) {
  auto full = readFullBox(esds);
  if (!full) return full.error();
  base::ByteReader r(full->body);
  auto es = readDescriptor(r, kEsDescriptorTag);
  if (!es) return es.error();
  base::ByteReader e(*es);
  const bool hasEsId = e.skip(2);
  const auto flags = e.u8();
  if (!hasEsId || !flags) return error(ErrorCode::Truncated, "esds: ES_Descriptor cut short");
  if (*flags & 0x80 && !e.skip(2)) return error(ErrorCode::Truncated, "esds: dependsOn_ES_ID cut short");
  if (*flags & 0x40) {
    const auto urlLength = e.u8();
    if (!urlLength || !e.skip(*urlLength)) return error(ErrorCode::Truncated, "esds: URL cut short");
  }
  if (*flags & 0x20 && !e.skip(2)) return error(ErrorCode::Truncated, "esds: OCR_ES_Id cut short");
  auto dc = readDescriptor(e, kDecoderConfigTag);
  if (!dc) return dc.error();
  base::ByteReader d(*dc);
  const auto objectType = d.u8();
  if (!objectType || !d.skip(12)) return error(ErrorCode::Truncated, "esds: DecoderConfigDescriptor cut short");
  if (*objectType != kObjectTypeAudioIso14496_3) {
    return error(ErrorCode::Unsupported, fmt::format("esds: objectTypeIndication 0x{:02x} is not MPEG-4 audio", *objectType));
  }
  auto info = readDescriptor(d, kDecoderSpecificInfoTag);
  if (!info) return info.error();
  if (info->empty()) return error(ErrorCode::Malformed, "esds: empty AudioSpecificConfig");
  return std::vector<std::uint8_t>(info->begin(), info->end());
}

base::Status readSampleEntry(const Box& entry, TrackConfig& t) {
  const FourCc type = entry.type;
  // avc3 and hev1 are avc1 and hvc1 whose parameter sets may also come in-band.
  const FourCc entryType = type == fourCc("avc3") ? fourCc("avc1") : type == fourCc("hev1") ? fourCc("hvc1") : type;
  const auto video = std::ranges::find_if(kVideoBoxes, [entryType](const auto& v) { return v.second.entry == entryType; });
  if (video != kVideoBoxes.end()) {
    t.codec = video->first;
    if (entry.payload.size() < kVisualEntryFixed) return error(ErrorCode::Truncated, "visual sample entry cut short");
    base::ByteReader r(entry.payload.subspan(24));  // SampleEntry, pre_defined, reserved, pre_defined[3]
    t.width = *r.u16();
    t.height = *r.u16();
    auto config = child(entry.payload.subspan(kVisualEntryFixed), video->second.config, "the video sample entry");
    if (!config) return config.error();
    t.decoderConfig.assign(config->payload.begin(), config->payload.end());
    return {};
  }
  if (type == fourCc("mp4a") || type == fourCc("Opus")) {
    if (entry.payload.size() < kAudioEntryFixed) return error(ErrorCode::Truncated, "audio sample entry cut short");
    base::ByteReader r(entry.payload.subspan(16));
    t.channels = *r.u16();
    r.skip(6);
    const std::uint32_t rate = *r.u32() >> 16;
    const auto children = entry.payload.subspan(kAudioEntryFixed);
    if (type == fourCc("mp4a")) {
      t.codec = codec::CodecId::AAC;
      t.sampleRate = rate;
      auto esds = child(children, fourCc("esds"), "the mp4a sample entry");
      if (!esds) return esds.error();
      auto asc = readEsds(*esds);
      if (!asc) return asc.error();
      t.decoderConfig = std::move(*asc);
      return {};
    }
    t.codec = codec::CodecId::Opus;
    auto dops = child(children, fourCc("dOps"), "the Opus sample entry");
    if (!dops) return dops.error();
    base::ByteReader d(dops->payload);
    const auto version = d.u8();
    const auto channels = d.u8();
    const auto preSkip = d.u16();
    const auto inputRate = d.u32();
    if (!d.skip(3)) return error(ErrorCode::Truncated, "dOps cut short");
    if (*version != 0) return error(ErrorCode::Unsupported, fmt::format("dOps version {}", *version));
    t.channels = *channels;
    t.opusPreSkip = *preSkip;
    t.sampleRate = *inputRate;
    return {};
  }
  if (type == fourCc("urim")) {
    if (entry.payload.size() < kSampleEntryFixed) return error(ErrorCode::Truncated, "urim sample entry cut short");
    auto uri = child(entry.payload.subspan(kSampleEntryFixed), fourCc("uri "), "the urim sample entry");
    if (!uri) return uri.error();
    auto full = readFullBox(*uri);
    if (!full) return full.error();
    const std::string_view text(reinterpret_cast<const char*>(full->body.data()), full->body.size());
    const std::string_view value = text.substr(0, text.find('\0'));
    if (value != InitSegment::kKlvUri) return error(ErrorCode::Unsupported, fmt::format("urim for '{}'", value));
    t.codec = codec::CodecId::KLV;
    return {};
  }
  return error(ErrorCode::Unsupported, fmt::format("sample entry '{}'", fourCcText(type)));
}

base::Result<TrackConfig> readTrak(const Box& trak) {
  TrackConfig t;
  auto tkhd = child(trak.payload, fourCc("tkhd"), "trak");
  if (!tkhd) return tkhd.error();
  auto tkhdFull = readFullBox(*tkhd);
  if (!tkhdFull) return tkhdFull.error();
  base::ByteReader th(tkhdFull->body);
  if (!th.skip(tkhdFull->version == 1 ? 16 : 8)) return error(ErrorCode::Truncated, "tkhd cut short");
  const auto id = th.u32();
  if (!id) return error(ErrorCode::Truncated, "tkhd cut short");
  if (*id == 0) return error(ErrorCode::Malformed, "track_ID 0");
  t.id = *id;

  auto mdia = child(trak.payload, fourCc("mdia"), "trak");
  if (!mdia) return mdia.error();
  auto mdhd = child(mdia->payload, fourCc("mdhd"), "mdia");
  if (!mdhd) return mdhd.error();
  auto mdhdFull = readFullBox(*mdhd);
  if (!mdhdFull) return mdhdFull.error();
  base::ByteReader mh(mdhdFull->body);
  if (!mh.skip(mdhdFull->version == 1 ? 16 : 8)) return error(ErrorCode::Truncated, "mdhd cut short");
  const auto timescale = mh.u32();
  if (!timescale) return error(ErrorCode::Truncated, "mdhd cut short");
  if (*timescale == 0) return error(ErrorCode::Malformed, fmt::format("track {}: timescale 0", t.id));
  t.timescale = *timescale;

  auto minf = child(mdia->payload, fourCc("minf"), "mdia");
  if (!minf) return minf.error();
  auto stbl = child(minf->payload, fourCc("stbl"), "minf");
  if (!stbl) return stbl.error();
  auto stsd = child(stbl->payload, fourCc("stsd"), "stbl");
  if (!stsd) return stsd.error();
  auto stsdFull = readFullBox(*stsd);
  if (!stsdFull) return stsdFull.error();
  base::ByteReader sd(stsdFull->body);
  const auto entries = sd.u32();
  if (!entries) return error(ErrorCode::Truncated, "stsd cut short");
  if (*entries == 0) return error(ErrorCode::Malformed, fmt::format("track {}: stsd has no sample entry", t.id));
  BoxReader entryReader(sd.rest());
  auto entry = entryReader.next();
  if (!entry) return entry.error();
  if (!*entry) return error(ErrorCode::Truncated, "stsd ends before its sample entry");
  OCELLUS_TRY(readSampleEntry(**entry, t));
  return t;
}

}  // namespace

base::Result<std::vector<std::uint8_t>> InitSegment::write(std::span<const TrackConfig> tracks) {
  OCELLUS_TRY(check(tracks));
  std::vector<std::uint8_t> out;
  BoxWriter b(out);
  auto& w = b.w();

  b.open(fourCc("ftyp"));
  w.u32(kCompatibleBrands[0]);
  w.u32(0);  // minor_version
  for (const auto brand : kCompatibleBrands) w.u32(brand);
  b.close();

  b.open(fourCc("moov"));
  b.openFull(fourCc("mvhd"), 0, 0);
  w.u32(0);  // creation_time
  w.u32(0);  // modification_time
  w.u32(kMovieTimescale);
  w.u32(0);           // duration: unknown, the fragments carry the media
  w.u32(0x00010000);  // rate 1.0
  w.u16(0x0100);      // volume 1.0
  w.u16(0);
  w.u32(0);
  w.u32(0);
  writeMatrix(w);
  for (int i = 0; i < 6; ++i) w.u32(0);  // pre_defined
  std::uint32_t nextId = 0;
  for (const auto& t : tracks) nextId = std::max(nextId, t.id);
  w.u32(nextId + 1);
  b.close();

  for (const auto& t : tracks) {
    const codec::MediaKind kind = codec::mediaKind(t.codec);
    const bool video = kind == codec::MediaKind::Video;
    b.open(fourCc("trak"));
    b.openFull(fourCc("tkhd"), 0, kTrackEnabledInMovie);
    w.u32(0);
    w.u32(0);
    w.u32(t.id);
    w.u32(0);  // reserved
    w.u32(0);  // duration
    w.u32(0);
    w.u32(0);
    w.u16(0);                         // layer
    w.u16(0);                         // alternate_group
    w.u16(kind == codec::MediaKind::Audio ? 0x0100 : 0);  // volume
    w.u16(0);
    writeMatrix(w);
    w.u32(static_cast<std::uint32_t>(video ? t.width : 0) << 16);  // 16.16 fixed point
    w.u32(static_cast<std::uint32_t>(video ? t.height : 0) << 16);
    b.close();

    b.open(fourCc("mdia"));
    b.openFull(fourCc("mdhd"), 0, 0);
    w.u32(0);
    w.u32(0);
    w.u32(t.timescale);
    w.u32(0);
    w.u16(kLanguageUnd);
    w.u16(0);
    b.close();
    writeHandler(b, kind);
    b.open(fourCc("minf"));
    writeMediaHeader(b, kind);
    b.open(fourCc("dinf"));
    b.openFull(fourCc("dref"), 0, 0);
    w.u32(1);
    b.openFull(fourCc("url "), 0, kDrefSelfContained);
    b.close();
    b.close();
    b.close();
    b.open(fourCc("stbl"));
    b.openFull(fourCc("stsd"), 0, 0);
    w.u32(1);
    writeSampleEntry(b, t);
    b.close();
    for (const FourCc empty : {fourCc("stts"), fourCc("stsc"), fourCc("stco")}) {
      b.openFull(empty, 0, 0);
      w.u32(0);  // entry_count
      b.close();
    }
    b.openFull(fourCc("stsz"), 0, 0);
    w.u32(0);  // sample_size
    w.u32(0);  // sample_count
    b.close();
    b.close();  // stbl
    b.close();  // minf
    b.close();  // mdia
    b.close();  // trak
  }

  b.open(fourCc("mvex"));
  for (const auto& t : tracks) {
    b.openFull(fourCc("trex"), 0, 0);
    w.u32(t.id);
    w.u32(1);  // default_sample_description_index
    w.u32(0);  // default_sample_duration
    w.u32(0);  // default_sample_size
    w.u32(0);  // default_sample_flags
    b.close();
  }
  b.close();
  b.close();  // moov
  return out;
}

base::Result<InitSegment> InitSegment::parse(std::span<const std::uint8_t> data) {
  InitSegment init;
  auto ftyp = findBox(data, fourCc("ftyp"));
  if (!ftyp) return ftyp.error();
  base::ByteReader fr(ftyp->payload);
  const auto major = fr.u32();
  if (!major || !fr.skip(4)) return error(ErrorCode::Truncated, "ftyp cut short");
  init.majorBrand = *major;
  while (const auto brand = fr.u32()) {
    if (init.compatibleBrands.size() < kMaxBrands) init.compatibleBrands.push_back(*brand);
  }
  auto moov = findBox(data, fourCc("moov"));
  if (!moov) return moov.error();
  BoxReader reader(moov->payload);
  while (true) {
    auto box = reader.next();
    if (!box) return box.error();
    if (!*box) break;
    if ((*box)->type != fourCc("trak")) continue;
    if (init.tracks.size() == kMaxTracks) return error(ErrorCode::TooLarge, fmt::format("more than {} tracks", kMaxTracks));
    auto track = readTrak(**box);
    if (!track) return track.error();
    for (const auto& other : init.tracks) {
      if (other.id == track->id) return error(ErrorCode::Malformed, fmt::format("track_ID {} twice", other.id));
    }
    init.tracks.push_back(std::move(*track));
  }
  if (init.tracks.empty()) return error(ErrorCode::Malformed, "moov has no trak");
  return init;
}

}  // namespace ocellus::format::fmp4
