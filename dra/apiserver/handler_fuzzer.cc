// libFuzzer target for the REST handler: any request must get a response with a 2xx/4xx code
// (never a 5xx, never a crash or hang), whatever its method, path, query, content type or body.
//
// Input format: line 1 "METHOD /path?query", line 2 the Content-Type, line 3 the Accept header,
// the rest is the body. The handler runs over one SQLite store per process, seeded with a
// namespace, a claim, a pod and a device class so that reads, patches and deletes find objects.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "dra/apiserver/handler.h"
#include "dra/store/sqlite_store.h"

namespace {

using dra::apiserver::Handler;
using dra::apiserver::Request;
using dra::apiserver::Response;

Handler& TheHandler() {
  static Handler* handler = [] {
    auto dir = std::filesystem::temp_directory_path() /
               ("dra-handler-fuzzer-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto store = dra::store::SqliteStore::Open(dir.string());
    if (!store.ok()) std::abort();
    auto* h = new Handler(store->release(), {});
    auto post = [&](const char* path, const char* body) {
      Request r{.method = "POST", .path = path, .content_type = "application/json", .body = body};
      h->Handle(r);
    };
    post("/api/v1/namespaces",
         R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}})");
    post(
        "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
        R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim","metadata":{"name":"c"},"spec":{"devices":{"requests":[{"name":"r","exactly":{"deviceClassName":"gpu"}}]}}})");
    post(
        "/api/v1/namespaces/default/pods",
        R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}})");
    post("/apis/resource.k8s.io/v1/deviceclasses",
         R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass","metadata":{"name":"gpu"}})");
    return h;
  }();
  return *handler;
}

std::string_view NextLine(std::string_view& input) {
  size_t nl = input.find('\n');
  std::string_view line = input.substr(0, nl);
  input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view first = NextLine(input);
  Request request;
  size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  std::string_view target = space == std::string_view::npos ? "" : first.substr(space + 1);
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      query = pair.size() < query.size() ? query.substr(pair.size() + 1) : std::string_view();
      size_t eq = pair.find('=');
      request.query.emplace_back(
          std::string(pair.substr(0, eq)),
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    }
  }
  request.content_type = std::string(NextLine(input));
  request.accept = std::string(NextLine(input));
  request.body = std::string(input);
  Response response = TheHandler().Handle(request);
  if (response.code >= 500 && response.code != 504) {
    std::fprintf(stderr, "%d for %s %s: %s\n", response.code, request.method.c_str(),
                 request.path.c_str(), response.body.c_str());
    std::abort();
  }
  if (response.stream != nullptr) {
    for (int i = 0; i < 3; ++i) {
      auto chunk = response.stream->Next(absl::InfinitePast());
      if (!chunk.ok() && !absl::IsDeadlineExceeded(chunk.status())) break;
    }
  }
  return 0;
}
