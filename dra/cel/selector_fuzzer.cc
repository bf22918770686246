// libFuzzer target for the whole CEL pipeline: parse, type-check, plan and evaluate arbitrary
// text as a DRA selector against a fixed device, with the selector cost limit. Any outcome is
// fine except a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dra/cel/device.h"
#include "dra/cel/selector.h"

namespace {

const dra::cel::DeviceBinding& Device() {
  static const dra::cel::DeviceBinding* device = [] {
    dra::api::Device d;
    d.name = "gpu-0";
    d.attributes["productName"].string_ = "NVIDIA H100 80GB HBM3";
    d.attributes["index"].int_ = 0;
    d.attributes["mig"].bool_ = false;
    d.attributes["driverVersion"].version = "550.54.15";
    d.attributes["resource.kubernetes.io/pcieRoot"].string_ = "pci0000:00";
    d.attributes["ports"].ints = {1, 2};
    d.capacity["memory"].value = *dra::Quantity::Parse("80Gi");
    return new dra::cel::DeviceBinding(*dra::cel::DeviceBinding::Create("gpu.nvidia.com", d));
  }();
  return *device;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  dra::cel::CompileOptions options;
  options.selector = false;
  auto compiled = dra::cel::CompiledExpression::Compile(text, options);
  if (!compiled.ok()) return 0;
  dra::cel::Value v = (*compiled)->Evaluate(&Device());
  (void)v.DebugString();
  return 0;
}
