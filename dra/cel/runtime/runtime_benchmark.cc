// Benchmarks of the CEL runtime on DRA-shaped selectors.
//
//   g++ -std=c++20 -O2 -I. dra/cel/runtime/{value,functions,interpreter,runtime_benchmark}.cc
//       dra/base/strings.cc -lbenchmark -lpthread $(pkg-config --libs absl_status absl_statusor
//       absl_strings absl_time re2) -o /tmp/runtime_benchmark && /tmp/runtime_benchmark
#include <map>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "dra/cel/ast.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {
namespace {

// A device as the allocator would expose it: fields answered from host data, no copies.
class DeviceMap final : public MapValue {
 public:
  explicit DeviceMap(std::string driver) : driver_(std::move(driver)) {}
  size_t Size() const override { return 1; }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() != ValueKind::kString) return std::nullopt;
    return FindField(key.string_view());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    if (name == "driver") return Value::StringView(driver_);
    return std::nullopt;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    fn(Value::StringView("driver"), Value::StringView(driver_));
  }

 private:
  std::string driver_;
};

ExprPtr Node(int64_t id, decltype(Expr::kind) kind) {
  auto e = std::make_unique<Expr>();
  e->id = id;
  e->kind = std::move(kind);
  return e;
}

// device.driver == "gpu.nvidia.com"
ExprPtr DriverSelector() {
  SelectExpr sel;
  sel.operand = Node(1, IdentExpr{"device"});
  sel.field = "driver";
  CallExpr eq;
  eq.function = "_==_";
  eq.args.push_back(Node(2, std::move(sel)));
  eq.args.push_back(Node(4, Constant{std::string("gpu.nvidia.com")}));
  return Node(3, std::move(eq));
}

void BM_DriverEquals(benchmark::State& state) {
  ExprPtr expr = DriverSelector();
  ProgramOptions options;
  options.cost_limit = 1000000;
  auto program = Program::Create(*expr, FunctionRegistry::Standard(), options);
  if (!program.ok()) {
    state.SkipWithError("plan failed");
    return;
  }
  DeviceMap device("gpu.nvidia.com");
  for (auto _ : state) {
    Activation act;
    act.Bind("device", Value::MapView(&device));
    Value v = (*program)->Evaluate(act);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_DriverEquals);

}  // namespace
}  // namespace dra::cel

BENCHMARK_MAIN();
