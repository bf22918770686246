// Selector evaluation speed on one device, the figures the CEL layer's README records:
//   build/obj/dra/cel/cel_selector_benchmark --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "dra/cel/device.h"
#include "dra/cel/selector.h"

namespace dra::cel {
namespace {

DeviceBinding TestDevice() {
  api::Device device;
  device.name = "gpu-0";
  device.attributes["driverVersion"].version = "1.2.3";
  device.attributes["model"].string_ = "NVIDIA H100 80GB HBM3";
  device.attributes["resource.kubernetes.io/pcieRoot"].string_ = "pci0000:00";
  device.capacity["memory"].value = *Quantity::Parse("80Gi");
  device.capacity["cores"].value = *Quantity::Parse("132");
  auto binding = DeviceBinding::Create("test-driver.cdi.k8s.io", device);
  if (!binding.ok()) {
    std::cerr << binding.status() << "\n";
    std::abort();
  }
  return *std::move(binding);
}

void RunSelector(benchmark::State& state, const char* expression) {
  DeviceBinding device = TestDevice();
  auto compiled = CompiledExpression::Compile(expression);
  if (!compiled.ok()) {
    state.SkipWithError(std::string(compiled.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    auto matched = (*compiled)->Matches(device);
    if (!matched.ok() || !*matched) {
      state.SkipWithError("selector did not match");
      return;
    }
    benchmark::DoNotOptimize(matched);
  }
}

void BM_DriverName(benchmark::State& state) {
  RunSelector(state, R"(device.driver == "test-driver.cdi.k8s.io")");
}
BENCHMARK(BM_DriverName);

void BM_VersionAndCapacity(benchmark::State& state) {
  RunSelector(state,
              R"(device.attributes["test-driver.cdi.k8s.io"].driverVersion.major() >= 1 && )"
              R"(device.capacity["test-driver.cdi.k8s.io"].memory.isGreaterThan(quantity("1Mi")))");
}
BENCHMARK(BM_VersionAndCapacity);

}  // namespace
}  // namespace dra::cel

BENCHMARK_MAIN();
