#include "dra/controllers/internal/work_queue.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

namespace dra::controllers::internal {
namespace {

TEST(WorkQueueTest, DeduplicatesWaitingKeys) {
  WorkQueue queue(absl::Milliseconds(1), absl::Seconds(1));
  queue.Add("a");
  queue.Add("b");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 2u);
  EXPECT_EQ(queue.Get(), "a");
  EXPECT_EQ(queue.Get(), "b");
  queue.Done("a");
  queue.Done("b");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST(WorkQueueTest, KeyAddedWhileProcessingIsQueuedByDone) {
  WorkQueue queue(absl::Milliseconds(1), absl::Seconds(1));
  queue.Add("a");
  ASSERT_EQ(queue.Get(), "a");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 0u);  // not handed out twice at once
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(queue.Get(), "a");
  queue.Done("a");
}

TEST(WorkQueueTest, RateLimitedBacksOffAndForgetResets) {
  WorkQueue queue(absl::Milliseconds(1), absl::Milliseconds(4));
  queue.AddRateLimited("a");
  queue.AddRateLimited("a");
  queue.AddRateLimited("a");
  queue.AddRateLimited("a");
  EXPECT_EQ(queue.Failures("a"), 4);
  EXPECT_EQ(queue.Get(), "a");  // waits for the delay
  queue.Done("a");
  queue.Forget("a");
  EXPECT_EQ(queue.Failures("a"), 0);
}

TEST(WorkQueueTest, ShutDownWakesGet) {
  WorkQueue queue(absl::Milliseconds(1), absl::Seconds(1));
  std::optional<std::string> got = "x";
  std::thread t([&] { got = queue.Get(); });
  queue.ShutDown();
  t.join();
  EXPECT_EQ(got, std::nullopt);
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 0u);
}

}  // namespace
}  // namespace dra::controllers::internal
