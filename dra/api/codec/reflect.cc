#include "dra/api/codec/reflect.h"

#include "dra/api/codec/json.h"

namespace dra::api::codec_internal {

std::string RenderBadValue(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return QuoteValue(v.text());
    case Value::Kind::kArray:
    case Value::Kind::kObject: {
      std::string json = WriteJson(v);
      if (json.size() > 80) json = json.substr(0, 77) + "...";
      return json;
    }
    default:
      return WriteJson(v);
  }
}

std::string YamlHint(const Value& v, std::string_view expected) {
  const auto& plain = v.yaml_plain_text();
  if (!plain.has_value() || expected != "string") return "";
  std::string_view reading = v.is_bool() ? "a boolean" : v.is_null() ? "null" : "a number";
  return dra::StrCat(" (YAML 1.1 reads the unquoted ", *plain, " as ", reading,
                     "; write it in quotes: \"", *plain, "\")");
}

}  // namespace dra::api::codec_internal
