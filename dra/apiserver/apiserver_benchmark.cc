// API server benchmarks through HTTP, on SQLite in a temporary directory:
// - BM_CreateResourceClaims/<clients>: ResourceClaim creates (POST) from <clients> keep-alive
//   connections at once; reports creates/s.
// - BM_ListResourceClaims/10000: one GET of 10,000 claims (JSON, ~6 MB).
// - BM_WatchFanout/100: a write seen by 100 open watches; reports the time until the last of
//   them received the event (p50, p99 over the iterations).
// - BM_InProcessWrites: a ResourceClaim create and a status update (allocation and reservedFor),
//   as the control plane's loopback clients send them (objects in and out, no HTTP, no JSON
//   outside the store), one at a time: the floor of one write's CPU time, with no watch open.
// Plain HTTP (as with --insecure-http) isolates the server's own cost; BM_CreateResourceClaimsTls
// adds TLS with bearer-token authentication.
//
//   build/obj/dra/apiserver/apiserver_benchmark
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/apiserver/handler.h"
#include "dra/apiserver/http_server.h"
#include "dra/apiserver/tls/tls.h"
#include "dra/store/sqlite_store.h"

namespace dra::apiserver {
namespace {

class Server {
 public:
  explicit Server(bool tls) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("dra-apiserver-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    store_ = *store::SqliteStore::Open(dir_.string());
    handler_ = std::make_unique<Handler>(store_.get(), HandlerOptions{});
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.insecure_http = !tls;
    if (tls) {
      credentials_ = *LoadOrCreateCredentials(dir_ / "pki", {});
      options.credentials = &credentials_;
      options.tokens = {credentials_.admin_token};
    }
    http_ = *HttpServer::Start(handler_.get(), options);
    auto ns = api::Value::Object();
    ns.Set("apiVersion", api::Value::String("v1"));
    ns.Set("kind", api::Value::String("Namespace"));
    ns.Set("metadata", api::Value::Object({{"name", api::Value::String("default")}}));
    (void)handler_->registry().Create(*FindResourceByKind("", "Namespace"), "", std::move(ns), {});
  }
  ~Server() {
    http_->Stop();
    handler_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Handler& handler() { return *handler_; }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>(http_->url());
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_read_timeout(60, 0);
    if (!credentials_.admin_token.empty()) {
      client->set_ca_cert_path((dir_ / "pki" / "ca.crt").c_str());
      client->enable_server_certificate_verification(true);
      client->set_bearer_token_auth(credentials_.admin_token);
    }
    return client;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Handler> handler_;
  Credentials credentials_;
  std::unique_ptr<HttpServer> http_;
};

std::string ClaimBody(const std::string& name) {
  return R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim","metadata":{"name":")" +
         name +
         R"(","labels":{"app":"bench"}},"spec":{"devices":{"requests":[{"name":"gpu","exactly":{"deviceClassName":"gpu.example.com","selectors":[{"cel":{"expression":"device.attributes['gpu.example.com'].model == 'H100'"}}]}}]}}})";
}

constexpr char kClaims[] = "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims";

void CreateClaims(benchmark::State& state, bool tls) {
  const int clients = static_cast<int>(state.range(0));
  const int per_client = 1000;
  Server server(tls);
  int round = 0;
  int64_t failures = 0;
  for (auto _ : state) {
    std::vector<std::thread> threads;
    std::atomic<int64_t> failed{0};
    auto start = std::chrono::steady_clock::now();
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        auto client = server.Client();
        for (int i = 0; i < per_client; ++i) {
          std::string name =
              "c-" + std::to_string(round) + "-" + std::to_string(c) + "-" + std::to_string(i);
          auto res = client->Post(kClaims, ClaimBody(name), "application/json");
          if (!res || res->status != 201) failed++;
        }
      });
    }
    for (auto& t : threads) t.join();
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    state.SetIterationTime(elapsed.count());
    failures += failed.load();
    ++round;
  }
  state.SetItemsProcessed(state.iterations() * clients * per_client);
  state.counters["creates/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * clients * per_client), benchmark::Counter::kIsRate);
  state.counters["failed"] = static_cast<double>(failures);
}

void BM_CreateResourceClaims(benchmark::State& state) { CreateClaims(state, false); }
BENCHMARK(BM_CreateResourceClaims)
    ->Arg(1)
    ->Arg(4)
    ->Arg(16)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

void BM_CreateResourceClaimsTls(benchmark::State& state) { CreateClaims(state, true); }
BENCHMARK(BM_CreateResourceClaimsTls)
    ->Arg(16)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

