// The placement service's repository: every SQL statement of the service, over store::Database.
// Thread-safe (each call runs its own transaction). Error contract: NotFound for a missing
// record, Aborted for a stale version or a lost race, FailedPrecondition (with a
// PreconditionFailure detail) for a wrong state, AlreadyExists for a duplicate key.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_STORE_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "services/placement/domain/model.h"
#include "services/placement/domain/sufficiency.h"

namespace slihub::placement {

// Who created and last changed a record, and when.
struct Audit {
  absl::Time create_time;
  std::string created_by;
  absl::Time update_time;
  std::string updated_by;
  std::string request_id;
};

// Who is writing, and the call's idempotency key (empty: not idempotent).
struct WriteContext {
  std::string subject;
  std::string request_id;
  absl::Time now;
};

// A provider (slihub.placement.v1.Provider). Plain data.
struct ProviderRecord {
  std::string provider_id;
  std::string name;
  int kind = 0;  // ProviderKind number
  std::string la_code;
  std::vector<std::string> member_subjects;
  int64_t version = 0;
  Audit audit;
};

// A setting with its registration details. Plain data.
struct SettingRecord {
  SettingFacts facts;
  std::optional<absl::CivilDay> ofsted_grade_date;
  int registered_places = 0;
  int64_t version = 0;
  Audit audit;
};

// A vacancy with its register details. Plain data.
struct VacancyRecord {
  VacancyFacts facts;
  std::string record_id;
  std::string region;   // the setting's region
  std::string host_la;  // the setting's LA
  Audit audit;
};

// The profile fields matching does not use. Plain data.
struct ReferralExtras {
  std::vector<int> risks;  // RiskCategory numbers
  int legal_status = 0;
  bool uasc = false;
  int urgency = 0;
};

// A referral. Plain data; holds no name, date of birth or full postcode.
struct ReferralRecord {
  std::string referral_id;
  std::string la_code;
  ChildProfile profile;
  ReferralExtras extras;
  PlacementConstraints constraints;
  int state = 1;  // ReferralState number
  std::string placement_id;
  int close_reason = 0;
  int64_t version = 0;
  Audit audit;
};

// A hold on one bed (slihub.placement.v1.Hold). Plain data.
struct HoldRecord {
  std::string hold_id;
  std::string vacancy_id;
  std::string referral_id;
  std::string la_code;
  int state = 1;  // HoldState number
  absl::Time expire_time;
  std::string placement_id;
  std::string release_reason;
  int64_t version = 0;
  Audit audit;
};

// A hold another region's hub (`region`) made for a referral of this hub, as this hub last saw
// it; once confirmed there, the placement's facts this hub's figures need. Plain data.
struct PeerHoldRecord {
  std::string hold_id;  // the owner's ids
  std::string region;
  std::string referral_id;  // this hub's
  std::string la_code;
  std::string vacancy_id;
  int state = 1;            // HoldState number
  int64_t version = 0;      // the owner's hold version
  std::string placement_id;  // the owner's, once confirmed
  std::optional<absl::CivilDay> start_date;
  int64_t weekly_cost_pence = 0;
  std::optional<double> distance_miles;  // worked out here
  std::optional<absl::Time> confirm_time;
  std::string reason;  // why it ended, as this hub knows it
};

// A confirmed placement. Plain data.
struct PlacementRecord {
  std::string placement_id;
  std::string hold_id;
  std::string referral_id;
  std::string vacancy_id;
  std::string setting_id;
  std::string la_code;
  std::string host_la;
  absl::CivilDay start_date;
  int64_t weekly_cost_pence = 0;
  std::optional<double> distance_miles;
  absl::Time confirm_time;
  std::string created_by;
};

// The result of a hold, release or confirmation: the hold and the vacancy after it.
struct HoldChange {
  HoldRecord hold;
  VacancyRecord vacancy;
  std::optional<PlacementRecord> placement;
};

// Vacancies changed after a point of the hub's change sequence (every insert or update of a
// vacancy takes the next number of that sequence, in the same transaction).
struct CandidateChanges {
  std::vector<Candidate> changed;  // in any state, with their settings, in sequence order
  int64_t sequence = 0;            // the sequence the answer is complete up to
};

// What sufficiency figures are computed from. Plain data.
struct SufficiencyData {
  std::vector<VacancyStock> stock;                  // open vacancies now (stale judged at `now`)
  std::map<std::string, int> open_referrals_by_la;  // open at period end
  std::vector<PlacementFlow> placements;            // confirmed in [period_start, period_end)
  std::vector<TopMatchFlow> top_matches;  // of the referrals made in [period_start, period_end)
};

// Filters of ListVacancies; empty fields match everything. Plain data.
struct VacancyQuery {
  std::string setting_id;
  std::string provider_id;
  std::string host_la;
  std::string region;          // settings in this region (OWN_REGION scope)
  std::string member_subject;  // only providers this subject acts for
  std::vector<int> placement_types;
  std::vector<int> states;  // VacancyState numbers; empty means OPEN
  std::optional<absl::CivilDay> available_by;
  std::string after_id;  // keyset: ids greater than this
  int limit = 50;
};

// One change of a vacancy (slihub.placement.v1.VacancyEvent), with the vacancy as it was after it.
// Plain data.
struct VacancyEventRecord {
  int64_t sequence = 0;
  int type = 0;  // VacancyEventType number
  std::string hold_id;
  absl::Time event_time;
  VacancyRecord vacancy;
  std::string provider_id;  // the setting's
  int placement_type = 0;   // the setting's (PlacementType number)
  SettingFacts setting;     // the setting as it is when read (not as it was at the event)
};

// Vacancy events read in one snapshot. Plain data.
struct VacancyEventPage {
  std::vector<VacancyEventRecord> events;  // in sequence order
  int64_t read_upto = 0;  // every event up to this sequence has been read (or is in `events`)
  int64_t floor = 0;      // the oldest retained history starts after this sequence
  int64_t latest = 0;     // the hub's latest change sequence
};

// Filters of ListReferrals / ListHolds / ListPlacements; empty fields match everything. Results
// come newest first (create or confirm time, then id, descending). Plain data.
struct RecordQuery {
  std::vector<std::string> la_codes;  // the placing LA is one of these
  bool provider_scoped = false;       // only vacancies in settings of `provider_ids`
  std::vector<std::string> provider_ids;
  std::string vacancy_id;
  std::string referral_id;
  std::string setting_id;
  std::string host_la;
  int state = 0;                                          // ReferralState / HoldState number; 0 any
  std::optional<absl::CivilDay> start_from;               // placements starting on or after
  std::optional<absl::CivilDay> start_to;                 // placements starting on or before
  std::optional<std::pair<int64_t, std::string>> before;  // keyset: older than (micros, id)
  int limit = 50;
};

// Filters of ListProviders; empty fields match everything. Name then id order. Plain data.
struct ProviderQuery {
  int kind = 0;  // ProviderKind number; 0 any
  std::string la_code;
  std::optional<std::pair<std::string, std::string>> after;  // keyset: after (name, id)
  int limit = 50;
};

// Filters of ListSettings; empty fields match everything. Id order. Plain data.
struct SettingQuery {
  std::string provider_id;
  std::string host_la;
  std::string region;
  std::string ofsted_urn;
  std::vector<int> placement_types;
  bool include_inactive = false;
  bool provider_scoped = false;  // only settings of `provider_ids`
  std::vector<std::string> provider_ids;
  std::string after_id;  // keyset: ids greater than this
  int limit = 50;
};

// Hold states (slihub.placement.v1.HoldState numbers).
inline constexpr int kHoldActive = 1;
inline constexpr int kHoldConfirmed = 2;
inline constexpr int kHoldReleased = 3;
inline constexpr int kHoldExpired = 4;
// Referral states (slihub.placement.v1.ReferralState numbers).
inline constexpr int kReferralOpen = 1;
inline constexpr int kReferralPlaced = 2;

// The repository: every function runs in the caller's transaction (the caller opens it with
// Database::Run or RunIdempotent; a write needs a kWrite transaction) and never opens one.
// Holds only `hub_region`, which prefixes every new id. Thread-safe.
class PlacementStore {
 public:
  explicit PlacementStore(std::string hub_region);

