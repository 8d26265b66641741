#include "snapshot/GopDecoder.h"

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"

namespace ocellus::snapshot {
namespace {

namespace ffmpeg = sources::ffmpeg;

base::Error decodeError(base::ErrorCode code, const std::string& path, const std::string& what) {
  return base::makeError(code, "snapshot of " + path + ": " + what);
}

AVCodecID decoderId(codec::CodecId codec) {
  switch (codec) {
    case codec::CodecId::H264:
      return AV_CODEC_ID_H264;
    case codec::CodecId::H265:
      return AV_CODEC_ID_HEVC;
    case codec::CodecId::VP8:
      return AV_CODEC_ID_VP8;
    case codec::CodecId::VP9:
      return AV_CODEC_ID_VP9;
    case codec::CodecId::AV1:
      return AV_CODEC_ID_AV1;
    default:
      return AV_CODEC_ID_NONE;
  }
}

}  // namespace

bool GopDecoder::decodes(codec::CodecId codec) { return decoderId(codec) != AV_CODEC_ID_NONE; }

base::Result<GopDecoder::Picture> GopDecoder::decodeNewest(const media::TrackInfo& track,
                                                           std::uint32_t trackIndex,
                                                           const std::vector<media::UnitPtr>& units,
                                                           const std::string& path) {
  const auto& lib = ffmpeg::loaded();
  const AVCodecID id = decoderId(track.codec);
  const bool nalUnits = track.codec == codec::CodecId::H264 || track.codec == codec::CodecId::H265;
  const AVCodec* decoder = id == AV_CODEC_ID_NONE ? nullptr : lib.avcodec_find_decoder(id);
  if (decoder == nullptr) {
    return decodeError(base::ErrorCode::Unsupported, path,
                       "no libavcodec decoder for " + std::string(codec::codecName(track.codec)));
  }
  ffmpeg::CodecContextPtr context(lib.avcodec_alloc_context3(decoder));
  ffmpeg::PacketPtr packet(lib.av_packet_alloc());
  ffmpeg::FramePtr newest(lib.av_frame_alloc());
  ffmpeg::FramePtr scratch(lib.av_frame_alloc());
  if (!context || !packet || !newest || !scratch) {
    return decodeError(base::ErrorCode::Internal, path, "out of memory for the decoder");
  }
  // One thread: the Snapshotter runs snapshots of different streams in parallel instead, and
  // frame threads would only add pictures of delay to a decode that wants the last one.
  context->thread_count = 1;
  if (const int error = lib.avcodec_open2(context.get(), decoder, nullptr); error < 0) {
    return decodeError(base::ErrorCode::Internal, path, "avcodec_open2: " + ffmpeg::errorText(error));
  }

  bool gotPicture = false;
  // Output order is display order, so the last picture out is the newest one.
  auto drain = [&] {
    while (lib.avcodec_receive_frame(context.get(), scratch.get()) == 0) {
      std::swap(newest, scratch);
      gotPicture = true;
    }
  };
  // What the decoder takes: H.264/H.265 as Annex B; VP8, VP9 and AV1 units as they are (AV1 in
  // the low-overhead form libavcodec's decoders read, its keyframes with the sequence header).
  std::vector<std::uint8_t> bytes;
  bool first = true;
  for (const auto& unit : units) {
    if (unit->track != trackIndex) continue;
    bytes.clear();
    if (!nalUnits) {
      bytes.assign(unit->data.begin(), unit->data.end());
    } else {
      if (first) {
        // Parameter sets learned out of band (SDP, publisher metadata) may never appear in-band.
        for (const auto* set : {&track.vps, &track.sps, &track.pps}) {
          if (!set->empty()) codec::appendAnnexB(*set, bytes);
        }
        first = false;
      }
      for (auto nal : codec::NalUnits(unit->data)) codec::appendAnnexB(nal, bytes);
    }
    if (bytes.empty()) continue;
    packet->data = bytes.data();  // not reference counted: the decoder copies what it keeps
    packet->size = static_cast<int>(bytes.size());
    packet->pts = unit->pts;
    packet->dts = unit->dts;
    packet->flags = unit->keyframe ? AV_PKT_FLAG_KEY : 0;
    // A unit the decoder rejects (damaged in transit) is skipped: later ones may still decode.
    (void)lib.avcodec_send_packet(context.get(), packet.get());
    drain();
  }
  if (lib.avcodec_send_packet(context.get(), nullptr) == 0) drain();  // pictures held for reordering
  if (!gotPicture) {
    return decodeError(base::ErrorCode::Malformed, path, "no picture decodes from the last GOP");
  }

  Picture picture{.frame = std::move(newest), .received = units.back()->received};
  for (const auto& unit : units) {
    if (unit->track == trackIndex && unit->pts == picture.frame->pts) picture.received = unit->received;
  }
  return picture;
}

}  // namespace ocellus::snapshot
