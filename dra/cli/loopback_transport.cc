#include "dra/cli/loopback_transport.h"

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace dra::cli {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded (a malformed one is kept as it is); '+' is a space when `plus_is_space`.
std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexDigit(s[i + 1]);
      int lo = HexDigit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

client::WatchEvent::Type EventType(std::string_view type) {
  if (type == "ADDED") return client::WatchEvent::Type::kAdded;
  if (type == "MODIFIED") return client::WatchEvent::Type::kModified;
  if (type == "DELETED") return client::WatchEvent::Type::kDeleted;
  if (type == "BOOKMARK") return client::WatchEvent::Type::kBookmark;
  return client::WatchEvent::Type::kError;
}

// A watch of the handler, read by the consumer's own thread (no reader thread, no queue bound:
// the handler produces events only when asked).
class LoopbackWatchStream : public client::WatchStream {
 public:
  explicit LoopbackWatchStream(std::unique_ptr<apiserver::EventStream> stream)
      : stream_(std::move(stream)) {}
  ~LoopbackWatchStream() override { Cancel(); }

  absl::StatusOr<client::WatchEvent> Next(absl::Time deadline) override {
    if (!queued_.empty()) return Pop();
    {
      absl::MutexLock lock(&mu_);
      if (!end_.ok()) return end_;
    }
    absl::StatusOr<std::vector<apiserver::ObjectEvent>> events = stream_->NextObjects(deadline);
    // The handler also returns early (at the watch's own end, or for a bookmark due): ask again
    // until the caller's deadline.
    while ((events.ok() && events->empty()) || absl::IsDeadlineExceeded(events.status())) {
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError("watch: no event before the deadline");
      }
      events = stream_->NextObjects(deadline);
    }
    if (events.ok()) {
      for (apiserver::ObjectEvent& e : *events) {
        queued_.push_back({EventType(e.type), std::move(e.object)});
      }
      return Pop();
    }
    absl::MutexLock lock(&mu_);
    if (end_.ok()) end_ = absl::CancelledError("watch ended by the server");
    return end_;
  }

  void Cancel() override {
    {
      absl::MutexLock lock(&mu_);
      if (!end_.ok()) return;
      end_ = absl::CancelledError("watch cancelled");
    }
    stream_->Cancel();
  }

 private:
  client::WatchEvent Pop() {
    client::WatchEvent event = std::move(queued_.front());
    queued_.pop_front();
    return event;
  }

  const std::unique_ptr<apiserver::EventStream> stream_;
  std::deque<client::WatchEvent> queued_;  // the consumer's thread only
  absl::Mutex mu_;
  absl::Status end_ ABSL_GUARDED_BY(mu_);  // OK while the stream runs
};

}  // namespace

apiserver::Request LoopbackRequest(const client::Transport::Request& request) {
  apiserver::Request r;
  r.method = std::string(request.method);
  std::string_view target = request.path_and_query;
  size_t question = target.find('?');
  r.path = PercentDecode(target.substr(0, question), /*plus_is_space=*/false);
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (!pair.empty()) {
        size_t eq = pair.find('=');
        r.query.emplace_back(PercentDecode(pair.substr(0, eq), true),
                             eq == std::string_view::npos
                                 ? std::string()
                                 : PercentDecode(pair.substr(eq + 1), true));
      }
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  r.accept = "application/json";
  r.content_type = std::string(request.content_type);
  r.user_agent = std::string(request.user_agent);
  r.body = std::string(request.body);
  r.body_object = request.object;
  r.want_object = true;
  return r;
}

absl::StatusOr<client::Transport::Response> LoopbackTransport::RoundTrip(const Request& request) {
  apiserver::Response response = handler_->Handle(LoopbackRequest(request));
  if (response.stream != nullptr) {
    // Only watch requests stream; one sent here is ended at once.
    response.stream->Cancel();
    return absl::InvalidArgumentError("a watch request needs Transport::Watch");
  }
  return Response{response.code, std::move(response.body), std::move(response.document)};
}

absl::StatusOr<client::Transport::WatchResponse> LoopbackTransport::Watch(const Request& request) {
  apiserver::Response response = handler_->Handle(LoopbackRequest(request));
  WatchResponse answer;
  answer.response.status = response.code;
  if (response.stream != nullptr) {
    answer.stream = std::make_unique<LoopbackWatchStream>(std::move(response.stream));
  } else {
    answer.response.body = std::move(response.body);
    answer.response.object = std::move(response.document);
  }
  return answer;
}

}  // namespace dra::cli
