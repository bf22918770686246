// A schema-less reader for protobuf text format, enough for the CEL conformance data
// (google/cel-spec `SimpleTestFile` textprotos in ../shared/conformance/cel/).
//
// The reader produces a generic tree: a TextMessage is the list of its fields in document order,
// each field a name and one TextValue (a repeated field appears once per value). Without a schema
// the reader cannot tell a scalar's type, so scalars keep their text and the caller converts them
// with TextValue::AsInt64() and friends, which apply the text-format rules for that type.
//
// Accepted syntax: `#` comments; `name: value`; `name { ... }`, `name: { ... }` and `<...>`
// delimiters; `name: [v1, v2]` lists; Any expansions and extensions written `[type.url/Name] {...}`
// (the field name is the bracketed text, brackets included, whitespace removed); string literals
// in '...' or "..." with C escapes (\a \b \f \n \r \t \v \\ \' \" \? , octal \NNN, hex \xH[H],
// \uXXXX and \UXXXXXXXX written as UTF-8), adjacent literals concatenated; numbers in decimal,
// hex and octal, with an optional `-` (also before inf/nan identifiers); identifiers (true,
// NULL_VALUE, inf, ...); an optional `,` or `;` after each field.
//
// Errors are InvalidArgument "SOURCE:LINE:COLUMN: message".
//
// Value types; thread-compatible. ParseTextproto is stateless and thread-safe.
#ifndef DRA_CEL_CONFORMANCE_TEXTPROTO_H_
#define DRA_CEL_CONFORMANCE_TEXTPROTO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dra::cel::conformance {

struct TextField;
struct TextValue;

// One message: its fields in document order.
class TextMessage {
 public:
  TextMessage();
  TextMessage(const TextMessage&);
  TextMessage(TextMessage&&) noexcept;
  TextMessage& operator=(const TextMessage&);
  TextMessage& operator=(TextMessage&&) noexcept;
  ~TextMessage();

  const std::vector<TextField>& fields() const { return fields_; }
  std::vector<TextField>& mutable_fields() { return fields_; }

  // The first value of field `name`; nullptr when the field is absent.
  const TextValue* Find(std::string_view name) const;
  // Every value of field `name`, in document order.
  std::vector<const TextValue*> FindAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  // Where the message's opening delimiter was (1-based; 0 for the top-level message).
  int line() const { return line_; }
  void set_line(int line) { line_ = line; }

  // Text format again, on one line: `a: 1 b { c: "x" }`. Strings are re-escaped.
  std::string DebugString() const;

 private:
  std::vector<TextField> fields_;
  int line_ = 0;
};

// One field value.
struct TextValue {
  enum class Kind {
    kNumber,  // unquoted token starting with a digit, '.' or '-': "12", "-1.5e3", "0x1F", "-inf"
    kIdentifier,  // bare identifier: "true", "NULL_VALUE", "inf", "nan"
    kString,      // quoted literal(s): `text` holds the unescaped, concatenated bytes
    kMessage,     // nested message
  };

  Kind kind = Kind::kIdentifier;
  std::string text;  // token text or string bytes; empty for messages
  TextMessage message;
  int line = 0;  // 1-based position of the value's first token
  int column = 0;

  bool is_message() const { return kind == Kind::kMessage; }
  bool is_string() const { return kind == Kind::kString; }

  // Conversions with the text-format rules of each type; errors name the line.
  // Integers: decimal, 0x hex or 0-prefixed octal, optional '-'; must fit the type.
  absl::StatusOr<int64_t> AsInt64() const;
  absl::StatusOr<uint64_t> AsUint64() const;
  // Doubles: any number (optional f/F suffix), or inf/infinity/nan in any case, optional '-'.
  absl::StatusOr<double> AsDouble() const;
  // Bools: true/false/t/f/True/False/1/0.
  absl::StatusOr<bool> AsBool() const;
  // Strings only.
  absl::StatusOr<std::string> AsString() const;
  // Identifiers only (enum values).
  absl::StatusOr<std::string> AsIdentifier() const;
  // The message; a non-message is an error.
  absl::StatusOr<const TextMessage*> AsMessage() const;
};

struct TextField {
  std::string name;  // identifier, or "[type.googleapis.com/pkg.Msg]" for expansions
  TextValue value;
};

// Parses a whole document as one top-level message. `source` names the input in errors.
absl::StatusOr<TextMessage> ParseTextproto(std::string_view text, std::string_view source = "");

// Escapes bytes for a text-format double-quoted literal (without the quotes).
std::string EscapeTextString(std::string_view bytes);

}  // namespace dra::cel::conformance

#endif  // DRA_CEL_CONFORMANCE_TEXTPROTO_H_