  // Inserts a provider (id, version and audit assigned; w.request_id kept in the audit).
  absl::StatusOr<ProviderRecord> CreateProvider(store::Transaction& tx, const ProviderRecord& draft,
                                                const WriteContext& w) const;
  absl::StatusOr<ProviderRecord> GetProvider(store::Transaction& tx,
                                             const std::string& provider_id) const;
  // Replaces a provider's name, kind, LA and members if its version is still `next.version`;
  // else Aborted.
  absl::StatusOr<ProviderRecord> UpdateProvider(store::Transaction& tx, const ProviderRecord& next,
                                                const WriteContext& w) const;

  // Inserts a setting. NotFound for an unknown provider; AlreadyExists when a residential setting
  // already has the URN.
  absl::StatusOr<SettingRecord> CreateSetting(store::Transaction& tx, const SettingRecord& draft,
                                              const WriteContext& w) const;
  absl::StatusOr<SettingRecord> GetSetting(store::Transaction& tx,
                                           const std::string& setting_id) const;
  // Replaces a setting's registration details (all but its provider) if its version is still
  // `next.version`; else Aborted. AlreadyExists when a residential URN clashes. Every vacancy of
  // the setting takes a new change number (an UPDATED event).
  absl::StatusOr<SettingRecord> UpdateSetting(store::Transaction& tx, const SettingRecord& next,
                                              const WriteContext& w) const;

