#pragma once

namespace ocellus::sources {

// What feeds a camera's path (an RTSP client pulling the camera, a UDP MPEG-TS listener), as
// the SourceManager starts and stops it. All three calls may come from any thread.
class Source {
 public:
  virtual ~Source() = default;
  virtual void start() = 0;
  // Stops and unpublishes; returns once the source's loop has let go of it (about 1 s at most).
  virtual void stop() = 0;
  // A reader wants the path: an on-demand source that is idle starts.
  virtual void demand() = 0;
};

}  // namespace ocellus::sources
