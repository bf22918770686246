# Writes OUT, a C++ source defining `extern const unsigned char <NAME>[]` (NUL-terminated) and
# `extern const unsigned long <NAME>_size` with the bytes of IN.
# cmake -DIN=file -DOUT=file.cc -DNAME=symbol -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by embed.cmake.\n"
  "namespace dra::apiserver::ui::internal {\n"
  "extern const unsigned char ${NAME}[] = {\n${bytes}0x00};\n"
  "extern const unsigned long ${NAME}_size = ${size};\n"
  "}  // namespace dra::apiserver::ui::internal\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
