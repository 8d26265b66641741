#include "LoadClient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/Measure.h"

namespace ocellus::bench::hls {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::string_view_literals;  // literals whose length the compiler knows (no strlen per compare)

constexpr std::size_t kReadSize = 64 * 1024;
constexpr std::size_t kMaxResponse = 16 * 1024 * 1024;
constexpr int kMaxBehindParts = 5;  // further behind than this, a client jumps to the live edge
constexpr double kActiveS = 2;

// Wall clock in ms: PROGRAM-DATE-TIME is the server's wall clock, and both run on this machine.
double wallMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The unsigned decimal at the start of v; 0 when there is none.
std::uint64_t leadingUint(std::string_view v) {
  std::uint64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

// The decimal at the start of v; 0 when there is none.
double leadingDouble(std::string_view v) {
  double d = 0;
  std::from_chars(v.data(), v.data() + v.size(), d);
  return d;
}

// The decimal digits of n, written into buf.
template <std::size_t N>
std::string_view decimal(char (&buf)[N], std::uint64_t n) {
  const auto end = std::to_chars(buf, buf + N, n).ptr;
  return {buf, static_cast<std::size_t>(end - buf)};
}

// A part of a media playlist; its URI lives in that playlist's uris (MediaPlaylist::uri).
struct PartRef {
  std::uint64_t msn = 0;
  std::uint32_t part = 0;
  double endMs = 0;  // the part's end in media time from its segment's start (Σ DURATION up to it)
  std::uint32_t uriAt = 0, uriSize = 0;
};

// What the client needs of a media playlist (RFC 8216bis §4.4.4.9 EXT-X-PART, §4.4.5.3
// EXT-X-PRELOAD-HINT, §4.4.4.6 EXT-X-PROGRAM-DATE-TIME): its parts in order with the media
// sequence number of their parent segment, the hinted next part and the dates of the segments
// asked for. A client keeps two and parses into the spare one, so the buffers are reused.
struct MediaPlaylist {
  std::vector<PartRef> parts;
  std::optional<PartRef> hint;
  std::vector<std::pair<std::uint64_t, double>> dates;  // msn → PROGRAM-DATE-TIME, ms since the epoch
  std::string uris;                                     // the URIs of parts and hint, back to back
  bool canSkip = false;                                 // EXT-X-SERVER-CONTROL has CAN-SKIP-UNTIL (§4.4.3.8)
  bool ok = false;

  std::string_view uri(const PartRef& p) const { return std::string_view(uris).substr(p.uriAt, p.uriSize); }
  PartRef ref(std::uint64_t msn, std::uint32_t part, double endMs, std::string_view uri) {
    PartRef p{msn, part, endMs, static_cast<std::uint32_t>(uris.size()), static_cast<std::uint32_t>(uri.size())};
    uris.append(uri);
    return p;
  }
  void clear() {
    parts.clear();
    hint.reset();
    dates.clear();
    uris.clear();
    canSkip = ok = false;
  }
};

std::optional<double> parseDate(std::string_view v) {
  // 2026-12-06T12:09:25.724Z: seven numbers, each but the last followed by its separator.
  static constexpr char kSeparators[] = "--T::.";
  int f[7];
  const char* at = v.data();
  const char* const end = v.data() + v.size();
  for (int i = 0; i < 7; ++i) {
    const auto r = std::from_chars(at, end, f[i]);
    if (r.ec != std::errc()) return std::nullopt;
    at = r.ptr;
    if (i < 6) {
      if (at == end || *at != kSeparators[i]) return std::nullopt;
      ++at;
    }
  }
  std::tm tm{};
  tm.tm_year = f[0] - 1900;
  tm.tm_mon = f[1] - 1;
  tm.tm_mday = f[2];
  tm.tm_hour = f[3];
  tm.tm_min = f[4];
  tm.tm_sec = f[5];
  return static_cast<double>(timegm(&tm)) * 1000.0 + f[6];
}

// The quoted value after key (`URI="`) in line; empty when there is none.
std::string_view attribute(std::string_view line, std::string_view key) {
  const auto at = line.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = line.find('"', start);
  return end == std::string_view::npos ? std::string_view() : line.substr(start, end - start);
}

// Parses text into pl (cleared first). needDate(msn) says whether that segment's
// PROGRAM-DATE-TIME is wanted: a segment's date never changes, so it is parsed once per run.
template <class NeedDate>
void parseMedia(std::string_view text, MediaPlaylist& pl, const NeedDate& needDate) {
  pl.clear();
  std::uint64_t msn = 0;
  std::uint32_t partInSegment = 0;
  double segmentMs = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:"sv)) {
      msn = leadingUint(line.substr(22));
      pl.ok = true;
    } else if (line.starts_with("#EXT-X-SERVER-CONTROL:"sv)) {
      pl.canSkip = line.find("CAN-SKIP-UNTIL="sv) != std::string_view::npos;
    } else if (line.starts_with("#EXT-X-SKIP:"sv)) {
      // A delta update (§4.4.5.2): the first segments are left out.
      const auto n = line.find("SKIPPED-SEGMENTS="sv);
      if (n != std::string_view::npos) msn += leadingUint(line.substr(n + 17));
    } else if (line.starts_with("#EXT-X-PROGRAM-DATE-TIME:"sv)) {
      if (!needDate(msn)) continue;
      if (auto d = parseDate(line.substr(25))) pl.dates.emplace_back(msn, *d);
    } else if (line.starts_with("#EXT-X-PART:"sv)) {
      const auto d = line.find("DURATION="sv);
      segmentMs += d == std::string_view::npos ? 0 : leadingDouble(line.substr(d + 9, 16)) * 1000;
      pl.parts.push_back(pl.ref(msn, partInSegment++, segmentMs, attribute(line, "URI=\""sv)));
    } else if (line.starts_with("#EXT-X-PRELOAD-HINT:"sv)) {
      pl.hint = pl.ref(msn, partInSegment, 0, attribute(line, "URI=\""sv));
    } else if (line[0] != '#') {  // a segment's URI closes it
      ++msn;
      partInSegment = 0;
      segmentMs = 0;
    }
  }
}

