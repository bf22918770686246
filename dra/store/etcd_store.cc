#include "dra/store/etcd_store.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/store/internal/watch_queue.h"
#include "nlohmann/json.hpp"

namespace dra::store {
namespace etcd_internal {

using Json = nlohmann::json;

// etcd's revision for a Store revision and back (etcd starts at 1, the Store at 0).
int64_t ToEtcd(int64_t revision) { return revision + 1; }
int64_t FromEtcd(int64_t revision) { return revision - 1; }

std::string Base64(std::string_view bytes) {
  return absl::Base64Escape(absl::string_view(bytes.data(), bytes.size()));
}

std::string Unbase64(const Json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) return std::string();
  const std::string& encoded = it->get_ref<const std::string&>();
  std::string out;
  if (!absl::Base64Unescape(absl::string_view(encoded.data(), encoded.size()), &out)) return "";
  return out;
}

// An int64 field, sent as a string by the gateway; absent (the zero value) is 0.
int64_t Int(const Json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    return end != s.c_str() ? static_cast<int64_t>(v) : 0;
  }
  return 0;
}

bool Bool(const Json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

const Json& Field(const Json& object, const char* field) {
  static const Json* const kNull = new Json();
  auto it = object.find(field);
  return it == object.end() ? *kNull : *it;
}

KeyValue ParseKv(const Json& kv) {
  return KeyValue{.key = Unbase64(kv, "key"),
                  .value = Unbase64(kv, "value"),
                  .create_revision = FromEtcd(Int(kv, "create_revision")),
                  .mod_revision = FromEtcd(Int(kv, "mod_revision"))};
}

int64_t HeaderRevision(const Json& response) { return Int(Field(response, "header"), "revision"); }

// The start key and range end of every key with `prefix` ("\0" as range end: no upper bound).
std::pair<std::string, std::string> PrefixRange(std::string_view prefix) {
  std::string end = PrefixEnd(prefix);
  return {prefix.empty() ? std::string(1, '\0') : std::string(prefix),
          end.empty() ? std::string(1, '\0') : end};
}

absl::Status ErrorStatus(std::string_view message) {
  if (StrContains(message, "required revision has been compacted")) {
    return absl::OutOfRangeError(StrCat("too old resource version (etcd: ", message, ")"));
  }
  if (StrContains(message, "future revision")) {
    return absl::InvalidArgumentError(
        StrCat("resource version is newer than the current revision (etcd: ", message, ")"));
  }
  return absl::UnavailableError(StrCat("etcd: ", message));
}

// A pool of keep-alive HTTP clients to one etcd endpoint. Thread-safe.
class Connection {
 public:
  explicit Connection(const EtcdStore::Options& options) : options_(options) {}

  std::unique_ptr<httplib::Client> NewClient(absl::Duration read_timeout) const {
    auto client = std::make_unique<httplib::Client>(options_.host, options_.port);
    auto micros = [](absl::Duration d) {
      return std::chrono::microseconds(absl::ToInt64Microseconds(d));
    };
    client->set_connection_timeout(micros(options_.timeout));
    client->set_read_timeout(micros(read_timeout));
    client->set_write_timeout(micros(options_.timeout));
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    return client;
  }

  const EtcdStore::Options& options() const { return options_; }

  // POSTs `body` to `path`; etcd errors become statuses (see ErrorStatus).
  absl::StatusOr<Json> Post(const std::string& path, const Json& body) {
    std::unique_ptr<httplib::Client> client;
    {
      absl::MutexLock lock(&mu_);
      if (!idle_.empty()) {
        client = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (client == nullptr) client = NewClient(options_.timeout);
    httplib::Request request;
    request.method = "POST";
    request.path = path;
    request.body = body.dump();
    request.headers.emplace("Content-Type", "application/json");
    std::string received;
    request.content_receiver = [&received](const char* data, size_t size, uint64_t, uint64_t) {
      received.append(data, size);
      return true;
    };
    httplib::Response result;
    httplib::Error error = httplib::Error::Success;
    // The gateway ends error responses with HTTP trailers, which cpp-httplib 0.11 reports as a
    // read error after the body arrived: judge by the status and the body, not by send's result.
    const bool sent = client->send(request, result, error);
    Json response = Json::parse(received, nullptr, /*allow_exceptions=*/false);
    const bool parsed = !response.is_discarded() && response.is_object();
    if (sent && result.status == 200) {
      absl::MutexLock lock(&mu_);
      if (idle_.size() < kMaxIdle) idle_.push_back(std::move(client));
    }
    if (parsed && result.status >= 400 && response.contains("message")) {
      const Json& message = Field(response, "message");
      return ErrorStatus(message.is_string() ? message.get<std::string>()
                                             : StrCat("HTTP ", result.status));
    }
    if (!sent) {
      return absl::UnavailableError(StrCat("etcd at ", options_.host, ":", options_.port, path,
                                           ": ", httplib::to_string(error)));
    }
    if (!parsed || result.status != 200 || response.contains("error")) {
      return absl::UnavailableError(
          StrCat("etcd ", path, ": HTTP ", result.status, ": ", received.substr(0, 200)));
    }
    return response;
  }

  // etcd's current revision.
  absl::StatusOr<int64_t> EtcdRevision() {
    DRA_ASSIGN_OR_RETURN(Json response,
                         Post("/v3/kv/range", {{"key", Base64(std::string_view("\0", 1))}}));
    return HeaderRevision(response);
  }

 private:
  static constexpr size_t kMaxIdle = 32;
  const EtcdStore::Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> idle_ ABSL_GUARDED_BY(mu_);
};

// Shared by a stream, its reader thread and the store.
struct WatchState {
  WatchState(std::shared_ptr<Connection> c, std::string_view prefix, int64_t start)
      : conn(std::move(c)),
        queue(std::make_shared<internal::WatchQueue>(prefix)),
        last_seen(start - 1) {}

  // Ends the stream now. Not from the reader thread (it returns false from its receiver).
  void Stop() {
    absl::MutexLock lock(&mu);
    StopLocked();
  }
  // `stop_client`: false on the reader thread, which aborts its request by returning false.
  void StopLocked(bool stop_client = true) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    stopped = true;
    queue->Cancel();
    if (stop_client && client != nullptr) client->stop();
  }
  // Ends the stream once every event up to etcd revision `revision` was delivered.
  void StopAfter(int64_t revision) {
    absl::MutexLock lock(&mu);
    stop_after = std::min(stop_after, revision);
    if (last_seen >= stop_after) StopLocked();
  }
  // Waits until the events up to etcd revision `revision` were taken from etcd: etcd replays
  // history to a new watcher in the background, and a compaction during the replay would cancel
  // it. Returns whether that happened before `deadline` (false: stopped or timed out).
  bool WaitUntilSeen(int64_t revision, absl::Time deadline) {
    absl::MutexLock lock(&mu);
    auto caught_up = [this, revision]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return last_seen >= revision || stopped;
    };
    mu.AwaitWithDeadline(absl::Condition(&caught_up), deadline);
    return last_seen >= revision;
  }
  // Ends the stream after the writes committed so far.
  void StopAfterCurrent() {
    absl::StatusOr<int64_t> current = conn->EtcdRevision();
    if (current.ok()) {
      StopAfter(*current);
    } else {
      Stop();
    }
  }

  const std::shared_ptr<Connection> conn;
  const std::shared_ptr<internal::WatchQueue> queue;
  absl::Mutex mu;
  httplib::Client* client ABSL_GUARDED_BY(mu) = nullptr;  // The reader's, while connected.
  bool stopped ABSL_GUARDED_BY(mu) = false;
  int64_t last_seen ABSL_GUARDED_BY(mu);  // etcd revision of the latest event taken.
  int64_t stop_after ABSL_GUARDED_BY(mu) = std::numeric_limits<int64_t>::max();
  absl::Notification done;  // The reader thread is finished.
};

// Handles one line of the watch response stream. Returns false when the stream must end.
bool HandleWatchLine(WatchState& state, std::string_view line, bool* failed) {
  Json message = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded() || !message.is_object()) return true;
  if (message.contains("error")) {
    *failed = true;
    return false;
  }
  const Json& result = Field(message, "result");
  absl::MutexLock lock(&state.mu);
  if (state.stopped) return false;
  if (Int(result, "compact_revision") > 0 || Bool(result, "canceled")) {
    // History the stream still needed is gone (or etcd refused the watch): end it.
    state.StopLocked(/*stop_client=*/false);
    return false;
  }
  const Json& events = Field(result, "events");
  if (!events.is_array()) return true;
  for (const Json& e : events) {
    const Json& kv = Field(e, "kv");
    const int64_t revision = Int(kv, "mod_revision");
    if (revision <= state.last_seen) continue;  // Seen before a reconnect.
    if (revision > state.stop_after) {
      state.StopLocked(/*stop_client=*/false);
      return false;
    }
    state.last_seen = revision;
    WatchEvent event;
    event.key = Unbase64(kv, "key");
    event.revision = FromEtcd(revision);
    const Json& type = Field(e, "type");
    if (type.is_string() && type.get<std::string>() == "DELETE") {
      const Json& prev = Field(e, "prev_kv");
      event.type = EventType::kDeleted;
      event.value = Unbase64(prev, "value");
      event.create_revision = FromEtcd(Int(prev, "create_revision"));
    } else {
      const int64_t create = Int(kv, "create_revision");
      event.type = create == revision ? EventType::kAdded : EventType::kModified;
      event.value = Unbase64(kv, "value");
      event.create_revision = FromEtcd(create);
    }
    if (state.queue->Matches(event.key)) state.queue->Push(std::move(event));
    if (state.last_seen >= state.stop_after) {
      state.StopLocked(/*stop_client=*/false);
      return false;
    }
  }
  return true;
}

