#include "dra/apiserver/ui/ui.h"

namespace dra::apiserver::ui {
namespace internal {
extern const unsigned char k_ui_html[];
extern const unsigned long k_ui_html_size;
extern const unsigned char k_ui_js[];
extern const unsigned long k_ui_js_size;
extern const unsigned char k_ui_css[];
extern const unsigned long k_ui_css_size;
}  // namespace internal
namespace {

std::string_view View(const unsigned char* bytes, unsigned long size) {
  return std::string_view(reinterpret_cast<const char*>(bytes), size);
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  static const Asset kHtml{"text/html; charset=utf-8",
                           View(internal::k_ui_html, internal::k_ui_html_size)};
  static const Asset kJs{"text/javascript; charset=utf-8",
                         View(internal::k_ui_js, internal::k_ui_js_size)};
  static const Asset kCss{"text/css; charset=utf-8",
                          View(internal::k_ui_css, internal::k_ui_css_size)};
  if (path == "/ui" || path == "/ui/" || path == "/ui/index.html") return &kHtml;
  if (path == "/ui/ui.js") return &kJs;
  if (path == "/ui/ui.css") return &kCss;
  return nullptr;
}

const std::vector<std::pair<std::string, std::string>>& AssetHeaders() {
  static const auto* headers = new std::vector<std::pair<std::string, std::string>>{
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Cache-Control", "no-store"},
  };
  return *headers;
}

std::string PageUrl(std::string_view server_url, std::string_view token) {
  std::string url(server_url);
  url += "/ui";
  if (token.empty()) return url;
  url += "#token=";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : token) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

}  // namespace dra::apiserver::ui
