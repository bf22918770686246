#include "dra/apiserver/http_server.h"

#include <unistd.h>

#include <filesystem>

#include "dra/store/sqlite_store.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

TEST(HttpServerTest, SecondServerCannotTakeTheSamePort) {
  auto dir = std::filesystem::temp_directory_path() /
             ("dra-http-server-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = store::SqliteStore::Open(dir.string());
  ASSERT_TRUE(store.ok());
  Handler handler(store->get(), {});
  auto first = HttpServer::Start(&handler, {.listen = "127.0.0.1:0", .insecure_http = true});
  ASSERT_TRUE(first.ok()) << first.status();
  int port = (*first)->port();
  auto second = HttpServer::Start(
      &handler, {.listen = "127.0.0.1:" + std::to_string(port), .insecure_http = true});
  EXPECT_FALSE(second.ok());
  EXPECT_NE(std::string(second.status().message()).find("cannot listen on"), std::string::npos);
  (*first)->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dra::apiserver