// The reader thread: streams /v3/watch into the queue, reconnecting when the connection drops.
void ReadWatch(std::shared_ptr<WatchState> state) {
  const std::string all_keys(1, '\0');
  while (true) {
    std::unique_ptr<httplib::Client> client = state->conn->NewClient(absl::Seconds(60));
    int64_t start;
    {
      absl::MutexLock lock(&state->mu);
      if (state->stopped) break;
      state->client = client.get();
      start = state->last_seen + 1;
    }
    Json body = {{"create_request",
                  {{"key", Base64(all_keys)},
                   {"range_end", Base64(all_keys)},
                   {"start_revision", std::to_string(start)},
                   {"prev_kv", true}}}};
    httplib::Request request;
    request.method = "POST";
    request.path = "/v3/watch";
    request.body = body.dump();
    request.headers.emplace("Content-Type", "application/json");
    std::string buffer;
    bool keep_going = true;
    bool failed = false;
    request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      buffer.append(data, size);
      size_t begin = 0;
      for (size_t newline; keep_going && (newline = buffer.find('\n', begin)) != std::string::npos;
           begin = newline + 1) {
        keep_going = HandleWatchLine(
            *state, std::string_view(buffer).substr(begin, newline - begin), &failed);
      }
      buffer.erase(0, begin);
      return keep_going;
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    client->send(request, response, error);
    bool soft_stop;
    {
      absl::MutexLock lock(&state->mu);
      state->client = nullptr;
      if (state->stopped || (!keep_going && !failed)) break;
      soft_stop = state->stop_after != std::numeric_limits<int64_t>::max();
    }
    // etcd unreachable while the stream only waits to end: end it now.
    if (soft_stop && error == httplib::Error::Connection) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  state->Stop();
  state->done.Notify();
}

class EtcdWatchStream final : public WatchStream {
 public:
  explicit EtcdWatchStream(std::shared_ptr<WatchState> state)
      : state_(std::move(state)), reader_(ReadWatch, state_) {}

  ~EtcdWatchStream() override {
    // Stop may land before the reader connected; repeat until it is done.
    do {
      state_->Stop();
    } while (!state_->done.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
    reader_.join();
  }

  absl::StatusOr<WatchEvent> Next(absl::Time deadline) override {
    return state_->queue->Pop(deadline);
  }
  void Cancel() override { state_->StopAfterCurrent(); }

 private:
  std::shared_ptr<WatchState> state_;
  std::thread reader_;
};

absl::Status ValidateKey(std::string_view key) {
  if (key.empty()) return absl::InvalidArgumentError("store key must not be empty");
  return absl::OkStatus();
}

Json Compare(std::string_view key, const char* target, const char* result, int64_t value) {
  const char* field = std::string_view(target) == "CREATE" ? "create_revision" : "mod_revision";
  return {
      {"key", Base64(key)}, {"target", target}, {"result", result}, {field, std::to_string(value)}};
}

Json RangeOp(std::string_view key) { return {{"request_range", {{"key", Base64(key)}}}}; }

// The kvs of the range response in a failed transaction (empty: the key is absent).
const Json& FailureKvs(const Json& txn) {
  const Json& responses = Field(txn, "responses");
  if (!responses.is_array() || responses.empty()) return Field(txn, "no such field");
  return Field(Field(responses[0], "response_range"), "kvs");
}

absl::Status Conflict(std::string_view key, int64_t expected, int64_t actual) {
  return absl::AbortedError(StrCat(
      "Operation cannot be fulfilled on key \"", key, "\": the object has been modified; please ",
      "apply your changes to the latest version and try again (expected revision ", expected,
      ", current ", actual, ")"));
}

absl::Status NotFound(std::string_view key) {
  return absl::NotFoundError(StrCat("key \"", key, "\" not found"));
}

}  // namespace etcd_internal

using etcd_internal::Base64;
using etcd_internal::Field;
using etcd_internal::FromEtcd;
using etcd_internal::Int;
using etcd_internal::Json;
using etcd_internal::ToEtcd;

absl::StatusOr<std::unique_ptr<EtcdStore>> EtcdStore::Open(const Options& options) {
  auto conn = std::make_shared<etcd_internal::Connection>(options);
  DRA_RETURN_IF_ERROR(conn->EtcdRevision().status());
  return std::unique_ptr<EtcdStore>(new EtcdStore(std::move(conn)));
}

EtcdStore::~EtcdStore() {
  std::vector<std::shared_ptr<etcd_internal::WatchState>> live;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& weak : watchers_) {
      if (auto state = weak.lock()) live.push_back(std::move(state));
    }
  }
  if (live.empty()) return;
  absl::StatusOr<int64_t> current = conn_->EtcdRevision();
  for (const auto& state : live) {
    if (current.ok()) {
      state->StopAfter(*current);
    } else {
      state->Stop();
    }
  }
}

