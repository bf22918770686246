#include "dra/base/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountersGaugesHistogramsAndCollectorsRender) {
  CounterFamily("dra_test_events_total", "Events.").Add({{"kind", "a"}}).Increment(2);
  // The same family is returned on the second call.
  CounterFamily("dra_test_events_total", "Events.").Add({{"kind", "a"}}).Increment();
  HistogramFamily("dra_test_latency_seconds", "Latency.").Add({}, LatencyBuckets()).Observe(0.003);
  int id = AddGaugeCollector("dra_test_things", "Things by state.", [] {
    return std::vector<GaugeSample>{{{{"state", "free"}}, 3}, {{{"state", "used"}}, 1}};
  });
  std::string text = Render();
  EXPECT_THAT(text, HasSubstr("# TYPE dra_test_events_total counter"));
  EXPECT_THAT(text, HasSubstr("dra_test_events_total{kind=\"a\"} 3"));
  EXPECT_THAT(text, HasSubstr("dra_test_latency_seconds_bucket{le=\"0.004\"} 1"));
  EXPECT_THAT(text, HasSubstr("# TYPE dra_test_things gauge"));
  EXPECT_THAT(text, HasSubstr("dra_test_things{state=\"free\"} 3"));
  RemoveCollector(id);
  EXPECT_THAT(Render(), Not(HasSubstr("dra_test_things")));
}

}  // namespace
}  // namespace dra::metrics
