// Ofsted unique reference numbers: "SC" and digits (older registrations) or 7 digits (newer).
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_OFSTED_URN_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_OFSTED_URN_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace slihub::placement {

// The canonical form of `text` ("sc040123" -> "SC040123"; "1234567" unchanged), or nullopt when
// it is neither "SC" followed by 1..10 digits nor exactly 7 digits. Never parsed as a number, so
// leading zeros are kept.
std::optional<std::string> NormalizeOfstedUrn(absl::string_view text);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_OFSTED_URN_H_
