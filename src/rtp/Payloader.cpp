#include "rtp/Payloader.h"

#include "rtp/AacDepacketizer.h"
#include "rtp/AacPacketizer.h"
#include "rtp/Av1Depacketizer.h"
#include "rtp/Av1Packetizer.h"
#include "rtp/FrameDepacketizer.h"
#include "rtp/FramePacketizer.h"
#include "rtp/H264Depacketizer.h"
#include "rtp/H264Packetizer.h"
#include "rtp/H265Depacketizer.h"
#include "rtp/H265Packetizer.h"
#include "rtp/KlvDepacketizer.h"
#include "rtp/KlvPacketizer.h"
#include "rtp/Vp8Depacketizer.h"
#include "rtp/Vp8Packetizer.h"
#include "rtp/Vp9Depacketizer.h"
#include "rtp/Vp9Packetizer.h"

namespace ocellus::rtp {

std::unique_ptr<Packetizer> makePacketizer(const PayloadParams& params) {
  switch (params.codec) {
    case codec::CodecId::H264:
      return std::make_unique<H264Packetizer>(params.maxPayloadSize, params.packetizationMode);
    case codec::CodecId::H265:
      return std::make_unique<H265Packetizer>(params.maxPayloadSize);
    case codec::CodecId::VP8:
      return std::make_unique<Vp8Packetizer>(params.maxPayloadSize);
    case codec::CodecId::VP9:
      return std::make_unique<Vp9Packetizer>(params.maxPayloadSize);
    case codec::CodecId::AV1:
      return std::make_unique<Av1Packetizer>(params.maxPayloadSize);
    case codec::CodecId::AAC:
      return std::make_unique<AacPacketizer>(params.maxPayloadSize);
    case codec::CodecId::Opus:
    case codec::CodecId::PCMU:
    case codec::CodecId::PCMA:
      return std::make_unique<FramePacketizer>();
    case codec::CodecId::KLV:
      return std::make_unique<KlvPacketizer>(params.maxPayloadSize);
  }
  return nullptr;
}

std::unique_ptr<Depacketizer> makeDepacketizer(const PayloadParams& params) {
  switch (params.codec) {
    case codec::CodecId::H264:
      return std::make_unique<H264Depacketizer>();
    case codec::CodecId::H265:
      return std::make_unique<H265Depacketizer>();
    case codec::CodecId::VP8:
      return std::make_unique<Vp8Depacketizer>();
    case codec::CodecId::VP9:
      return std::make_unique<Vp9Depacketizer>();
    case codec::CodecId::AV1:
      return std::make_unique<Av1Depacketizer>();
    case codec::CodecId::AAC:
      return std::make_unique<AacDepacketizer>();
    case codec::CodecId::Opus:
    case codec::CodecId::PCMU:
    case codec::CodecId::PCMA:
      return std::make_unique<FrameDepacketizer>();
    case codec::CodecId::KLV:
      return std::make_unique<KlvDepacketizer>();
  }
  return nullptr;
}

}  // namespace ocellus::rtp
