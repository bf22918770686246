// libFuzzer target for the manifest decoder: any bytes must decode to objects or errors without
// crashing, and every object that decodes must survive encode -> YAML/JSON -> decode unchanged
// and be validated without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dra/api/codec/codec.h"
#include "dra/api/defaults.h"
#include "dra/api/validation/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto documents = dra::api::DecodeAll(bytes);
  if (!documents.ok()) return 0;
  for (auto& doc : *documents) {
    if (!doc.ok()) continue;
    dra::api::Object object = *doc.object;
    dra::api::ApplyDefaults(object);
    (void)dra::api::ValidateObject(object);
    dra::api::Value encoded = dra::api::EncodeObject(object);
    for (auto format : {dra::api::OutputFormat::kYaml, dra::api::OutputFormat::kJson}) {
      std::string text = dra::api::WriteObjects({encoded}, format);
      auto back = dra::api::DecodeAll(text);
      if (!back.ok() || back->size() != 1 || !(*back)[0].ok()) std::abort();
      dra::api::Value reencoded = dra::api::EncodeObject(*(*back)[0].object);
      if (!(reencoded == encoded)) std::abort();
    }
  }
  return 0;
}
