// The region's theme list: the seed themes and the rules for theme ids.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_THEMES_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_THEMES_H_

#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "slihub/peerreview/v1/cycle.pb.h"

namespace slihub::peerreview {

// Workforce, SEND, Placement Sufficiency, Care Leavers, Attendance, Anti-Racist Practice,
// Families First, Outcome 3.
std::vector<v1::Theme> SeedThemes();

// Theme ids lower_snake_case (1..64 characters) and unique, names 1..100 characters,
// descriptions at most 1000; violations under `field`.
void CheckThemes(const google::protobuf::RepeatedPtrField<v1::Theme>& themes,
                 const std::string& field, FieldViolations* violations);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_THEMES_H_