  // Publishes a vacancy, idempotently by (setting_id, record_id): the same terms again confirm
  // the stored vacancy and return created=false; different terms are AlreadyExists. NotFound for an
  // unknown setting, FailedPrecondition for an inactive one. last_confirmed_at becomes the draft's
  // (when not InfinitePast) or w.now, never moving back (UpdateVacancy alike).
  absl::StatusOr<std::pair<VacancyRecord, bool>> PublishVacancy(store::Transaction& tx,
                                                                const VacancyRecord& draft,
                                                                const WriteContext& w) const;
  // Replaces a vacancy's terms (beds, available_from, cost, occupancy, sibling capacity) and
  // confirms it, if its version is still `terms.facts.version`; else Aborted. FailedPrecondition
  // when not open or when beds would fall below the beds held.
  absl::StatusOr<VacancyRecord> UpdateVacancy(store::Transaction& tx, const VacancyRecord& terms,
                                              const WriteContext& w) const;
  absl::StatusOr<VacancyRecord> GetVacancy(store::Transaction& tx,
                                           const std::string& vacancy_id) const;
  // Up to query.limit vacancies matching `query`, in vacancy id order after query.after_id.
  absl::StatusOr<std::vector<VacancyRecord>> ListVacancies(store::Transaction& tx,
                                                           const VacancyQuery& query) const;
  // Refreshes an open vacancy's last_confirmed_at to `confirmed_at` (InfinitePast: w.now), never
  // moving it back (clearing stale). `version` 0 skips the version
  // check; otherwise a stale one is Aborted. FailedPrecondition VACANCY_NOT_OPEN when not open.
  absl::StatusOr<VacancyRecord> ConfirmVacancy(
      store::Transaction& tx, const std::string& vacancy_id, int64_t version, const WriteContext& w,
      absl::Time confirmed_at = absl::InfinitePast()) const;
  // Withdraws an open vacancy with no active holds. Aborted for a stale version;
  // FailedPrecondition VACANCY_NOT_OPEN or ACTIVE_HOLDS.
  absl::StatusOr<VacancyRecord> WithdrawVacancy(store::Transaction& tx,
                                                const std::string& vacancy_id, int64_t version,
                                                const WriteContext& w) const;

