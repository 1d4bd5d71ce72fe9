#pragma once

#include <string>
#include <string_view>

namespace eventscope {

// Finds the first syntax error in a JSON text and describes it the way a person fixes it:
// "line 1 col 17: expected ':' after an object key". Only used once simdjson has rejected a
// document, so it favours clear messages over speed. Returns an empty string when the text is
// well-formed JSON (then the problem lies elsewhere, e.g. nesting depth or UTF-8).
std::string locateJsonError(std::string_view text);

} // namespace eventscope
