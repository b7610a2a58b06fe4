#include "services/peerreview/demo_data.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/proto_time.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/themes.h"
#include "services/peerreview/store/peerreview_store.h"

namespace slihub::peerreview {

absl::Status LoadPeerReviewDemoData(const ServiceContext& context) {
  const std::string& hub = context.config->hub_region;
  const RegionRecord* region = context.reference_data->FindRegion(hub);
  if (region == nullptr || region->la_codes.size() < 2) return absl::OkStatus();
  constexpr int kYear = 2025;
  const v1::OfstedGrade grades[] = {v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_REQUIRES_IMPROVEMENT,
                                    v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_OUTSTANDING,
                                    v1::OFSTED_GRADE_GOOD, v1::OFSTED_GRADE_INADEQUATE,
                                    v1::OFSTED_GRADE_REQUIRES_IMPROVEMENT};
  v1::Cycle cycle;
  cycle.set_cycle_id(absl::StrCat(hub, "-", kYear));
  cycle.mutable_region()->set_value(hub);
  cycle.set_year(kYear);
  cycle.set_name(absl::StrCat(region->name, " peer review 2025-26 (demo data)"));
  cycle.set_state(v1::CYCLE_STATE_SETUP);
  for (size_t i = 0; i < region->la_codes.size(); ++i) {
    v1::Participant* p = cycle.add_participants();
    p->mutable_la_code()->set_value(region->la_codes[i]);
    p->set_latest_ilacs_grade(grades[i % (sizeof(grades) / sizeof(grades[0]))]);
  }
  v1::PhaseDates* phases = cycle.mutable_phases();
  *phases->mutable_self_assessment_due() = ToProtoDate(absl::CivilDay(2025, 10, 31));
  *phases->mutable_moderation()->mutable_start() = ToProtoDate(absl::CivilDay(2025, 11, 3));
  *phases->mutable_moderation()->mutable_end() = ToProtoDate(absl::CivilDay(2025, 11, 28));
  *phases->mutable_challenge_events()->mutable_start() = ToProtoDate(absl::CivilDay(2026, 1, 12));
  *phases->mutable_challenge_events()->mutable_end() = ToProtoDate(absl::CivilDay(2026, 3, 27));
  *phases->mutable_summary_due() = ToProtoDate(absl::CivilDay(2026, 4, 30));
  for (const v1::Theme& theme : SeedThemes()) *cycle.add_themes() = theme;
  cycle.set_version(1);
  *cycle.mutable_audit()->mutable_create_time() = ToProtoTimestamp(absl::Now());
  *cycle.mutable_audit()->mutable_update_time() = cycle.audit().create_time();
  cycle.mutable_audit()->set_created_by("demo-data");
  cycle.mutable_audit()->set_updated_by("demo-data");

  // 2024: consecutive LAs in triads, the last group taking the remainder.
  std::vector<std::vector<std::string>> groups;
  for (size_t i = 0; i < region->la_codes.size(); ++i) {
    if (i % 3 == 0 && region->la_codes.size() - i >= 2) groups.emplace_back();
    groups.back().push_back(region->la_codes[i]);
  }
  return context.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredCycle>> existing = PeerReviewStore::GetCycle(tx, cycle.cycle_id());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) return absl::OkStatus();
    absl::Status history = PeerReviewStore::ReplaceHistory(tx, hub, kYear - 1, groups);
    if (!history.ok()) return history;
    return PeerReviewStore::InsertCycle(tx, {cycle, 1});
  });
}

}  // namespace slihub::peerreview