  // The open vacancies (with their settings) a match in `scope` considers, in vacancy id order.
  absl::StatusOr<std::vector<Candidate>> LoadCandidates(store::Transaction& tx, Scope scope,
                                                        const std::string& la_code,
                                                        const std::string& region) const;
  // Every vacancy changed after `after_sequence` (0: every vacancy), read in one snapshot.
  absl::StatusOr<CandidateChanges> LoadCandidateChanges(store::Transaction& tx,
                                                        int64_t after_sequence) const;
  // One vacancy with its setting, whatever its state. NotFound when unknown.
  absl::StatusOr<Candidate> LoadCandidate(store::Transaction& tx,
                                          const std::string& vacancy_id) const;

  // Inserts an open referral.
  absl::StatusOr<ReferralRecord> CreateReferral(store::Transaction& tx, const ReferralRecord& draft,
                                                const WriteContext& w) const;
  absl::StatusOr<ReferralRecord> GetReferral(store::Transaction& tx,
                                             const std::string& referral_id) const;
  // Replaces an open referral's profile, extras and constraints (from `next`) if its version is
  // still `version`. Aborted for a stale version; FailedPrecondition REFERRAL_NOT_OPEN.
  absl::StatusOr<ReferralRecord> UpdateReferral(store::Transaction& tx,
                                                const std::string& referral_id, int64_t version,
                                                const ReferralRecord& next,
                                                const WriteContext& w) const;
  // Closes an open referral without a placement and releases its active holds, in one
  // transaction. Aborted for a stale version; FailedPrecondition REFERRAL_NOT_OPEN.
  absl::StatusOr<ReferralRecord> CloseReferral(store::Transaction& tx,
                                               const std::string& referral_id, int64_t version,
                                               int close_reason, const WriteContext& w) const;

  // Records another region's referral reference `referral_id` (placing LA `la_code`) so that the
  // hold its hub forwards here can be made: the id and the LA only, no child's details (profile
  // fields zero), open. A second call for the same id and LA does nothing; PermissionDenied
  // (ErrorInfo NOT_OWN_LA) when the id is known here for another LA.
  absl::Status EnsurePeerReferral(store::Transaction& tx, const std::string& referral_id,
                                  const std::string& la_code, const WriteContext& w) const;
  // Reserves one free bed of `vacancy_id` for `referral_id` until w.now + duration, in one write
  // transaction whose conditional UPDATE never takes a bed that is not free. Aborted when
  // expected_version is non-zero and stale, or when the conditional update loses;
  // FailedPrecondition (type NO_FREE_BED, VACANCY_NOT_OPEN, REFERRAL_NOT_OPEN or ALREADY_HELD)
  // otherwise.
  absl::StatusOr<HoldChange> HoldVacancy(store::Transaction& tx, const std::string& vacancy_id,
                                         const std::string& referral_id, int64_t expected_version,
                                         absl::Duration duration, const WriteContext& w) const;
  // Gives an active hold's bed back. Aborted for a stale version; FailedPrecondition when the hold
  // is not active; FailedPrecondition HOLD_EXPIRED, writing nothing, when it has lapsed (the
  // caller then runs ExpireHolds, in its own transaction, to free the bed at once).
  absl::StatusOr<HoldChange> ReleaseHold(store::Transaction& tx, const std::string& hold_id,
                                         int64_t version, const std::string& reason,
                                         const WriteContext& w) const;
  // Turns an active, unlapsed hold into a placement: the vacancy loses the bed (FILLED when none
  // remain) and the referral becomes PLACED. Errors as ReleaseHold; FailedPrecondition when the
  // start date is before the vacancy's available_from.
  absl::StatusOr<HoldChange> ConfirmPlacement(store::Transaction& tx, const std::string& hold_id,
                                              int64_t version, absl::CivilDay start_date,
                                              const WriteContext& w) const;
  absl::StatusOr<HoldRecord> GetHold(store::Transaction& tx, const std::string& hold_id) const;