absl::StatusOr<int64_t> EtcdStore::CurrentRevision() {
  DRA_ASSIGN_OR_RETURN(int64_t revision, conn_->EtcdRevision());
  return FromEtcd(revision);
}

absl::StatusOr<KeyValue> EtcdStore::Get(std::string_view key) {
  DRA_RETURN_IF_ERROR(etcd_internal::ValidateKey(key));
  DRA_ASSIGN_OR_RETURN(Json response, conn_->Post("/v3/kv/range", {{"key", Base64(key)}}));
  const Json& kvs = Field(response, "kvs");
  if (!kvs.is_array() || kvs.empty()) return etcd_internal::NotFound(key);
  return etcd_internal::ParseKv(kvs[0]);
}

absl::StatusOr<ListResult> EtcdStore::List(std::string_view prefix, const ListOptions& options) {
  if (options.limit < 0) return absl::InvalidArgumentError("list limit must not be negative");
  if (options.at_revision.has_value() && *options.at_revision < 0) {
    return absl::InvalidArgumentError("resource version must not be negative");
  }
  auto [start, end] = etcd_internal::PrefixRange(prefix);
  if (!options.continue_key.empty()) {
    std::string after = options.continue_key + '\0';
    start = std::max(start, after);
  }
  Json body = {{"key", Base64(start)}, {"range_end", Base64(end)}};
  if (options.limit > 0) body["limit"] = std::to_string(options.limit);
  if (options.at_revision.has_value()) {
    body["revision"] = std::to_string(ToEtcd(*options.at_revision));
  }
  DRA_ASSIGN_OR_RETURN(Json response, conn_->Post("/v3/kv/range", body));
  ListResult result;
  result.revision = options.at_revision.has_value()
                        ? *options.at_revision
                        : FromEtcd(etcd_internal::HeaderRevision(response));
  const Json& kvs = Field(response, "kvs");
  if (kvs.is_array()) {
    for (const Json& kv : kvs) result.items.push_back(etcd_internal::ParseKv(kv));
  }
  if (etcd_internal::Bool(response, "more") && !result.items.empty()) {
    result.continue_key = result.items.back().key;
  }
  return result;
}

