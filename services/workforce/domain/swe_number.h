// Social Work England registration numbers: "SW" and 1-6 digits without a leading zero.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_SWE_NUMBER_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_SWE_NUMBER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace slihub::workforce {

// The canonical (upper-case) form of `text` when it matches ^SW[1-9][0-9]{0,5}$ in any case;
// InvalidArgument saying what is wrong otherwise. No trimming: surrounding spaces are an error.
absl::StatusOr<std::string> NormaliseSweNumber(absl::string_view text);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_SWE_NUMBER_H_