// Scans for the blank line that ends a response head (RFC 9112 §2.1) in the bytes of one read;
// matched carries how many bytes of "\r\n\r\n" ended the reads before. Returns the offset just
// past the blank line, or npos.
std::size_t scanHeadEnd(std::string_view bytes, int& matched) {
  static constexpr std::string_view kEnd = "\r\n\r\n";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == kEnd[static_cast<std::size_t>(matched)]) {
      if (++matched == 4) return i + 1;
    } else {
      matched = bytes[i] == '\r' ? 1 : 0;
    }
  }
  return std::string_view::npos;
}

// Whether line starts with lower (lower case), ASCII letters compared case-insensitively.
bool startsWithNoCase(std::string_view line, std::string_view lower) {
  if (line.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char ch = line[i];
    if ((ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch) != lower[i]) return false;
  }
  return true;
}

// What the client needs of a response head: the status, the first Content-Length and whether
// the server closes the connection (RFC 9112 §4, §6.3, §9.6).
struct Head {
  int status = 0;
  std::size_t length = 0;
  bool close = false;
};

Head parseHead(std::string_view head) {
  Head h;
  if (head.size() > 9) h.status = static_cast<int>(leadingUint(head.substr(9)));  // "HTTP/1.1 200"
  bool haveLength = false;
  for (auto at = head.find("\r\n"sv); at != std::string_view::npos;) {
    const auto next = head.find("\r\n"sv, at + 2);
    const std::string_view line = head.substr(at + 2, next == std::string_view::npos ? next : next - at - 2);
    at = next;
    if (!haveLength && startsWithNoCase(line, "content-length:"sv)) {
      std::string_view v = line.substr(15);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      h.length = leadingUint(v);
      haveLength = true;
    } else if (startsWithNoCase(line, "connection: close"sv)) {
      h.close = true;
    }
  }
  return h;
}

// A part's URI and the time it was first known complete (Load::sawFirst).
using Seen = std::pair<const std::string, double>;

struct Sample {
  std::uint64_t msn;  // its segment's, once a playlist has listed it
  const Seen* seen;   // the part's entry in its Load's firstSeen_
  double endMs;     // PartRef::endMs
  double reloadAt;  // the blocking reload that announced it returned (0: fetched without a reload)
  double sentAt;    // GET part written
  double haveAt;    // last byte of the part
  bool listed;      // msn and endMs are known: false for a hinted part until the reload after it
};

// The samples' figures of every load, for the report's percentiles.
struct Figures {
  std::vector<double> partDelay, reloadDelay, fetch, mediaDelay, rates;
};

enum class Step { Multivariant, Media, Reload, Part };

