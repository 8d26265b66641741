#include "proto/rtmp/MetaData.h"

#include "proto/rtmp/Amf0.h"

namespace ocellus::proto::rtmp {

std::vector<std::uint8_t> MetaData::build() const {
  std::vector<Amf0Property> properties;
  const auto add = [&properties](const char* name, const std::optional<double>& v) {
    if (v) properties.push_back(Amf0Property{name, Amf0Value::makeNumber(*v)});
  };
  add("width", width);
  add("height", height);
  add("framerate", framerate);
  add("videocodecid", videocodecid);
  add("audiocodecid", audiocodecid);
  add("audiosamplerate", audiosamplerate);
  add("audiochannels", audiochannels);
  const Amf0Value values[] = {Amf0Value::makeString("onMetaData"), Amf0Value::makeEcmaArray(std::move(properties))};
  return Amf0::encodeAll(values);
}

}  // namespace ocellus::proto::rtmp
