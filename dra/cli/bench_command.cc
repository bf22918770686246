#include "dra/cli/bench_command.h"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "dra/api/codec/codec.h"
#include "dra/apiserver/server.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/cli/cli.h"
#include "dra/cli/loopback_transport.h"
#include "dra/client/informer.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/scheduler/scheduler.h"

namespace dra::cli {
namespace {

using api::Value;
using Clock = std::chrono::steady_clock;

Value Doc(const std::string& yaml) { return api::ParseDocuments(yaml)->front(); }

// CPU time (user + system) of this process so far, in seconds.
double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int64_t StatusKb(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(status, line)) {
    if (line.compare(0, n, field) == 0) return std::stoll(line.substr(n));
  }
  return 0;
}

// Returns freed memory to the system and restarts the peak RSS count at the current RSS.
void ResetPeakRss() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

// Runs `fn(i)` for i in [0, n) on `threads` threads.
void ParallelFor(int n, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

enum class Mode {
  kBatch,      // all pods at once
  kSteady,     // `in_flight` pods at a time for the duration
  kInventory,  // no pods: memory of the synced control plane
};

enum class Claim { kBasic, kSelector, kMatchAttribute };

struct Workload {
  std::string name;
  Mode mode;
  int nodes;
  int devices_per_node;
  int preallocated;
  int pods;  // kBatch
  Claim claim = Claim::kBasic;
};

const std::vector<Workload>& Workloads() {
  static const auto* workloads = new std::vector<Workload>{
      {"5000pods_500nodes", Mode::kBatch, 500, 10, 2500, 2500},
      {"empty", Mode::kSteady, 500, 10, 0, 0},
      {"half", Mode::kSteady, 500, 10, 2500, 0},
      {"full", Mode::kSteady, 500, 10, 4990, 0},
      {"selector_empty", Mode::kSteady, 500, 10, 0, 0, Claim::kSelector},
      {"match_empty", Mode::kSteady, 500, 10, 0, 0, Claim::kMatchAttribute},
      {"inventory_5000nodes", Mode::kInventory, 5000, 8, 0, 0},
  };
  return *workloads;
}

// Pods in flight in the steady-state workloads (upstream's count: 10).
constexpr int kInFlight = 10;

std::string TemplateYaml(Claim claim) {
  std::string requests;
  std::string constraints;
  switch (claim) {
    case Claim::kBasic:
      requests = "      - name: req-0\n        exactly: {deviceClassName: test-class}\n";
      break;
    case Claim::kSelector:
      requests =
          "      - name: req-0\n        exactly:\n          deviceClassName: test-class\n"
          "          selectors:\n          - cel: {expression: 'device.attributes[\"test-driver."
          "cdi.k8s.io\"].driverVersion.major() >= 1 && device.capacity[\"test-driver.cdi.k8s.io\"]"
          ".memory.isGreaterThan(quantity(\"1Mi\"))'}\n";
      break;
    case Claim::kMatchAttribute:
      for (int r = 0; r < 5; ++r) {
        requests += "      - name: req-" + std::to_string(r) +
                    "\n        exactly: {deviceClassName: test-class}\n";
      }
      constraints = "      constraints:\n      - matchAttribute: dra.example.com/pciRoot\n";
      break;
  }
  return "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\nmetadata: "
         "{name: test-claim-template}\nspec:\n  spec:\n    devices:\n      requests:\n" +
         requests + constraints;
}

Value PodDoc(const std::string& name) {
  return Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
             "}\nspec:\n  containers: [{name: c, image: i, resources: {claims: "
             "[{name: resource}]}}]\n  resourceClaims:\n  - {name: resource, "
             "resourceClaimTemplateName: test-claim-template}\n");
}

struct Figures {
  int64_t scheduled = 0;
  int64_t expected = 0;  // kBatch: pods that had to be scheduled
  double seconds = 0;
  double cpu_seconds = 0;
  std::vector<double> samples;  // pods per one-second sample
  double setup_seconds = 0;
  int64_t peak_rss_mb = 0;
};

// Samples scheduled_count() every second until `done` says so or `deadline` passes.
void Sample(const scheduler::Scheduler& scheduler, Clock::time_point t0, Clock::time_point deadline,
            const std::function<bool()>& done, Figures& f) {
  int64_t last = 0;
  auto sample_start = t0;
  while (!done() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto now = Clock::now();
    if (now - sample_start >= std::chrono::seconds(1)) {
      int64_t count = scheduler.scheduled_count();
      f.samples.push_back(static_cast<double>(count - last));
      last = count;
      sample_start += std::chrono::seconds(1);
    }
  }
}

absl::StatusOr<Figures> RunWorkload(const Workload& w, double duration_s, std::ostream& err) {
  Figures f;
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("dra-bench-" + std::to_string(::getpid()) + "-" + w.name);
  std::filesystem::remove_all(dir);
  ResetPeakRss();
  apiserver::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir.string();
  config.insecure_http = true;
  DRA_ASSIGN_OR_RETURN(std::unique_ptr<apiserver::ApiServer> server,
                       apiserver::ApiServer::Start(config));
  auto cleanup = [&] {
    server->Stop();
    std::filesystem::remove_all(dir);
  };
  DRA_ASSIGN_OR_RETURN(client::ClusterConfig cluster,
                       client::LoadKubeconfig(server->kubeconfig_path()));
  DRA_ASSIGN_OR_RETURN(
      std::unique_ptr<client::RestClient> rest,
      client::RestClient::Create(cluster, {.user_agent = "dra-bench", .max_connections = 32}));
  client::RestClient& c = *rest;
  auto started = Clock::now();
  std::atomic<int> failures{0};
  auto check = [&](const absl::StatusOr<Value>& r) {
    if (!r.ok() && failures++ < 3) err << "dra bench: " << w.name << ": " << r.status() << "\n";
  };
  // Cluster: nodes with one slice each, the class, the template.
  check(c.Create(client::DeviceClasses(), "",
                 Doc("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: "
                     "test-class}\nspec:\n  selectors:\n  - cel: {expression: 'device.driver == "
                     "\"test-driver.cdi.k8s.io\"'}\n")));
  check(c.Create(client::ResourceClaimTemplates(), "default", Doc(TemplateYaml(w.claim))));
  ParallelFor(w.nodes, 8, [&](int n) {
    std::string node = "scheduler-perf-dra-" + std::to_string(n);
    check(c.Create(client::Nodes(), "",
                   Doc("apiVersion: v1\nkind: Node\nmetadata: {name: " + node + "}\n")));
    std::string devices;
    for (int d = 0; d < w.devices_per_node; ++d) {
      devices += "  - name: device-" + std::to_string(d) +
                 "\n    attributes: {model: {string: model-x}, family: {string: family-y}, "
                 "driverVersion: {version: 1.2.3}, dra.example.com/pciRoot: {string: 'root-" +
                 std::to_string(d % 2) + "'}}\n    capacity: {memory: {value: 1Gi}}\n";
    }
    check(c.Create(client::ResourceSlices(), "",
                   Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " +
                       node + "-slice}\nspec:\n  driver: test-driver.cdi.k8s.io\n  nodeName: " +
                       node + "\n  pool: {name: " + node +
                       ", generation: 1, resourceSliceCount: 1}\n  devices:\n" + devices)));
  });
  // Pre-allocated claims, written with their allocation as a previous scheduler would have:
  // spread evenly, the same number of devices taken on each node (the last ones fuller).
  int per_node = w.nodes == 0 ? 1 : std::max(1, (w.preallocated + w.nodes - 1) / w.nodes);
  ParallelFor(w.preallocated, 8, [&](int i) {
    int node = i / per_node;
    int device = i % per_node;
    std::string name = "prealloc-" + std::to_string(i);
    absl::StatusOr<Value> claim = c.Create(
        client::ResourceClaims(), "default",
        Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
            "}\nspec:\n  devices:\n    requests:\n    - name: req-0\n      exactly: "
            "{deviceClassName: test-class}\n"));
    if (!claim.ok()) return check(claim);
    std::string node_name = "scheduler-perf-dra-" + std::to_string(node % std::max(1, w.nodes));
    Value status =
        Doc("allocation:\n  devices:\n    results:\n    - {request: req-0, driver: "
            "test-driver.cdi.k8s.io, pool: " +
            node_name + ", device: device-" + std::to_string(device) +
            "}\n  nodeSelector:\n    nodeSelectorTerms:\n    "
            "- matchFields: [{key: metadata.name, operator: In, values: [" +
            node_name + "]}]\n");
    claim->Set("status", status);
    check(c.UpdateStatus(client::ResourceClaims(), "default", *claim));
  });
  if (failures > 0) {
    cleanup();
    return absl::FailedPreconditionError(dra::StrCat(failures.load(), " setup requests failed"));
  }
  // The control plane, as dra server runs it: its components reach the server in-process.
  LoopbackTransport loopback(&server->handler());
  DRA_ASSIGN_OR_RETURN(
      std::unique_ptr<client::RestClient> plane_client,
      client::RestClient::Create(cluster, {.user_agent = "dra-server", .transport = &loopback}));
  controllers::ResourceClaimController claims(plane_client.get());
  scheduler::Scheduler scheduler(plane_client.get());
  if (absl::Status s = claims.Start(); !s.ok()) {
    cleanup();
    return s;
  }
  if (absl::Status s = scheduler.Start(); !s.ok()) {
    claims.Stop();
    cleanup();
    return s;
  }
  claims.WaitForSync(absl::Now() + absl::Seconds(30));
  f.setup_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  auto t0 = Clock::now();
  double cpu0 = CpuSeconds();
  if (w.mode == Mode::kBatch) {
    f.expected = w.pods;
    std::thread creator([&] {
      ParallelFor(w.pods, 4, [&](int i) {
        check(c.Create(client::Pods(), "default", PodDoc("pod-" + std::to_string(i))));
      });
    });
    Sample(
        scheduler, t0, t0 + std::chrono::minutes(5),
        [&] { return scheduler.scheduled_count() >= w.pods; }, f);
    f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    creator.join();
  } else if (w.mode == Mode::kSteady) {
    // A pod observed with a node is deleted and replaced by a new one, by a few workers.
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::string> bound;
    bool stop = false;
    std::atomic<int> next_pod{0};
    client::Informer pods(&c, client::Pods(), {.ns = "default"});
    pods.AddHandler(
        nullptr,
        [&](const Value& old_object, const Value& object) {
          const Value* old_spec = old_object.Find("spec");
          const Value* spec = object.Find("spec");
          const Value* old_node = old_spec ? old_spec->Find("nodeName") : nullptr;
          const Value* node = spec ? spec->Find("nodeName") : nullptr;
          if (node == nullptr || old_node != nullptr) return;
          std::lock_guard<std::mutex> lock(mu);
          bound.push_back(object.Find("metadata")->Find("name")->text());
          cv.notify_one();
        },
        nullptr);
    pods.Start();
    pods.WaitForSync(absl::Now() + absl::Seconds(30));
    auto create = [&] {
      check(c.Create(client::Pods(), "default",
                     PodDoc("pod-" + std::to_string(next_pod.fetch_add(1)))));
    };
    std::vector<std::thread> replacers;
    for (int t = 0; t < 4; ++t) {
      replacers.emplace_back([&] {
        while (true) {
          std::string name;
          {
            std::unique_lock<std::mutex> lock(mu);
            cv.wait(lock, [&] { return stop || !bound.empty(); });
            if (stop) return;
            name = std::move(bound.front());
            bound.pop_front();
          }
          absl::StatusOr<Value> deleted =
              c.Delete(client::Pods(), "default", name, {.grace_period_seconds = 0});
          if (!deleted.ok() && !absl::IsNotFound(deleted.status())) check(deleted);
          create();
        }
      });
    }
    for (int i = 0; i < kInFlight; ++i) create();
    auto end = t0 + std::chrono::microseconds(static_cast<int64_t>(duration_s * 1e6));
    Sample(
        scheduler, t0, end, [] { return false; }, f);
    f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
      cv.notify_all();
    }
    for (std::thread& t : replacers) t.join();
    pods.Stop();
  }
  f.cpu_seconds = CpuSeconds() - cpu0;
  f.scheduled = scheduler.scheduled_count();
  f.peak_rss_mb = StatusKb("VmHWM:") / 1024;
  scheduler.Stop();
  claims.Stop();
  cleanup();
  if (failures > 0) {
    return absl::InternalError(dra::StrCat(failures.load(), " requests failed"));
  }
  return f;
}