absl::StatusOr<int64_t> EtcdStore::Create(std::string_view key, std::string_view value) {
  DRA_RETURN_IF_ERROR(etcd_internal::ValidateKey(key));
  Json body = {{"compare", {etcd_internal::Compare(key, "CREATE", "EQUAL", 0)}},
               {"success", {{{"request_put", {{"key", Base64(key)}, {"value", Base64(value)}}}}}},
               {"failure", {etcd_internal::RangeOp(key)}}};
  DRA_ASSIGN_OR_RETURN(Json response, conn_->Post("/v3/kv/txn", body));
  if (!etcd_internal::Bool(response, "succeeded")) {
    return absl::AlreadyExistsError(StrCat("key \"", key, "\" already exists"));
  }
  return FromEtcd(etcd_internal::HeaderRevision(response));
}

absl::StatusOr<int64_t> EtcdStore::Update(std::string_view key, std::string_view value,
                                          int64_t expected_revision) {
  DRA_RETURN_IF_ERROR(etcd_internal::ValidateKey(key));
  Json body = {{"compare",
                {etcd_internal::Compare(key, "CREATE", "GREATER", 0),
                 etcd_internal::Compare(key, "MOD", "EQUAL", ToEtcd(expected_revision))}},
               {"success", {{{"request_put", {{"key", Base64(key)}, {"value", Base64(value)}}}}}},
               {"failure", {etcd_internal::RangeOp(key)}}};
  DRA_ASSIGN_OR_RETURN(Json response, conn_->Post("/v3/kv/txn", body));
  if (!etcd_internal::Bool(response, "succeeded")) {
    const Json& kvs = etcd_internal::FailureKvs(response);
    if (!kvs.is_array() || kvs.empty()) return etcd_internal::NotFound(key);
    return etcd_internal::Conflict(key, expected_revision, FromEtcd(Int(kvs[0], "mod_revision")));
  }
  return FromEtcd(etcd_internal::HeaderRevision(response));
}