void BM_InProcessWrites(benchmark::State& state) {
  Server server(false);
  Handler& handler = server.handler();
  const std::string collection = kClaims;
  int64_t writes = 0;
  int n = 0;
  auto cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  double cpu_start = cpu();
  for (auto _ : state) {
    std::string name = "p-" + std::to_string(n++);
    Request create;
    create.method = "POST";
    create.path = collection;
    create.content_type = "application/json";
    api::Value body = *api::ParseJson(ClaimBody(name));
    create.body_object = &body;
    create.want_object = true;
    Response created = handler.Handle(create);
    if (created.code != 201 || !created.document.has_value()) {
      state.SkipWithError("create failed");
      break;
    }
    api::Value claim = *std::move(created.document);
    claim.Set("status",
              *api::ParseJson(R"({"allocation":{"devices":{"results":[{"request":"gpu","driver":)"
                              R"("gpu.example.com","pool":"node-1","device":"gpu-0"}]},)"
                              R"("nodeSelector":{"nodeSelectorTerms":[{"matchFields":[{"key":)"
                              R"("metadata.name","operator":"In","values":["node-1"]}]}]}},)"
                              R"("reservedFor":[{"resource":"pods","name":"pod","uid":"u"}]})"));
    Request update;
    update.method = "PUT";
    update.path = collection + "/" + name + "/status";
    update.content_type = "application/json";
    update.body_object = &claim;
    update.want_object = true;
    if (handler.Handle(update).code != 200) {
      state.SkipWithError("status update failed");
      break;
    }
    writes += 2;
  }
  double cpu_seconds = cpu() - cpu_start;
  state.counters["writes/s"] =
      benchmark::Counter(static_cast<double>(writes), benchmark::Counter::kIsRate);
  state.counters["cpu_us_per_write"] = writes > 0 ? cpu_seconds * 1e6 / writes : 0;
}
BENCHMARK(BM_InProcessWrites)->Iterations(5000)->Unit(benchmark::kMicrosecond);

void BM_ListResourceClaims(benchmark::State& state) {
  Server server(false);
  const int count = static_cast<int>(state.range(0));
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < 8; ++c) {
      threads.emplace_back([&, c] {
        auto client = server.Client();
        for (int i = c; i < count; i += 8) {
          client->Post(kClaims, ClaimBody("l-" + std::to_string(i)), "application/json");
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  auto client = server.Client();
  size_t bytes = 0;
  for (auto _ : state) {
    auto res = client->Get(kClaims);
    if (!res || res->status != 200) state.SkipWithError("list failed");
    bytes = res ? res->body.size() : 0;
  }
  state.counters["objects"] = count;
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_ListResourceClaims)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_WatchFanout(benchmark::State& state) {
  const int watchers = static_cast<int>(state.range(0));
  Server server(false);
  std::mutex mu;
  std::condition_variable cv;
  std::string expected;  // name of the object whose event is awaited
  int received = 0;
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<httplib::Client>> clients;
  std::vector<std::thread> threads;
  std::atomic<int> started{0};
  for (int w = 0; w < watchers; ++w) {
    clients.push_back(server.Client());
    httplib::Client* client = clients.back().get();
    threads.emplace_back([&, client] {
      std::string buffer;
      bool first = true;
      client->Get(std::string(kClaims) + "?watch=true&resourceVersion=1", httplib::Headers{},
                  [&](const char* data, size_t length) {
                    if (first) {
                      first = false;
                      started++;
                    }
                    buffer.append(data, length);
                    size_t newline;
                    while ((newline = buffer.find('\n')) != std::string::npos) {
                      std::string line = buffer.substr(0, newline);
                      buffer.erase(0, newline + 1);
                      std::lock_guard<std::mutex> lock(mu);
                      if (!expected.empty() && line.find(expected) != std::string::npos) {
                        if (++received == watchers) cv.notify_all();
                      }
                    }
                    return !stop.load();
                  });
    });
  }
  // Each watch first replays the namespace-free history from revision 1: one write makes sure
  // every stream is open and flowing.
  auto writer = server.Client();
  writer->Post(kClaims, ClaimBody("warmup"), "application/json");
  for (int i = 0; i < 500 && started.load() < watchers; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::vector<double> latencies;
  int n = 0;
  for (auto _ : state) {
    std::string name = "w-" + std::to_string(n++);
    {
      std::lock_guard<std::mutex> lock(mu);
      expected = "\"name\":\"" + name + "\"";
      received = 0;
    }
    auto start = std::chrono::steady_clock::now();
    writer->Post(kClaims, ClaimBody(name), "application/json");
    std::unique_lock<std::mutex> lock(mu);
    bool all = cv.wait_for(lock, std::chrono::seconds(10), [&] { return received == watchers; });
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    if (!all) state.SkipWithError("not every watcher saw the event");
    state.SetIterationTime(elapsed.count());
    latencies.push_back(elapsed.count() * 1e3);
  }
  stop = true;
  writer->Post(kClaims, ClaimBody("stop"), "application/json");
  for (auto& c : clients) c->stop();
  for (auto& t : threads) t.join();
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    state.counters["p50_ms"] = latencies[latencies.size() / 2];
    state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100];
    state.counters["max_ms"] = latencies.back();
  }
}
BENCHMARK(BM_WatchFanout)
    ->Arg(100)
    ->UseManualTime()
    ->Iterations(200)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dra::apiserver

BENCHMARK_MAIN();
