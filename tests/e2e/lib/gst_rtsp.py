"""Reads one track of an RTSP URL with GStreamer's rtspsrc, from Python (python3-gi).

gst-launch-1.0 is not used on purpose. It links rtspsrc's pads late, and a first packet pushed
into a pad not yet linked stops that branch. And when it ends a live pipeline at EOS, rtspsrc
can race its own PAUSE against its TEARDOWN and exit 1 after every frame arrived (GStreamer
1.22: "Could not send message. (Received end-of-file)" from gst_rtspsrc_pause, with the server
having answered every request). Here the track's pad is linked the moment it appears, the reading
ends when enough has come, and only errors raised while reading count."""

import time
from dataclasses import dataclass, field


@dataclass
class Reading:
    buffers: list = field(default_factory=list)  # the bytes of each buffer out of the chain
    caps: str = ""  # the caps of the last buffer
    errors: list = field(default_factory=list)  # the pipeline's error messages while reading


def read_track(url, media, chain, enough, protocols="tcp", timeout=30):
    """The buffers that come out of `chain` (a gst-launch description, e.g. "rtph264depay !
    h264parse ! avdec_h264") fed by the url's track whose SDP media is `media` ("video",
    "application"), read until enough(buffers) is true, an error, or the timeout.

    rtspsrc is told to set up that track alone (select-stream)."""
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import Gst

    Gst.init(None)
    pipeline = Gst.parse_launch(f"rtspsrc location={url} protocols={protocols} latency=0 name=src "
                                f"identity name=first ! {chain} ! appsink name=sink sync=false")
    src = pipeline.get_by_name("src")
    first = pipeline.get_by_name("first").get_static_pad("sink")
    appsink = pipeline.get_by_name("sink")
    src.connect("select-stream", lambda _src, _index, caps: caps.get_structure(0).get_string("media") == media)
    src.connect("pad-added", lambda _src, pad: pad.link(first))
    reading = Reading()
    deadline = time.monotonic() + timeout
    pipeline.set_state(Gst.State.PLAYING)
    try:
        while not enough(reading.buffers) and time.monotonic() < deadline and not reading.errors:
            sample = appsink.emit("try-pull-sample", 100 * Gst.MSECOND)
            if sample:
                buffer = sample.get_buffer()
                reading.buffers.append(buffer.extract_dup(0, buffer.get_size()))
                reading.caps = sample.get_caps().to_string()
            message = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
            if message:
                reading.errors.append(str(message.parse_error()))
    finally:
        pipeline.set_state(Gst.State.NULL)
    return reading