absl::StatusOr<DeleteResult> EtcdStore::Delete(std::string_view key,
                                               std::optional<int64_t> expected_revision) {
  DRA_RETURN_IF_ERROR(etcd_internal::ValidateKey(key));
  Json compare = Json::array({etcd_internal::Compare(key, "CREATE", "GREATER", 0)});
  if (expected_revision.has_value()) {
    compare.push_back(etcd_internal::Compare(key, "MOD", "EQUAL", ToEtcd(*expected_revision)));
  }
  Json body = {{"compare", compare},
               {"success", {{{"request_delete_range", {{"key", Base64(key)}, {"prev_kv", true}}}}}},
               {"failure", {etcd_internal::RangeOp(key)}}};
  DRA_ASSIGN_OR_RETURN(Json response, conn_->Post("/v3/kv/txn", body));
  if (!etcd_internal::Bool(response, "succeeded")) {
    const Json& kvs = etcd_internal::FailureKvs(response);
    if (!kvs.is_array() || kvs.empty()) return etcd_internal::NotFound(key);
    return etcd_internal::Conflict(key, expected_revision.value_or(0),
                                   FromEtcd(Int(kvs[0], "mod_revision")));
  }
  const Json& responses = Field(response, "responses");
  const Json& prev_kvs = responses.is_array() && !responses.empty()
                             ? Field(Field(responses[0], "response_delete_range"), "prev_kvs")
                             : Field(response, "no such field");
  if (!prev_kvs.is_array() || prev_kvs.empty()) {
    return absl::InternalError(StrCat("etcd: delete of \"", key, "\" returned no previous value"));
  }
  return DeleteResult{.prev = etcd_internal::ParseKv(prev_kvs[0]),
                      .revision = FromEtcd(etcd_internal::HeaderRevision(response))};
}