  // Holds and placements at other regions' hubs (store/peer_hold_store.cc).
  // Records (or brings up to date) what this hub knows of a hold `hold.region`'s hub made for one
  // of its referrals; an older version never overwrites a newer one. NotFound for an unknown
  // referral.
  absl::Status RecordPeerHold(store::Transaction& tx, const PeerHoldRecord& hold,
                              absl::Time now) const;
  // The recorded peer hold `hold_id`, or nullopt.
  absl::StatusOr<std::optional<PeerHoldRecord>> FindPeerHold(store::Transaction& tx,
                                                             const std::string& hold_id) const;
  // The referral's peer holds recorded active, in hold id order.
  absl::StatusOr<std::vector<PeerHoldRecord>> ActivePeerHolds(
      store::Transaction& tx, const std::string& referral_id) const;
  // Records `placed` (a confirmed peer hold with its placement's facts) and, when the referral is
  // still open, makes it PLACED with the owner's placement id and releases its active holds here
  // ("referral placed elsewhere"). Idempotent: a second call changes nothing further.
  absl::Status RecordPeerPlacement(store::Transaction& tx, const PeerHoldRecord& placed,
                                   const WriteContext& w) const;
  absl::StatusOr<PlacementRecord> GetPlacement(store::Transaction& tx,
                                               const std::string& placement_id) const;

  // The register's current open vacancies, the referrals open at `period_end` (created before it
  // and open then: still open, or changed state at or after it), and the placements confirmed in
  // [period_start, period_end), read in one snapshot.
  // Records `vacancy_id` (at `distance_miles`, nullopt when unknown) as the top-ranked match of
  // `referral_id` (from `la_code`) at `now`, replacing an earlier one.
  absl::Status RecordTopMatch(store::Transaction& tx, const std::string& referral_id,
                              const std::string& la_code, const std::string& vacancy_id,
                              std::optional<double> distance_miles, absl::Time now) const;
  absl::StatusOr<SufficiencyData> LoadSufficiencyData(store::Transaction& tx,
                                                      absl::Time period_start,
                                                      absl::Time period_end, absl::Time now,
                                                      absl::Duration stale_after) const;

  // Up to `limit` vacancy events with a sequence after `after_sequence`, in sequence order.
  absl::StatusOr<VacancyEventPage> LoadVacancyEvents(store::Transaction& tx, int64_t after_sequence,
                                                     int limit) const;
  // Every open vacancy as a SNAPSHOT event (sequence: its latest change), with read_upto the
  // sequence the snapshot reflects.
  absl::StatusOr<VacancyEventPage> LoadVacancySnapshot(store::Transaction& tx) const;
  // The providers `subject` acts for.
  absl::StatusOr<std::vector<std::string>> ProvidersOfMember(store::Transaction& tx,
                                                             const std::string& subject) const;

  // Providers matching `q`, in name then id order.
  absl::StatusOr<std::vector<ProviderRecord>> ListProviders(store::Transaction& tx,
                                                            const ProviderQuery& q) const;
  // Settings matching `q`, in id order.
  absl::StatusOr<std::vector<SettingRecord>> ListSettings(store::Transaction& tx,
                                                          const SettingQuery& q) const;
  // Referrals matching `q` (la_codes, state), newest first.
  absl::StatusOr<std::vector<ReferralRecord>> ListReferrals(store::Transaction& tx,
                                                            const RecordQuery& q) const;
  // Holds matching `q` (la_codes, provider scope, vacancy_id, referral_id, state), newest first.
  absl::StatusOr<std::vector<HoldRecord>> ListHolds(store::Transaction& tx,
                                                    const RecordQuery& q) const;
  // Placements matching `q` (la_codes, provider scope, setting_id, host_la, start dates), newest
  // confirmation first.
  absl::StatusOr<std::vector<PlacementRecord>> ListPlacements(store::Transaction& tx,
                                                              const RecordQuery& q) const;

  // The rule_parameters table's (name, value) rows, in name order.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> LoadRuleParameters(
      store::Transaction& tx) const;

  // Expires every active hold whose expire time is at or before `now`, returning the beds, in one
  // write transaction. Returns how many it expired.
  absl::StatusOr<int> ExpireHolds(store::Transaction& tx, absl::Time now) const;

 private:
  std::string region_;
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_STORE_H_
