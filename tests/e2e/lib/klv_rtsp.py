"""Reads the KLV track of an RTSP URL with GStreamer's rtspsrc and rtpklvdepay (RFC 6597)."""

import time


def read_klv(url, want, timeout=30):
    """The depayloaded KLV bytes from url, read until `want` bytes have come or the timeout,
    and the pipeline's error messages (for an assertion to show).

    rtspsrc is told to set up only the application track (select-stream), and its pad is
    linked the moment it appears: gst-launch links late, and a video pad pushed before that
    stops its branch and can hold a prerolling pipeline in PAUSED."""
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import Gst

    Gst.init(None)
    pipeline = Gst.parse_launch(f"rtspsrc location={url} protocols=tcp name=src "
                                "rtpklvdepay name=depay ! appsink name=sink sync=false")
    src = pipeline.get_by_name("src")
    depay_sink = pipeline.get_by_name("depay").get_static_pad("sink")
    appsink = pipeline.get_by_name("sink")
    src.connect("select-stream", lambda _src, _index, caps: caps.get_structure(0).get_string("media") == "application")
    src.connect("pad-added", lambda _src, pad: pad.link(depay_sink))
    got, errors = b"", []
    deadline = time.monotonic() + timeout
    pipeline.set_state(Gst.State.PLAYING)
    try:
        while len(got) < want and time.monotonic() < deadline and not errors:
            sample = appsink.emit("try-pull-sample", 100 * Gst.MSECOND)
            if sample:
                buffer = sample.get_buffer()
                got += buffer.extract_dup(0, buffer.get_size())
            message = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
            if message:
                errors.append(str(message.parse_error()))
    finally:
        pipeline.set_state(Gst.State.NULL)
    return got, errors
