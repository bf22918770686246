#include "dra/cli/bench_command.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "dra/api/codec/codec.h"
#include "dra/apiserver/server.h"
#include "dra/base/strings.h"
#include "dra/cli/cli.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/scheduler/scheduler.h"

namespace dra::cli {
namespace {

using api::Value;

Value Doc(const std::string& yaml) { return api::ParseDocuments(yaml)->front(); }

int64_t PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
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

}  // namespace

CLI::App* AddBenchCommand(CLI::App& app, BenchArgs& args) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks.");
  bench->require_subcommand(1);
  CLI::App* cmd = bench->add_subcommand(
      "scheduler",
      "Upstream scheduler_perf's DRA workload 5000pods_500nodes end to end through the HTTP API\n"
      "of an in-process dra server: 500 nodes with one ResourceSlice of 10 devices each, class\n"
      "`device.driver == \"test-driver.cdi.k8s.io\"`, 2,500 claims pre-allocated, then 2,500 pods\n"
      "with a one-device claim template at once. Prints pods/s and peak RSS.");
  cmd->add_option("--nodes", args.nodes, "nodes (default 500)");
  cmd->add_option("--devices-per-node", args.devices_per_node, "devices per node (default 10)");
  cmd->add_option("--preallocated", args.preallocated, "claims allocated before (default 2500)");
  cmd->add_option("--pods", args.pods, "pods to schedule (default 2500)");
  return cmd;
}

int RunBench(const BenchArgs& args, std::ostream& out, std::ostream& err) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dra-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  apiserver::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir.string();
  config.insecure_http = true;
  auto server = apiserver::ApiServer::Start(config);
  if (!server.ok()) {
    err << "dra bench: " << server.status().message() << "\n";
    return kExitBadInput;
  }
  auto cluster = client::LoadKubeconfig((*server)->kubeconfig_path());
  auto rest =
      client::RestClient::Create(*cluster, {.user_agent = "dra-bench", .max_connections = 16});
  if (!rest.ok()) {
    err << "dra bench: " << rest.status().message() << "\n";
    return kExitBadInput;
  }
  client::RestClient& c = **rest;
  auto started = std::chrono::steady_clock::now();
  // Cluster: nodes with one slice each, the class, the template.
  std::atomic<int> failures{0};
  auto check = [&](const absl::StatusOr<Value>& r) {
    if (!r.ok() && failures++ < 3) err << "dra bench: setup: " << r.status().message() << "\n";
  };
  check(c.Create(client::DeviceClasses(), "",
                 Doc("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: "
                     "test-class}\nspec:\n  selectors:\n  - cel: {expression: 'device.driver == "
                     "\"test-driver.cdi.k8s.io\"'}\n")));
  check(c.Create(client::ResourceClaimTemplates(), "default",
                 Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\nmetadata: "
                     "{name: test-claim-template}\nspec:\n  spec:\n    devices:\n      requests:\n"
                     "      - name: req-0\n        exactly: {deviceClassName: test-class}\n")));
  ParallelFor(args.nodes, 8, [&](int n) {
    std::string node = "scheduler-perf-dra-" + std::to_string(n);
    check(c.Create(client::Nodes(), "",
                   Doc("apiVersion: v1\nkind: Node\nmetadata: {name: " + node + "}\n")));
    std::string devices;
    for (int d = 0; d < args.devices_per_node; ++d) {
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
  // Pre-allocated claims: written with their allocation, as a previous scheduler would have.
  ParallelFor(args.preallocated, 8, [&](int i) {
    int node = i / std::max(1, args.devices_per_node / 2);
    int device = i % std::max(1, args.devices_per_node / 2);
    std::string name = "prealloc-" + std::to_string(i);
    absl::StatusOr<Value> claim = c.Create(
        client::ResourceClaims(), "default",
        Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
            "}\nspec:\n  devices:\n    requests:\n    - name: req-0\n      exactly: "
            "{deviceClassName: test-class}\n"));
    if (!claim.ok()) return check(claim);
    std::string node_name = "scheduler-perf-dra-" + std::to_string(node % std::max(1, args.nodes));
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
  double setup_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failures > 0) {
    err << "dra bench: " << failures.load() << " setup requests failed\n";
    return kExitBadInput;
  }
  // The control plane, as dra server runs it.
  controllers::ResourceClaimController claims(&c);
  scheduler::Scheduler scheduler(&c);
  if (!claims.Start().ok() || !scheduler.Start().ok()) {
    err << "dra bench: control plane did not start\n";
    return kExitBadInput;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::thread creator([&] {
    ParallelFor(args.pods, 4, [&](int i) {
      check(c.Create(client::Pods(), "default",
                     Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: pod-" + std::to_string(i) +
                         "}\nspec:\n  containers: [{name: c, image: i, resources: {claims: "
                         "[{name: resource}]}}]\n  resourceClaims:\n  - {name: resource, "
                         "resourceClaimTemplateName: test-claim-template}\n")));
    });
  });
  std::vector<double> samples;
  int64_t last = 0;
  auto deadline = t0 + std::chrono::minutes(5);
  auto sample_start = t0;
  while (scheduler.scheduled_count() < args.pods && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = std::chrono::steady_clock::now();
    if (now - sample_start >= std::chrono::seconds(1)) {
      int64_t count = scheduler.scheduled_count();
      samples.push_back(static_cast<double>(count - last));
      last = count;
      sample_start = now;
    }
  }
  double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  creator.join();
  int64_t scheduled = scheduler.scheduled_count();
  scheduler.Stop();
  claims.Stop();
  std::sort(samples.begin(), samples.end());
  auto pct = [&](double p) {
    return samples.empty()
               ? 0.0
               : samples[std::min(samples.size() - 1, static_cast<size_t>(p * samples.size()))];
  };
  out << "workload 5000pods_500nodes: " << args.nodes << " nodes x " << args.devices_per_node
      << " devices, " << args.preallocated << " claims pre-allocated, " << args.pods << " pods\n"
      << "setup " << setup_s << " s; scheduled " << scheduled << " of " << args.pods << " pods in "
      << total_s << " s\n"
      << "pods/s: average " << (scheduled / total_s) << ", p50 " << pct(0.5) << ", p90 " << pct(0.9)
      << ", p99 " << pct(0.99) << " (one-second samples)\n"
      << "peak RSS " << PeakRssKb() / 1024 << " MB (server, controllers, scheduler and client in "
      << "one process)\n";
  (*server)->Stop();
  std::filesystem::remove_all(dir);
  return scheduled == args.pods ? kExitOk : 1;
}

}  // namespace dra::cli
