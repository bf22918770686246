// Prometheus metrics of the process: one registry every layer records into, plus collectors
// evaluated at scrape time, rendered in the Prometheus text format (0.0.4) by the `/metrics`
// endpoints of `dra server` and `dra node`.
//
// Metric names follow Prometheus conventions (`_total` counters, `_seconds` histograms) and the
// Kubernetes components' names where one exists (scheduler_schedule_attempts_total, ...).
//
// Thread-safe: families and metrics may be created and updated from any thread.
#ifndef DRA_BASE_METRICS_H_
#define DRA_BASE_METRICS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dra::metrics {

using Labels = std::map<std::string, std::string>;

// The process-wide registry (families with the same name and type are merged).
prometheus::Registry& Registry();

// A family, created on first use; later calls with the same name return it.
prometheus::Family<prometheus::Counter>& CounterFamily(const std::string& name,
                                                       const std::string& help);
prometheus::Family<prometheus::Gauge>& GaugeFamily(const std::string& name,
                                                   const std::string& help);
prometheus::Family<prometheus::Histogram>& HistogramFamily(const std::string& name,
                                                           const std::string& help);

// Buckets for latencies from 1 ms to about 16 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

// One gauge sample computed at scrape time.
struct GaugeSample {
  Labels labels;
  double value = 0;
};
using GaugeCollector = std::function<std::vector<GaugeSample>()>;

// Adds a gauge family whose samples `collect` computes at every scrape (e.g. claims by state,
// read from the store). Returns an id for RemoveCollector. `collect` must be thread-safe.
int AddGaugeCollector(const std::string& name, const std::string& help, GaugeCollector collect);
void RemoveCollector(int id);

// Everything registered, in the Prometheus text format.
std::string Render();

}  // namespace dra::metrics

#endif  // DRA_BASE_METRICS_H_
