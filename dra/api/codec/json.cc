#include "dra/api/codec/json.h"

#include <cstdio>
#include <vector>

#include "dra/base/strings.h"
#include "nlohmann/json.hpp"

namespace dra::api {
namespace {

// Builds a Value tree from nlohmann's SAX events, rejecting duplicate keys.
class ValueBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return Add(Value::Null()); }
  bool boolean(bool b) override { return Add(Value::Bool(b)); }
  bool number_integer(number_integer_t v) override { return Add(Value::Number(std::to_string(v))); }
  bool number_unsigned(number_unsigned_t v) override {
    return Add(Value::Number(std::to_string(v)));
  }
  bool number_float(number_float_t, const string_t& raw) override {
    return Add(Value::Number(raw));
  }
  bool string(string_t& s) override { return Add(Value::String(std::move(s))); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    stack_.push_back(Frame{Value::Object(), pending_key_, {}});
    pending_key_.clear();
    return true;
  }
  bool key(string_t& k) override {
    Frame& f = stack_.back();
    if (f.value.Find(k) != nullptr) {
      error_ = dra::StrCat("json: duplicate field \"", PathOf(k), "\"");
      return false;
    }
    pending_key_ = k;
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override {
    stack_.push_back(Frame{Value::Array(), pending_key_, {}});
    pending_key_.clear();
    return true;
  }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    if (error_.empty()) {
      error_ = ex.what();
      // nlohmann prefixes "[json.exception.parse_error.101] "; keep only the message.
      auto pos = error_.find("] ");
      if (pos != std::string::npos) error_ = error_.substr(pos + 2);
    }
    error_position_ = position;
    return false;
  }

  Value TakeResult() { return std::move(result_); }
  const std::string& error() const { return error_; }
  std::size_t error_position() const { return error_position_; }

 private:
  struct Frame {
    Value value;
    std::string key_in_parent;
    std::string unused;
  };

  std::string PathOf(const std::string& key) const {
    std::string path;
    for (size_t i = 1; i < stack_.size(); ++i) {
      if (stack_[i - 1].value.is_object()) {
        if (!path.empty()) path += ".";
        path += stack_[i].key_in_parent;
      } else {
        path += dra::StrCat("[", stack_[i - 1].value.items().size(), "]");
      }
    }
    if (!path.empty()) path += ".";
    return path + key;
  }

  bool Add(Value v) {
    if (stack_.empty()) {
      result_ = std::move(v);
      return true;
    }
    Frame& f = stack_.back();
    if (f.value.is_object()) {
      f.value.mutable_members().emplace_back(std::move(pending_key_), std::move(v));
      pending_key_.clear();
    } else {
      f.value.Append(std::move(v));
    }
    return true;
  }

  bool Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    pending_key_ = f.key_in_parent;
    return Add(std::move(f.value));
  }

  std::vector<Frame> stack_;
  std::string pending_key_;
  Value result_;
  std::string error_;
  std::size_t error_position_ = 0;
};

std::string PositionText(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return dra::StrCat("line ", line, ", column ", column);
}

}  // namespace

absl::StatusOr<Value> ParseJson(std::string_view text) {
  ValueBuilder builder;
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                      nlohmann::json::input_format_t::json, /*strict=*/true);
  if (!ok) {
    std::string where;
    if (builder.error().rfind("json: duplicate", 0) != 0 &&
        builder.error().find(" at line ") == std::string::npos) {
      where = dra::StrCat(" at ", PositionText(text, builder.error_position()));
    }
    return absl::InvalidArgumentError(dra::StrCat(builder.error(), where));
  }
  return builder.TakeResult();
}

absl::StatusOr<std::vector<Value>> ParseJsonStream(std::string_view text) {
  std::vector<Value> out;
  size_t pos = 0;
  auto skip_space = [&] {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r')) {
      ++pos;
    }
  };
  skip_space();
  while (pos < text.size()) {
    // Find the end of one top-level value by bracket matching outside strings.
    size_t start = pos;
    int depth = 0;
    bool in_string = false;
    for (; pos < text.size(); ++pos) {
      char c = text[pos];
      if (in_string) {
        if (c == '\\') {
          ++pos;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++pos;
          break;
        }
      } else if (depth == 0 && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
        break;
      }
    }
    auto value = ParseJson(text.substr(start, pos - start));
    if (!value.ok()) return value.status();
    out.push_back(*std::move(value));
    skip_space();
  }
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

namespace {

void WriteJsonTo(std::string& out, const Value& v, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent == 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.bool_value() ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      out += v.text();
      return;
    case Value::Kind::kString:
      AppendJsonString(out, v.text());
      return;
    case Value::Kind::kArray: {
      if (v.items().empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        WriteJsonTo(out, item, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::kObject: {
      if (v.members().empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.members()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        AppendJsonString(out, k);
        out += indent == 0 ? ":" : ": ";
        WriteJsonTo(out, item, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string WriteJson(const Value& value, int indent) {
  std::string out;
  WriteJsonTo(out, value, indent, 0);
  return out;
}

}  // namespace dra::api
