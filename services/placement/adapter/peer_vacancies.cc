#include "services/placement/adapter/peer_vacancies.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/server/proto_time.h"

namespace slihub::placement {

std::optional<Candidate> CandidateFromEvent(const v1::VacancyEvent& event) {
  if (!event.has_setting() || event.vacancy().vacancy_id().empty()) return std::nullopt;
  const v1::Setting& s = event.setting();
  const v1::Vacancy& v = event.vacancy();
  Candidate c;
  SettingFacts& f = c.setting;
  f.setting_id = s.setting_id();
  f.provider_id = s.provider_id();
  f.ofsted_urn = s.ofsted_urn();
  f.name = s.name();
  f.placement_type = static_cast<PlacementType>(s.placement_type());
  f.ofsted_grade = static_cast<OfstedGrade>(s.ofsted_grade());
  for (int n : s.registered_needs()) f.registered_needs.push_back(n);
  std::sort(f.registered_needs.begin(), f.registered_needs.end());
  f.registered_needs.erase(std::unique(f.registered_needs.begin(), f.registered_needs.end()),
                           f.registered_needs.end());
  f.age_min = s.age_range().min_years();
  f.age_max = s.age_range().max_years();
  f.sex_accepted = static_cast<SexAccepted>(s.sex_accepted());
  f.postcode_district = s.location().postcode_district();
  if (s.location().has_coordinates()) {
    f.coordinates =
        GeoPoint{s.location().coordinates().latitude(), s.location().coordinates().longitude()};
  }
  f.host_la = s.host_la().value();
  f.region = s.region().value();
  f.active = s.active();
  VacancyFacts& x = c.vacancy;
  x.vacancy_id = v.vacancy_id();
  x.setting_id = v.setting_id();
  x.beds = v.beds();
  x.beds_held = v.beds_held();
  x.available_from = absl::CivilDay(v.available_from().year(), v.available_from().month(),
                                    v.available_from().day());
  x.weekly_cost_pence = v.weekly_cost().pence();
  x.occupancy = static_cast<Occupancy>(v.occupancy());
  x.sibling_capacity = v.sibling_capacity();
  absl::StatusOr<absl::Time> confirmed = FromProtoTimestamp(v.last_confirmed_at());
  x.last_confirmed_at = confirmed.ok() ? *confirmed : absl::InfinitePast();
  x.state = static_cast<VacancyState>(v.state());
  x.version = v.version();
  return c;
}

PeerVacancies::PeerVacancies(std::shared_ptr<PlacementHubConnection> hubs,
                             std::vector<std::string> regions, PeerVacancyOptions options)
    : hubs_(std::move(hubs)), options_(options), order_(std::move(regions)) {
  const std::vector<std::string> configured = hubs_->Regions();
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& code : order_) {
      Region& r = regions_[code];
      r.code = code;
      r.configured = std::find(configured.begin(), configured.end(), code) != configured.end();
    }
  }
  for (const std::string& code : order_) {
    if (std::find(configured.begin(), configured.end(), code) == configured.end()) continue;
    threads_.emplace_back([this, code] { Follow(code); });
  }
  if (!threads_.empty()) threads_.emplace_back([this] { Watchdog(); });
}

PeerVacancies::~PeerVacancies() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (auto& [code, r] : regions_) {
      if (r.stream != nullptr) r.stream->Cancel();
    }
  }
  for (std::thread& t : threads_) t.join();
}

void PeerVacancies::Upsert(Region& region, std::shared_ptr<const Candidate> candidate, bool open) {
  const std::string id = candidate->vacancy.vacancy_id;
  if (auto it = region.area_of.find(id); it != region.area_of.end()) {
    region.areas[it->second].members.erase(id);
    region.touched.insert(it->second);
    region.area_of.erase(it);
  }
  if (!open) return;
  Area area{candidate->setting.region, candidate->setting.host_la};
  region.areas[area].members[id] = std::move(candidate);
  region.area_of[id] = area;
  region.touched.insert(std::move(area));
}

void PeerVacancies::Apply(Region& region, const v1::WatchVacanciesResponse& message) {
  const bool snapshotting = !region.complete || region.need_snapshot;
  for (const v1::VacancyEvent& event : message.events()) {
    std::optional<Candidate> c = CandidateFromEvent(event);
    if (!c.has_value()) continue;
    const bool open = c->vacancy.state == VacancyState::kOpen;
    auto shared = std::make_shared<const Candidate>(*std::move(c));
    if (snapshotting) {
      if (open) region.pending[shared->vacancy.vacancy_id] = std::move(shared);
    } else {
      Upsert(region, std::move(shared), open);
    }
  }
  if (snapshotting && message.snapshot_complete()) {
    for (const auto& [area, state] : region.areas) region.touched.insert(area);
    region.areas.clear();
    region.area_of.clear();
    for (auto& [id, candidate] : region.pending) Upsert(region, std::move(candidate), true);
    region.pending.clear();
    region.complete = true;
    region.need_snapshot = false;
  }
  region.last_sequence = std::max(region.last_sequence, message.last_sequence());
  region.last_message = absl::Now();
}