struct Client {
  explicit Client(asio::io_context& io) : socket(io), timer(io) {}
  tcp::socket socket;
  asio::steady_timer timer;
  bool connected = false;
  bool started = false;    // has had a media playlist
  bool busy = false;
  std::uint64_t generation = 0;  // bumped by restart(): handlers of the closed exchange see a stale one
  Step step = Step::Multivariant;
  std::string mediaTarget;  // "/path/stream.m3u8"
  std::string base;         // "/path/"
  std::string request;
  // The response being read: its head, and its body when it is a playlist (a part's body is
  // only counted: its sample needs no more than the time its last byte arrived).
  std::string response;
  std::size_t received = 0;  // bytes of the response so far, body included
  std::size_t bodyAt = 0;    // where the body starts; 0 while the head is incomplete
  int headMatched = 0;       // scanHeadEnd's state
  Head head;
  std::vector<char> readBuf = std::vector<char>(kReadSize);
  double sentAt = 0;
  double reloadAt = 0;
  PartRef want;                 // the part asked for (Reload) or being fetched (Part)
  std::string wantUri;          // its URI (parts are named once and for all; (msn, part) of a hint may change)
  bool wantHinted = false;      // fetched as the preload hint
  MediaPlaylist last;           // the last media playlist
  MediaPlaylist next;           // the one being parsed; swapped with last once it is good
  std::vector<Sample> samples;  // in the window
  double lastPartAt = 0;
  std::string have;  // --hints: the URI of the last part had
};

std::string directory(const std::string& target) { return target.substr(0, target.rfind('/') + 1); }

// What the loads of a run share with the thread that runs the window.
struct Shared {
  std::atomic<int> started{0};  // clients that have had a first media playlist
  std::atomic<bool> measuring{false};
};

