#include "dra/base/metrics.h"

#include <memory>
#include <mutex>
#include <utility>

#include "prometheus/metric_family.h"
#include "prometheus/text_serializer.h"

namespace dra::metrics {
namespace {

struct Collector {
  std::string name;
  std::string help;
  GaugeCollector collect;
};

std::mutex& CollectorsMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

std::map<int, Collector>& Collectors() {
  static auto* collectors = new std::map<int, Collector>;
  return *collectors;
}

}  // namespace

prometheus::Registry& Registry() {
  static auto* registry = new prometheus::Registry(prometheus::Registry::InsertBehavior::Merge);
  return *registry;
}

prometheus::Family<prometheus::Counter>& CounterFamily(const std::string& name,
                                                       const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(Registry());
}

prometheus::Family<prometheus::Gauge>& GaugeFamily(const std::string& name,
                                                   const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(Registry());
}

prometheus::Family<prometheus::Histogram>& HistogramFamily(const std::string& name,
                                                           const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(Registry());
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128,
      0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384};
  return *buckets;
}

int AddGaugeCollector(const std::string& name, const std::string& help, GaugeCollector collect) {
  std::lock_guard<std::mutex> lock(CollectorsMutex());
  static int next_id = 0;
  int id = ++next_id;
  Collectors()[id] = Collector{name, help, std::move(collect)};
  return id;
}

void RemoveCollector(int id) {
  std::lock_guard<std::mutex> lock(CollectorsMutex());
  Collectors().erase(id);
}

std::string Render() {
  std::vector<prometheus::MetricFamily> families = Registry().Collect();
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(CollectorsMutex());
    for (const auto& [id, collector] : Collectors()) collectors.push_back(collector);
  }
  for (const Collector& collector : collectors) {
    prometheus::MetricFamily family;
    family.name = collector.name;
    family.help = collector.help;
    family.type = prometheus::MetricType::Gauge;
    for (const GaugeSample& sample : collector.collect()) {
      prometheus::ClientMetric metric;
      for (const auto& [key, value] : sample.labels) {
        metric.label.push_back(prometheus::ClientMetric::Label{key, value});
      }
      metric.gauge.value = sample.value;
      family.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(family));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace dra::metrics
