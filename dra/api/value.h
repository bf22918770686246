// A generic JSON-like document tree: what the JSON and YAML readers produce and the writers
// consume, and the representation of free-form API fields (opaque driver parameters).
//
// Thread-compatible value type. Objects keep their members in document order. Numbers keep the
// text they were written as, so that quantities written as bare numbers parse exactly and
// integers beyond int64 are not rounded. Scalars read from YAML remember their source text and
// whether they were plain (unquoted), so that type errors can explain YAML 1.1 surprises such as
// an unquoted `Y` being a boolean.
#ifndef DRA_API_VALUE_H_
#define DRA_API_VALUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dra::api {

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Value>;

  Value() = default;
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  // `text` is a JSON number (e.g. "12", "-1.5e3").
  static Value Number(std::string text);
  static Value Int(int64_t v);
  static Value String(std::string s);
  static Value Array(std::vector<Value> items = {});
  static Value Object(std::vector<Member> members = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool bool_value() const { return bool_; }
  // For numbers: the number's text; for strings: the string.
  const std::string& text() const { return text_; }
  // The number as int64 when it is an integer that fits.
  std::optional<int64_t> AsInt64() const;
  // The number as a double (numbers only).
  double AsDouble() const;

  const std::vector<Value>& items() const { return items_; }
  std::vector<Value>& mutable_items() { return items_; }
  const std::vector<Member>& members() const { return members_; }
  std::vector<Member>& mutable_members() { return members_; }

  // Object access; nullptr when absent or not an object.
  const Value* Find(std::string_view key) const;
  Value* FindMutable(std::string_view key);
  // Sets (replacing an existing member in place, else appending) and returns the member value.
  Value& Set(std::string key, Value value);
  // Removes a member; returns the removed value when there was one.
  std::optional<Value> Remove(std::string_view key);
  void Append(Value item) { items_.push_back(std::move(item)); }

  // Where the value came from in its source document (1-based; 0 when unknown).
  int line() const { return line_; }
  int column() const { return column_; }
  void set_position(int line, int column) {
    line_ = line;
    column_ = column;
  }
  // Set for scalars read from YAML without quotes: the source text (e.g. "Y" for true).
  const std::optional<std::string>& yaml_plain_text() const { return yaml_plain_text_; }
  void set_yaml_plain_text(std::string text) { yaml_plain_text_ = std::move(text); }

  // Human name of the kind, as used in type errors: "null", "boolean", "number", "string",
  // "array", "object".
  std::string_view KindName() const;

  // Structural equality: numbers compare by value, objects by member set (order-insensitive);
  // positions and source text are ignored.
  friend bool operator==(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Member> members_;
  int line_ = 0;
  int column_ = 0;
  std::optional<std::string> yaml_plain_text_;
};

}  // namespace dra::api

#endif  // DRA_API_VALUE_H_
