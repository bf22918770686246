// libFuzzer target: parses arbitrary input and renders successful parses. Any crash, hang,
// sanitizer report or unbounded growth is a bug; errors are expected and ignored.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dra/cel/parser/debug.h"
#include "dra/cel/parser/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<dra::cel::ParsedExpr> parsed = dra::cel::Parse(text);
  if (parsed.ok()) {
    std::string rendered = dra::cel::DebugString(*parsed->expr);
    (void)rendered;
  }
  return 0;
}
