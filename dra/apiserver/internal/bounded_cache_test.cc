#include "dra/apiserver/internal/bounded_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace dra::apiserver::internal {
namespace {

TEST(BoundedCacheTest, KeepsTheNewestWithinEntriesAndBytes) {
  BoundedCache<std::string, int> cache(/*max_entries=*/3, /*max_bytes=*/100);
  for (int i = 0; i < 5; ++i) cache.Add("k" + std::to_string(i), std::make_shared<int>(i), 10);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Find("k0"), nullptr);
  EXPECT_EQ(cache.Find("k1"), nullptr);
  ASSERT_NE(cache.Find("k4"), nullptr);
  EXPECT_EQ(*cache.Find("k4"), 4);

  // A key already present keeps its first value.
  cache.Add("k4", std::make_shared<int>(40), 10);
  EXPECT_EQ(*cache.Find("k4"), 4);

  // Bytes: a large entry pushes out older ones, but the newest is always kept.
  cache.Add("big", std::make_shared<int>(7), 95);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find("k4"), nullptr);
  cache.Add("huge", std::make_shared<int>(8), 500);
  EXPECT_EQ(cache.size(), 1u);
  ASSERT_NE(cache.Find("huge"), nullptr);
  // Room comes back as entries leave.
  cache.Add("a", std::make_shared<int>(1), 10);
  cache.Add("b", std::make_shared<int>(2), 10);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("huge"), nullptr);
}

}  // namespace
}  // namespace dra::apiserver::internal
