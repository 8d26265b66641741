#pragma once

#include "media/Unit.h"

namespace ocellus::media {

// A consumer of a Stream (RTSP session, WebRTC session, recorder, …). Every call happens on
// the loop the reader registered with, never concurrently.
//
// Re-entrancy: during onUnit/onStreamEnd the reader may call Stream::removeReader for itself
// (and may drop its last reference to the stream), but must not add readers.
class Reader {
 public:
  virtual ~Reader() = default;
  // A unit of any track; units of one track arrive in publish order. The first units a new
  // reader sees are the stream's cached GOP, starting at a keyframe.
  virtual void onUnit(const UnitPtr& unit) = 0;
  // The publisher is gone or the track layout changed; no more units will come.
  virtual void onStreamEnd() = 0;
};

}  // namespace ocellus::media