// One io_context and its thread: a share of the clients, started at a share of the rate.
class Load {
 public:
  Load(const Options& o, Shared& shared, tcp::endpoint target, int clients)
      : o_(o),
        shared_(shared),
        tick_(io_),
        target_(target),
        quota_(clients),
        rate_(o.rate * clients / o.clients),
        requestTail_(" HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                     "\r\nUser-Agent: ocellus-hls-load\r\n\r\n") {}

  void run() {
    start_ = steadyS();
    tick();
    io_.run();
  }

  // From another thread: every client stops where it is.
  void stop() {
    asio::post(io_, [this] {
      stopping_ = true;
      tick_.cancel();
      for (auto& c : clients_) {
        boost::system::error_code ec;
        c->timer.cancel();
        c->socket.close(ec);
      }
    });
  }

  // Adds this load's clients and counts to r, and its samples' figures to the lists; the first
  // moment a part was seen is the earliest over every load (firstSeen, merged from firstSeen()).
  void collect(Report& r, const std::map<std::string_view, double>& firstSeen, double windowEnd, Figures& f) const {
    for (const auto& [why, n] : report_.errors) r.errors[why] += n;
    r.restarts += report_.restarts;
    r.requests += report_.requests;
    r.bytes += report_.bytes;
    r.skippedParts += report_.skippedParts;
    r.failed += quota_ - static_cast<int>(clients_.size());
    for (auto& c : clients_) {
      if (c->started) ++r.started;
      else ++r.failed;
      if (c->lastPartAt > 0 && windowEnd - c->lastPartAt < kActiveS * 1000) ++r.activeAtEnd;
      if (r.windowS > 0 && c->started) f.rates.push_back(static_cast<double>(c->samples.size()) / r.windowS);
      for (const Sample& s : c->samples) {
        ++r.parts;
        f.fetch.push_back(s.haveAt - s.sentAt);
        if (auto it = firstSeen.find(s.seen->first); it != firstSeen.end()) {
          f.partDelay.push_back(s.haveAt - it->second);
          if (s.reloadAt > 0) f.reloadDelay.push_back(s.reloadAt - it->second);
        }
        if (auto it = dates_.find(s.msn); it != dates_.end() && s.listed)
          f.mediaDelay.push_back(s.haveAt - (it->second + s.endMs));
      }
    }
  }

  const std::map<std::string, double, std::less<>>& firstSeen() const { return firstSeen_; }

 private:
  static double steadyS() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

  bool measuring() const { return shared_.measuring.load(std::memory_order_relaxed); }

  // Every 10 ms until all are started: start clients at this load's rate.
  void tick() {
    const auto due = std::min<int>(quota_, static_cast<int>((steadyS() - start_) * rate_) + 1);
    while (static_cast<int>(clients_.size()) < due) {
      clients_.push_back(std::make_unique<Client>(io_));
      begin(*clients_.back());
    }
    if (static_cast<int>(clients_.size()) == quota_) return;
    tick_.expires_after(std::chrono::milliseconds(10));
    tick_.async_wait([this](boost::system::error_code ec) {
      if (!ec) tick();
    });
  }

  void begin(Client& c) {
    c.step = c.mediaTarget.empty() ? Step::Multivariant : Step::Media;
    get(c, {c.mediaTarget.empty() ? o_.target : c.mediaTarget});
  }

  void restart(Client& c, const std::string& why) {
    if (stopping_) return;
    ++report_.errors[why];
    if (c.started) ++report_.restarts;
    ++c.generation;
    boost::system::error_code ec;
    c.socket.close(ec);
    c.connected = false;
    c.busy = false;
    c.timer.expires_after(std::chrono::milliseconds(200));
    c.timer.async_wait([this, &c](boost::system::error_code e) {
      if (!e && !stopping_) begin(c);
    });
  }

  // GETs the target made of these pieces, in the client's reused request buffer.
  void get(Client& c, std::initializer_list<std::string_view> target) {
    c.request.assign("GET ");
    for (const std::string_view piece : target) c.request.append(piece);
    c.request.append(requestTail_);
    c.response.clear();
    c.received = 0;
    c.bodyAt = 0;
    c.headMatched = 0;
    c.busy = true;
    c.sentAt = wallMs();
    c.timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(o_.timeoutS)));
    c.timer.async_wait([this, &c, gen = c.generation](boost::system::error_code ec) {
      if (!ec && c.busy && gen == c.generation) restart(c, "timeout");
    });
    if (!c.connected) {
      c.socket = tcp::socket(io_);
      c.socket.async_connect(target_, [this, &c, gen = c.generation](boost::system::error_code ec) {
        if (stopping_ || gen != c.generation) return;
        if (ec) return restart(c, "connect: " + ec.message());
        c.connected = true;
        c.socket.set_option(tcp::no_delay(true));
        c.sentAt = wallMs();  // the request's own time starts now
        write(c);
      });
    } else {
      write(c);
    }
  }

  void write(Client& c) {
    asio::async_write(c.socket, asio::buffer(c.request), [this, &c, gen = c.generation](boost::system::error_code ec,
                                                                                       std::size_t) {
      if (stopping_ || gen != c.generation) return;
      if (ec) return restart(c, "write: " + ec.message());
      read(c);
    });
  }

  void read(Client& c) {
    c.socket.async_read_some(asio::buffer(c.readBuf), [this, &c, gen = c.generation](boost::system::error_code ec,
                                                                                     std::size_t n) {
      if (stopping_ || gen != c.generation) return;
      if (ec) return restart(c, ec == asio::error::eof ? "closed by the server" : "read: " + ec.message());
      const std::string_view bytes(c.readBuf.data(), n);
      const bool keepBody = c.step != Step::Part;
      if (c.bodyAt == 0) {
        const std::size_t end = scanHeadEnd(bytes, c.headMatched);
        c.response.append(bytes.substr(0, keepBody ? n : end));
        if (end != std::string_view::npos) {
          c.bodyAt = c.received + end;
          c.head = parseHead(std::string_view(c.response).substr(0, c.bodyAt - 4));
        }
      } else if (keepBody) {
        c.response.append(bytes);
      }
      c.received += n;
      if (c.received > kMaxResponse) return restart(c, "response too large");
      if (c.bodyAt == 0 || c.received < c.bodyAt + c.head.length) return read(c);
      const double now = wallMs();
      c.busy = false;
      c.timer.cancel();
      if (measuring()) {
        ++report_.requests;
        report_.bytes += c.received;
      }
      if (c.head.close) {
        boost::system::error_code ignored;
        c.socket.close(ignored);
        c.connected = false;
      }
      onResponse(c, c.head.status,
                 keepBody ? std::string_view(c.response).substr(c.bodyAt, c.head.length) : std::string_view(), now);
    });
  }

  void onResponse(Client& c, int status, std::string_view body, double now) {
    static constexpr const char* kNames[] = {"multivariant", "playlist", "reload", "part"};
    if (status != 200) {
      return restart(c, std::string("GET ") + kNames[static_cast<int>(c.step)] + " " + std::to_string(status));
    }
    switch (c.step) {
      case Step::Multivariant: {
        if (body.find("#EXT-X-STREAM-INF") == std::string_view::npos) {  // already a media playlist
          c.mediaTarget = o_.target;
        } else {
          std::string uri;
          for (std::size_t at = 0; at < body.size();) {
            auto nl = body.find('\n', at);
            std::string_view line = body.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
            at = nl == std::string_view::npos ? body.size() : nl + 1;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (!line.empty() && line[0] != '#') {
              uri = line;
              break;
            }
          }
          if (uri.empty()) return restart(c, "multivariant playlist without a variant");
          c.mediaTarget = uri[0] == '/' ? uri : directory(o_.target) + uri;
        }
        c.base = directory(c.mediaTarget);
        c.step = Step::Media;
        return get(c, {c.mediaTarget});
      }
      case Step::Media:
      case Step::Reload: {
        MediaPlaylist& pl = c.next;
        parseMedia(body, pl, [this](std::uint64_t msn) { return !dates_.contains(msn); });
        if (!pl.ok || !pl.hint) return restart(c, "playlist without parts or preload hint (no LL-HLS)");
        if (!pl.parts.empty()) sawFirst(pl.uri(pl.parts.back()), now);
        for (auto& [msn, date] : pl.dates) dates_.emplace(msn, date);
        const bool wasReload = c.step == Step::Reload;
        if (!c.started) shared_.started.fetch_add(1, std::memory_order_relaxed);
        c.started = true;
        std::swap(c.last, c.next);
        if (o_.hints) {
          // The first part not had yet, or else the hinted one, which the server answers once
          // it is complete; the live edge after a first playlist or when too far behind.
          const auto had = std::find_if(c.last.parts.begin(), c.last.parts.end(),
                                        [&](const PartRef& p) { return c.last.uri(p) == c.have; });
          // The hinted part had is listed now: its segment and its end in media time.
          if (had != c.last.parts.end() && !c.samples.empty() && !c.samples.back().listed &&
              c.samples.back().seen->first == c.have) {
            c.samples.back().msn = had->msn;
            c.samples.back().endMs = had->endMs;
            c.samples.back().listed = true;
          }
          const auto next = had == c.last.parts.end() ? c.last.parts.begin() : std::next(had);
          const auto behind = std::distance(next, c.last.parts.end());
          if (wasReload && behind <= kMaxBehindParts) return fetch(c, behind > 0 ? *next : *c.last.hint);
          if (wasReload && measuring()) report_.skippedParts += static_cast<std::uint64_t>(behind);
          return fetch(c, *c.last.hint);
        }
        if (!wasReload) return reload(c, *c.last.hint);
        // The hinted part, by its name: if its segment closed before it, it is the first of the next.
        const auto it = std::find_if(c.last.parts.begin(), c.last.parts.end(),
                                     [&](const PartRef& p) { return c.last.uri(p) == c.wantUri; });
        if (it == c.last.parts.end()) return restart(c, "reload answered without the part asked for");
        c.reloadAt = now;
        return fetch(c, *it);
      }
      case Step::Part: {
        // A hinted part is the first sign that it is complete.
        const Seen& seen = c.wantHinted ? sawFirst(c.wantUri, now) : seenEntry(c.wantUri);
        if (measuring()) {
          c.samples.push_back({c.want.msn, &seen, c.want.endMs, c.reloadAt, c.sentAt, now, !c.wantHinted});
          c.lastPartAt = now;
        }
        c.reloadAt = 0;
        if (o_.hints) {
          // The reload for the part had is answered at once and hints the next.
          c.have = c.wantUri;
          return reload(c, c.want);
        }
        // The next part: fetched at once when the last playlist lists it already, else a blocking
        // reload for the hinted one; a client more than kMaxBehindParts behind jumps to the edge.
        auto it = std::find_if(c.last.parts.begin(), c.last.parts.end(),
                               [&](const PartRef& p) { return c.last.uri(p) == c.wantUri; });
        const auto behind = it == c.last.parts.end() ? 0 : std::distance(it, c.last.parts.end()) - 1;
        if (behind > kMaxBehindParts) {
          if (measuring()) report_.skippedParts += static_cast<std::uint64_t>(behind);
          return reload(c, *c.last.hint);
        }
        if (behind > 0) return fetch(c, *std::next(it));
        return reload(c, *c.last.hint);
      }
    }
  }

  // part is one of c.last's, or its hint.
  void reload(Client& c, const PartRef& part) {
    want(c, part);
    c.step = Step::Reload;
    char msn[24], n[12];
    get(c, {c.mediaTarget, "?_HLS_msn=", decimal(msn, part.msn), "&_HLS_part=", decimal(n, part.part),
            o_.skip && c.last.canSkip ? "&_HLS_skip=YES" : ""});
  }

  // part is one of c.last's, or its hint.
  void fetch(Client& c, const PartRef& part) {
    want(c, part);
    c.step = Step::Part;
    get(c, {c.wantUri.starts_with('/') ? std::string_view() : c.base, c.wantUri});
  }

  // part is one of c.last's, or its hint (c.want included, as long as c.last is the playlist
  // it came from).
  void want(Client& c, const PartRef& part) {
    c.want = part;
    c.wantUri = c.last.uri(part);
    c.wantHinted = c.last.hint && c.wantUri == c.last.uri(*c.last.hint);
  }

  // The time the part named uri was first known complete (0: not yet): the first playlist that
  // listed it last, or the first arrival of it as a hint. Entries stay put (std::map), so samples
  // keep a pointer to theirs, and the run's end takes the earliest over every load.
  Seen& seenEntry(std::string_view uri) {
    auto it = firstSeen_.find(uri);
    if (it == firstSeen_.end()) it = firstSeen_.emplace(std::string(uri), 0.0).first;
    return *it;
  }
  Seen& sawFirst(std::string_view uri, double now) {
    Seen& e = seenEntry(uri);
    if (e.second == 0 || now < e.second) e.second = now;
    return e;
  }

  const Options& o_;
  Shared& shared_;
  asio::io_context io_;
  asio::steady_timer tick_;
  const tcp::endpoint target_;
  const int quota_;
  const double rate_;
  const std::string requestTail_;  // " HTTP/1.1\r\nHost: …" up to the blank line
  std::vector<std::unique_ptr<Client>> clients_;
  std::map<std::string, double, std::less<>> firstSeen_;  // part's URI → sawFirst()
  std::map<std::uint64_t, double> dates_;                 // msn → PROGRAM-DATE-TIME
  Report report_;                                         // errors and counts only
  double start_ = 0;
  bool stopping_ = false;
};

}  // namespace