absl::StatusOr<std::unique_ptr<WatchStream>> EtcdStore::Watch(std::string_view prefix,
                                                              int64_t from_revision) {
  if (from_revision < 0) {
    return absl::InvalidArgumentError("resource version must not be negative");
  }
  // A point read at the revision reports "compacted" and "future" as List does. etcd's watch
  // itself accepts a start one past the compacted revision, whose write is gone.
  DRA_ASSIGN_OR_RETURN(
      Json probe,
      conn_->Post("/v3/kv/range", {{"key", Base64(std::string_view("\0", 1))},
                                   {"revision", std::to_string(ToEtcd(from_revision))}}));
  const int64_t current = etcd_internal::HeaderRevision(probe);
  auto state =
      std::make_shared<etcd_internal::WatchState>(conn_, prefix, ToEtcd(from_revision) + 1);
  {
    absl::MutexLock lock(&mu_);
    std::erase_if(watchers_, [](const auto& weak) { return weak.expired(); });
    watchers_.push_back(state);
  }
  auto stream = std::make_unique<etcd_internal::EtcdWatchStream>(state);
  // Take the replay of the history before returning, so that Compact cannot cut it short.
  if (!state->WaitUntilSeen(current, absl::Now() + conn_->options().timeout)) {
    if (state->queue->cancelled()) {
      return absl::OutOfRangeError(dra::StrCat("too old resource version: ", from_revision,
                                               " (compacted while the watch started)"));
    }
    return absl::UnavailableError(
        dra::StrCat("etcd watch from revision ", from_revision, " did not catch up in time"));
  }
  return stream;
}

absl::Status EtcdStore::Compact(int64_t revision) {
  if (revision <= 0) return absl::OkStatus();
  absl::StatusOr<Json> response = conn_->Post(
      "/v3/kv/compaction", {{"revision", std::to_string(ToEtcd(revision))}, {"physical", true}});
  // At or below the compacted revision: a no-op.
  if (response.status().code() == absl::StatusCode::kOutOfRange) return absl::OkStatus();
  return response.status();
}

absl::StatusOr<int64_t> EtcdStore::CompactedRevision() {
  DRA_ASSIGN_OR_RETURN(int64_t high, CurrentRevision());
  // The smallest revision still readable: reads at [0, compacted) fail, at [compacted, current]
  // succeed.
  int64_t low = 0;
  while (low < high) {
    const int64_t mid = low + (high - low) / 2;
    absl::StatusOr<Json> read = conn_->Post(
        "/v3/kv/range",
        {{"key", Base64(std::string_view("\0", 1))}, {"revision", std::to_string(ToEtcd(mid))}});
    if (read.ok()) {
      high = mid;
    } else if (read.status().code() == absl::StatusCode::kOutOfRange) {
      low = mid + 1;
    } else {
      return read.status();
    }
  }
  return low;
}

}  // namespace dra::store
