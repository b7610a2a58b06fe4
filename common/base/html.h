// Escaping text for HTML, the one escaper every rendered page uses.
#ifndef SLIHUB_COMMON_BASE_HTML_H_
#define SLIHUB_COMMON_BASE_HTML_H_

#include <string>

#include "absl/strings/string_view.h"

namespace slihub {

// `text` safe inside HTML element content and double- or single-quoted attribute values:
// & < > " ' become character references; everything else is copied as is.
std::string HtmlEscape(absl::string_view text);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_HTML_H_