Report runLoad(const Options& o) {
  Report r;
  r.clients = o.clients;
  asio::io_context resolverIo;
  tcp::resolver resolver(resolverIo);
  boost::system::error_code ec;
  auto found = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec || found.empty()) {
    r.failed = o.clients;
    r.errors["resolve: " + ec.message()] = o.clients;
    return r;
  }
  Shared shared;
  std::vector<std::unique_ptr<Load>> loads;
  for (int t = 0; t < o.threads; ++t) {
    const int quota = o.clients / o.threads + (t < o.clients % o.threads ? 1 : 0);
    if (quota > 0) loads.push_back(std::make_unique<Load>(o, shared, *found.begin(), quota));
  }
  std::vector<std::thread> threads;
  for (auto& l : loads) threads.emplace_back([&l] { l->run(); });

  const auto sleepS = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  const auto start = std::chrono::steady_clock::now();
  while (shared.started.load() < o.clients &&
         std::chrono::steady_clock::now() - start < std::chrono::duration<double>(o.rampTimeoutS)) {
    sleepS(0.01);
  }
  sleepS(o.warmupS);
  std::fputs("READY\n", stderr);
  std::fflush(stderr);
  const double cpu0 = processCpuMs(), t0 = wallMs();
  shared.measuring = true;
  sleepS(o.durationS);
  shared.measuring = false;
  const double cpu1 = processCpuMs(), t1 = wallMs();
  std::fputs("WINDOW_END\n", stderr);
  std::fflush(stderr);
  for (auto& l : loads) l->stop();
  for (auto& t : threads) t.join();

  r.windowS = (t1 - t0) / 1000;
  r.clientCpuPct = (cpu1 - cpu0) / 10.0 / r.windowS;
  std::map<std::string_view, double> firstSeen;
  for (auto& l : loads) {
    for (const auto& [uri, at] : l->firstSeen()) {
      if (at <= 0) continue;
      auto [it, added] = firstSeen.try_emplace(uri, at);
      if (!added) it->second = std::min(it->second, at);
    }
  }
  Figures f;
  for (auto& l : loads) l->collect(r, firstSeen, t1, f);
  if (!f.rates.empty()) r.partsPerSPerClientMedian = percentile(f.rates, 50);
  r.partDelay = percentiles(std::move(f.partDelay));
  r.reloadDelay = percentiles(std::move(f.reloadDelay));
  r.partFetch = percentiles(std::move(f.fetch));
  r.mediaDelay = percentiles(std::move(f.mediaDelay));
  return r;
}

}  // namespace ocellus::bench::hls
