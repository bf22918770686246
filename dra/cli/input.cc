#include "dra/cli/input.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "dra/base/strings.h"

namespace dra::cli {
namespace {

namespace fs = std::filesystem;

bool IsManifestFile(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(dra::StrCat("the path \"", path.string(), "\" cannot be read"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(dra::StrCat("error reading \"", path.string(), "\""));
  }
  return buffer.str();
}

absl::Status AddDirectory(const fs::path& dir, bool recursive, std::vector<InputFile>& out) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) {
    return absl::NotFoundError(
        dra::StrCat("the path \"", dir.string(), "\" cannot be read: ", ec.message()));
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    if (fs::is_directory(entry, ec)) {
      if (recursive) {
        if (auto s = AddDirectory(entry, recursive, out); !s.ok()) return s;
      }
      continue;
    }
    if (!IsManifestFile(entry)) continue;
    auto content = ReadFile(entry);
    if (!content.ok()) return content.status();
    out.push_back(InputFile{entry.string(), *std::move(content)});
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<InputFile>> ReadInputs(const std::vector<std::string>& paths,
                                                  bool recursive, std::istream& stdin_stream) {
  std::vector<InputFile> out;
  for (const auto& path : paths) {
    if (path == "-") {
      std::string content((std::istreambuf_iterator<char>(stdin_stream)),
                          std::istreambuf_iterator<char>());
      out.push_back(InputFile{"<stdin>", std::move(content)});
      continue;
    }
    std::error_code ec;
    fs::path p(path);
    if (!fs::exists(p, ec)) {
      return absl::NotFoundError(dra::StrCat("the path \"", path, "\" does not exist"));
    }
    if (fs::is_directory(p, ec)) {
      if (auto s = AddDirectory(p, recursive, out); !s.ok()) return s;
      continue;
    }
    auto content = ReadFile(p);
    if (!content.ok()) return content.status();
    out.push_back(InputFile{path, *std::move(content)});
  }
  return out;
}

}  // namespace dra::cli
