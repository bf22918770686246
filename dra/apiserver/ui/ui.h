// The files of the web page `dra server` serves at /ui: ui.html (at /ui and /ui/), ui.js and
// ui.css (at /ui/ui.js, /ui/ui.css), compiled into the binary. The page needs no
// authentication to load; its API requests carry the bearer token from the URL fragment
// (`/ui#token=...`). See docs/server.md, "Web UI".
//
// Thread-safe: the assets are immutable.
#ifndef DRA_APISERVER_UI_UI_H_
#define DRA_APISERVER_UI_UI_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dra::apiserver::ui {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

// The asset served at `path` ("/ui", "/ui/", "/ui/ui.js", "/ui/ui.css"), or nullptr.
const Asset* FindAsset(std::string_view path);

// Response headers of every asset: a Content-Security-Policy that allows only this origin's
// scripts, styles and API (no inline script, no other origin), no referrer, no sniffing, no
// caching, no framing.
const std::vector<std::pair<std::string, std::string>>& AssetHeaders();

// The page's address on a server at `server_url` ("https://127.0.0.1:6443"): `/ui`, with
// `#token=<token>` (percent-encoded) when `token` is not empty.
std::string PageUrl(std::string_view server_url, std::string_view token);

}  // namespace dra::apiserver::ui

#endif  // DRA_APISERVER_UI_UI_H_