void Print(const Workload& w, const Figures& f, std::ostream& out) {
  std::vector<double> samples = f.samples;
  std::sort(samples.begin(), samples.end());
  auto pct = [&](double p) {
    return samples.empty()
               ? 0.0
               : samples[std::min(samples.size() - 1, static_cast<size_t>(p * samples.size()))];
  };
  out << "workload " << w.name << ": " << w.nodes << " nodes x " << w.devices_per_node
      << " devices, " << w.preallocated << " claims pre-allocated";
  switch (w.mode) {
    case Mode::kBatch:
      out << ", " << w.pods << " pods at once\n";
      break;
    case Mode::kSteady:
      out << ", " << kInFlight << " pods in flight\n";
      break;
    case Mode::kInventory:
      out << ", no pods\n";
      break;
  }
  out << "  setup " << f.setup_seconds << " s";
  if (w.mode != Mode::kInventory) {
    out << "; scheduled " << f.scheduled;
    if (w.mode == Mode::kBatch) out << " of " << f.expected;
    out << " pods in " << f.seconds << " s\n"
        << "  pods/s: average " << (f.seconds > 0 ? f.scheduled / f.seconds : 0.0) << ", p50 "
        << pct(0.5) << ", p90 " << pct(0.9) << ", p99 " << pct(0.99) << " (one-second samples)\n"
        << "  CPU " << f.cpu_seconds << " s (" << (f.seconds > 0 ? f.cpu_seconds / f.seconds : 0.0)
        << " cores, "
        << (f.scheduled > 0 ? f.cpu_seconds * 1e6 / static_cast<double>(f.scheduled) : 0.0)
        << " us per pod)";
  }
  out << "\n  peak RSS " << f.peak_rss_mb
      << " MB (server, controllers, scheduler and client in one process)\n";
}

}  // namespace

