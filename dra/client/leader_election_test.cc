#include "dra/client/leader_election.h"

#include "dra/client/internal/test_server.h"
#include "gtest/gtest.h"

namespace dra::client {
namespace {

TEST(LeaderElectionTest, OneLeaderAtATimeAndHandover) {
  testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  LeaderElectionOptions options;
  options.lease_name = "dra-scheduler";
  options.retry_period = absl::Milliseconds(100);
  options.lease_duration = absl::Seconds(5);
  options.identity = "a";
  LeaderElector a(client.get(), options);
  options.identity = "b";
  LeaderElector b(client.get(), options);

  std::atomic<bool> stop{false};
  ASSERT_TRUE(a.Acquire(stop).ok());
  a.StartRenewing(nullptr);
  std::atomic<bool> b_won{false};
  std::thread candidate([&] {
    if (b.Acquire(stop).ok()) b_won = true;
  });
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_FALSE(b_won.load());  // a renews: b waits
  a.Release();
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!b_won.load() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_TRUE(b_won.load());
  stop = true;
  candidate.join();
  auto lease = client->Get(Leases(), "kube-system", "dra-scheduler");
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ(lease->Find("spec")->Find("holderIdentity")->text(), "b");
  EXPECT_EQ(lease->Find("spec")->Find("leaseTransitions")->AsInt64(), 1);
}

}  // namespace
}  // namespace dra::client
