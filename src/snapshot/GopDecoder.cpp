#include "snapshot/GopDecoder.h"

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"

namespace ocellus::snapshot {
namespace {

namespace ffmpeg = sources::ffmpeg;

base::Error decodeError(base::ErrorCode code, const std::string& path, const std::string& what) {
  return base::makeError(code, "snapshot of " + path + ": " + what);
}

}  // namespace

base::Result<GopDecoder::Picture> GopDecoder::decodeNewest(const media::TrackInfo& track,
                                                           std::uint32_t trackIndex,
                                                           const std::vector<media::UnitPtr>& units,
                                                           const std::string& path) {
  const auto& lib = ffmpeg::loaded();
  AVCodecID id = AV_CODEC_ID_NONE;
  if (track.codec == codec::CodecId::H264) id = AV_CODEC_ID_H264;
  if (track.codec == codec::CodecId::H265) id = AV_CODEC_ID_HEVC;
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
  std::vector<std::uint8_t> annexB;
  bool first = true;
  for (const auto& unit : units) {
    if (unit->track != trackIndex) continue;
    annexB.clear();
    if (first) {
      // Parameter sets learned out of band (SDP, publisher metadata) may never appear in-band.
      for (const auto* set : {&track.vps, &track.sps, &track.pps}) {
        if (!set->empty()) codec::appendAnnexB(*set, annexB);
      }
      first = false;
    }
    for (auto nal : codec::NalUnits(unit->data)) codec::appendAnnexB(nal, annexB);
    if (annexB.empty()) continue;
    packet->data = annexB.data();  // not reference counted: the decoder copies what it keeps
    packet->size = static_cast<int>(annexB.size());
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
