#include "services/workforce/store/worker_history_codec.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "slihub/workforce/storage/v1/worker_history.pb.h"

namespace slihub::workforce {
namespace {

namespace spb = ::slihub::workforce::storage::v1;

const absl::CivilDay kEpoch(1970, 1, 1);

int64_t DaysOf(absl::CivilDay day) { return day - kEpoch; }
absl::CivilDay DayOf(int64_t days) { return kEpoch + days; }

int64_t SequenceOf(const std::string& check_id) {
  int64_t seq = 0;
  if (check_id.rfind("rc-", 0) == 0) (void)absl::SimpleAtoi(check_id.substr(3), &seq);
  return seq;
}

void Encode(const EmploymentPeriod& p, spb::HistoryPeriod* out) {
  out->set_record_id(p.record_id);
  out->set_la_code(p.la_code);
  out->set_region(p.region);
  out->set_employment_type(static_cast<int32_t>(p.employment_type));
  out->set_job_type(static_cast<int32_t>(p.job_type));
  out->set_local_job_title(p.local_job_title);
  out->set_start_day(DaysOf(p.start_date));
  if (p.end_date.has_value()) {
    out->set_has_end(true);
    out->set_end_day(DaysOf(*p.end_date));
  }
  out->set_leaving_reason(static_cast<int32_t>(p.leaving_reason));
  out->set_child_and_family(p.child_and_family);
  out->set_asye(p.asye);
}

void Encode(const RegisterCheck& c, spb::HistoryRegisterCheck* out) {
  out->set_seq(SequenceOf(c.check_id));
  out->set_status(static_cast<int32_t>(c.status));
  for (const std::string& condition : c.conditions) out->add_conditions(condition);
  out->set_checked_at_us(absl::ToUnixMicros(c.checked_at));
  out->set_checked_by(c.checked_by);
  out->set_source(c.source);
  out->set_recorder_la(c.recorder_la);
}

EmploymentPeriod Decode(spb::HistoryPeriod& in, const std::string& swe_number) {
  EmploymentPeriod p;
  p.record_id = std::move(*in.mutable_record_id());
  p.swe_number = swe_number;
  p.la_code = std::move(*in.mutable_la_code());
  p.region = std::move(*in.mutable_region());
  p.employment_type = static_cast<EmploymentType>(in.employment_type());
  p.job_type = static_cast<JobType>(in.job_type());
  p.local_job_title = std::move(*in.mutable_local_job_title());
  p.start_date = DayOf(in.start_day());
  if (in.has_end()) p.end_date = DayOf(in.end_day());
  p.leaving_reason = static_cast<LeavingReason>(in.leaving_reason());
  p.child_and_family = in.child_and_family();
  p.asye = in.asye();
  return p;
}

RegisterCheck Decode(spb::HistoryRegisterCheck& in, const std::string& swe_number) {
  RegisterCheck c;
  c.check_id = absl::StrCat("rc-", in.seq());
  c.swe_number = swe_number;
  c.status = static_cast<RegisterStatus>(in.status());
  for (std::string& condition : *in.mutable_conditions()) {
    c.conditions.push_back(std::move(condition));
  }
  c.checked_at = absl::FromUnixMicros(in.checked_at_us());
  c.checked_by = std::move(*in.mutable_checked_by());
  c.source = in.source();
  c.recorder_la = std::move(*in.mutable_recorder_la());
  return c;
}

}  // namespace

std::string EncodeWorkerHistory(const WorkerHistory& history) {
  spb::WorkerHistory out;
  for (const EmploymentPeriod& p : history.periods) Encode(p, out.add_periods());
  for (const RegisterCheck& c : history.register_checks) Encode(c, out.add_register_checks());
  return out.SerializeAsString();
}

absl::StatusOr<WorkerHistory> DecodeWorkerHistory(const std::string& blob,
                                                  const std::string& swe_number) {
  spb::WorkerHistory in;
  if (!in.ParseFromString(blob)) {
    return absl::DataLossError(
        absl::StrCat("store: the stored history of a worker does not parse (", blob.size(),
                     " bytes)"));
  }
  WorkerHistory out;
  out.periods.reserve(in.periods_size());
  for (spb::HistoryPeriod& p : *in.mutable_periods()) out.periods.push_back(Decode(p, swe_number));
  out.register_checks.reserve(in.register_checks_size());
  for (spb::HistoryRegisterCheck& c : *in.mutable_register_checks()) {
    out.register_checks.push_back(Decode(c, swe_number));
  }
  return out;
}

}  // namespace slihub::workforce