void PeerVacancies::Follow(const std::string& code) {
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    v1::WatchVacanciesRequest request;
    request.set_include_settings(true);
    *request.mutable_heartbeat() = ToProtoDuration(options_.heartbeat);
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      Region& r = regions_[code];
      r.pending.clear();
      if (r.need_snapshot || !r.complete) {
        request.set_include_snapshot(true);
      } else {
        request.set_resume_after_sequence(r.last_sequence);
      }
    }
    std::unique_ptr<VacancyStream> stream = hubs_->WatchVacancies(code, request);
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      stopping = stopping_;
      if (!stopping) regions_[code].stream = stream.get();
    }
    if (stopping) {  // the destructor cancelled the streams it saw, not this one
      stream->Cancel();
      v1::WatchVacanciesResponse ignored;
      while (stream->Read(&ignored)) {
      }
      stream->Finish().IgnoreError();
      return;
    }
    v1::WatchVacanciesResponse message;
    bool got_any = false;
    while (stream->Read(&message)) {
      absl::MutexLock lock(&mu_);
      Region& r = regions_[code];
      r.connected = true;
      got_any = true;
      Apply(r, message);
    }
    const absl::Status status = stream->Finish();
    {
      absl::MutexLock lock(&mu_);
      Region& r = regions_[code];
      r.stream = nullptr;
      r.connected = false;
      r.error = absl::StrCat(absl::StatusCodeToString(status.code()), " ", status.message());
      // History not retained, or the owner's sequence went back (a new store): start over.
      if (absl::IsOutOfRange(status) || absl::IsInvalidArgument(status)) r.need_snapshot = true;
      if (stopping_) return;
    }
    if (got_any) backoff = options_.min_backoff;
    LogWarning("peer_vacancy_stream_ended")
        .Str("region", code)
        .Int("code", static_cast<int>(status.code()));
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void PeerVacancies::Watchdog() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.heartbeat);
    if (stopping_) return;
    const absl::Time now = absl::Now();
    for (auto& [code, r] : regions_) {
      if (r.stream != nullptr && r.connected && now - r.last_message > options_.reconnect_after) {
        r.stream->Cancel();  // a silent stream (a hung peer): drop it and reconnect
      }
    }
  }
}

federation::RegionOutcome PeerVacancies::OutcomeLocked(const Region& r, absl::Time now) const {
  federation::RegionOutcome out;
  out.region = r.code;
  out.as_of = r.last_message;
  if (!r.configured) {
    out.state = federation::RegionState::kUnavailable;
    out.reason = absl::StrCat("no peer hub is configured for region ", r.code);
    out.as_of = absl::InfinitePast();
    return out;
  }
  if (!r.complete) {
    out.state = federation::RegionState::kUnavailable;
    out.reason = r.error.empty()
                     ? "the region's vacancy stream has not synced yet"
                     : absl::StrCat("the region's vacancy stream has not synced: ", r.error);
    out.as_of = absl::InfinitePast();
    return out;
  }
  const absl::Duration age = now - r.last_message;
  if (r.connected && !r.need_snapshot && age <= options_.silence_limit) {
    out.state = federation::RegionState::kFresh;
    return out;
  }
  if (age <= options_.stale_max) {
    out.state = federation::RegionState::kStale;
    out.reason =
        r.connected
            ? absl::StrCat("the region's vacancy stream is silent for ", absl::FormatDuration(age))
            : absl::StrCat("the region's vacancy stream is down (", r.error, "): its copy is used");
    return out;
  }
  out.state = federation::RegionState::kUnavailable;
  out.reason =
      absl::StrCat("the region's vacancy stream is down (", r.error,
                   ") and its copy is older than ", absl::FormatDuration(options_.stale_max));
  out.as_of = absl::InfinitePast();
  return out;
}

std::vector<PeerRegionPart> PeerVacancies::Current(absl::Time now) {
  std::vector<PeerRegionPart> out;
  absl::MutexLock lock(&mu_);
  for (const std::string& code : order_) {
    Region& r = regions_[code];
    for (const Area& area : r.touched) {
      auto it = r.areas.find(area);
      if (it == r.areas.end()) continue;
      if (it->second.members.empty()) {
        r.areas.erase(it);
        continue;
      }
      std::vector<std::shared_ptr<const Candidate>> members;
      members.reserve(it->second.members.size());
      for (const auto& [id, candidate] : it->second.members) members.push_back(candidate);
      it->second.group = BuildKeyGroup(area.first, area.second, std::move(members));
    }
    r.touched.clear();
    PeerRegionPart part;
    part.outcome = OutcomeLocked(r, now);
    if (part.outcome.has_answer()) {
      part.groups.reserve(r.areas.size());
      for (const auto& [area, state] : r.areas) part.groups.push_back(state.group);
    }
    out.push_back(std::move(part));
  }
  return out;
}

std::optional<Candidate> PeerVacancies::Find(const std::string& vacancy_id, absl::Time now) {
  absl::MutexLock lock(&mu_);
  for (auto& [code, r] : regions_) {
    auto it = r.area_of.find(vacancy_id);
    if (it == r.area_of.end() || !OutcomeLocked(r, now).has_answer()) continue;
    return *r.areas[it->second].members.at(vacancy_id);
  }
  return std::nullopt;
}

bool PeerVacancies::AwaitAllFresh(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    bool all = true;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = absl::Now();
      for (const auto& [code, r] : regions_) {
        if (r.configured && OutcomeLocked(r, now).state != federation::RegionState::kFresh) {
          all = false;
        }
      }
    }
    if (all) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

}  // namespace slihub::placement