CLI::App* AddBenchCommand(CLI::App& app, BenchArgs& args) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks.");
  bench->require_subcommand(1);
  CLI::App* cmd = bench->add_subcommand(
      "scheduler",
      "Upstream scheduler_perf's DRA workloads end to end through the HTTP API of an in-process\n"
      "dra server (claim controller and scheduler included), each on a fresh server: nodes with\n"
      "one ResourceSlice each, class `device.driver == \"test-driver.cdi.k8s.io\"`, pods with a\n"
      "claim template. 5000pods_500nodes: 2,500 claims pre-allocated, then 2,500 pods at once.\n"
      "empty, half, full: 0 / 2,500 / 4,990 pre-allocated, 10 pods in flight (each scheduled pod\n"
      "is deleted and replaced). selector_empty: a CEL selector on the request. match_empty: 5\n"
      "requests with matchAttribute on pciRoot. inventory_5000nodes: 5,000 nodes x 8 devices,\n"
      "no pods. Prints pods/s (average, p50/p90/p99 over one-second samples), CPU and peak RSS.");
  std::vector<std::string> names = {"all"};
  for (const Workload& w : Workloads()) names.push_back(w.name);
  cmd->add_option("--workload", args.workload, "a workload or all (default all)")
      ->check(CLI::IsMember(names));
  cmd->add_option("--nodes", args.nodes, "nodes (default: the workload's)");
  cmd->add_option("--devices-per-node", args.devices_per_node,
                  "devices per node (default: the workload's)");
  cmd->add_option("--preallocated", args.preallocated,
                  "claims allocated before (default: the workload's)");
  cmd->add_option("--pods", args.pods, "pods of 5000pods_500nodes (default 2500)");
  cmd->add_option("--duration", args.duration_s,
                  "seconds of the steady-state workloads (default 10)");
  return cmd;
}

int RunBench(const BenchArgs& args, std::ostream& out, std::ostream& err) {
  int rc = kExitOk;
  for (Workload w : Workloads()) {
    if (args.workload != "all" && args.workload != w.name) continue;
    if (args.nodes >= 0) w.nodes = args.nodes;
    if (args.devices_per_node >= 0) w.devices_per_node = args.devices_per_node;
    if (args.preallocated >= 0) w.preallocated = args.preallocated;
    if (args.pods >= 0) w.pods = args.pods;
    if (w.preallocated > w.nodes * w.devices_per_node) {
      err << "dra bench: " << w.name << ": more pre-allocated claims than devices\n";
      return kExitBadInput;
    }
    absl::StatusOr<Figures> figures = RunWorkload(w, args.duration_s, err);
    if (!figures.ok()) {
      err << "dra bench: " << w.name << ": " << figures.status().message() << "\n";
      return kExitBadInput;
    }
    Print(w, *figures, out);
    out.flush();
    if (w.mode == Mode::kBatch && figures->scheduled < figures->expected) rc = 1;
  }
  return rc;
}

}  // namespace dra::cli
