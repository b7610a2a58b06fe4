// The peer review service's cycle, proposal, history and self-assessment rows (schema in
// migrations.cc) and the repository over them. Cycles and proposals are kept as
// serialized slihub.peerreview.v1 messages beside the columns queries need; every function takes
// the caller's transaction so a request's changes commit together.
#ifndef SLIHUB_SERVICES_PEERREVIEW_STORE_PEERREVIEW_STORE_H_
#define SLIHUB_SERVICES_PEERREVIEW_STORE_PEERREVIEW_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/database.h"
#include "common/store/migration.h"
#include "slihub/peerreview/v1/cycle.pb.h"
#include "slihub/peerreview/v1/grouping.pb.h"
#include "slihub/peerreview/v1/self_assessment.pb.h"

namespace slihub::peerreview {

// The change channel of what other regions' hubs cache (ListReviewerDirectory): every write of a
// cycle (InsertCycle, UpdateCycle) or a thematic review (ReviewRecordsStore::PutReview) announces
// kDirectoryKey on it with Transaction::Notify, which the service's change log follows
// (federation::ChangeLog::Follow), so that peers drop their cached copy of the directory.
inline constexpr char kDirectoryChannel[] = "peerreview.directory";
// The one key of the channel: peers ask for the current cycle's directory only.
inline constexpr char kDirectoryKey[] = "current";

// A stored cycle and the counter of changes to its grouping inputs (participants, conflicts).
struct StoredCycle {
  v1::Cycle cycle;
  int64_t inputs_version = 0;
};

// A stored proposal and the inputs version it was computed from.
struct StoredProposal {
  v1::GroupingProposal proposal;
  int64_t inputs_version = 0;
};

// One group of an earlier year.
struct HistoryGroup {
  int year = 0;
  std::vector<std::string> members;
};

// Stateless; every function runs in the transaction it is given.
class PeerReviewStore {
 public:
  // The cycle, or nullopt.
  static absl::StatusOr<std::optional<StoredCycle>> GetCycle(store::Transaction& tx,
                                                             const std::string& cycle_id);
  // Inserts a new cycle; AlreadyExists for a duplicate id or region and year.
  static absl::Status InsertCycle(store::Transaction& tx, const StoredCycle& cycle);
  // Replaces a cycle's row.
  static absl::Status UpdateCycle(store::Transaction& tx, const StoredCycle& cycle);
  // The region's cycles, latest year first, with year below `before_year` (0: no bound) and
  // `state` (0: any); at most `limit`.
  static absl::StatusOr<std::vector<v1::Cycle>> ListCycles(store::Transaction& tx,
                                                           const std::string& region, int state,
                                                           int before_year, int limit);
  // How many cycles ListCycles would return without a bound or limit.
  static absl::StatusOr<int64_t> CountCycles(store::Transaction& tx, const std::string& region,
                                             int state);

  // The next proposal number of a cycle (1, 2, ...).
  static absl::StatusOr<int64_t> NextProposalNumber(store::Transaction& tx,
                                                    const std::string& cycle_id);
  static absl::Status InsertProposal(store::Transaction& tx, int64_t number,
                                     const StoredProposal& proposal);
  static absl::StatusOr<std::optional<StoredProposal>> GetProposal(store::Transaction& tx,
                                                                   const std::string& proposal_id);
  // A cycle's proposals, newest first, numbered below `before` (0: no bound); at most `limit`.
  static absl::StatusOr<std::vector<StoredProposal>> ListProposals(store::Transaction& tx,
                                                                   const std::string& cycle_id,
                                                                   int64_t before, int limit);
  // The number of a stored proposal id, or 0.
  static int64_t ProposalNumber(const std::string& proposal_id);

  // Replaces the imported history of `year` in `region` with `groups`.
  static absl::Status ReplaceHistory(store::Transaction& tx, const std::string& region, int year,
                                     const std::vector<std::vector<std::string>>& groups);
  // The years of `region` held as imported history, ascending.
  static absl::StatusOr<std::vector<int>> HistoryYears(store::Transaction& tx,
                                                       const std::string& region);
  // The imported history of `region`, plus the accepted groups of its other slihub cycles.
  static absl::StatusOr<std::vector<HistoryGroup>> LoadHistory(store::Transaction& tx,
                                                               const std::string& region);

  // Creates an empty DRAFT self-assessment per LA (kept when one exists).
  static absl::Status CreateDraftSelfAssessments(store::Transaction& tx, const std::string& cycle_id,
                                                 const std::vector<std::string>& la_codes);
  // One LA's self-assessment and the version its content last changed at, or nullopt.
  static absl::StatusOr<std::optional<std::pair<v1::SelfAssessment, int64_t>>> GetSelfAssessment(
      store::Transaction& tx, const std::string& cycle_id, const std::string& la_code);
  // A cycle's self-assessments in LA code order, after `after_la` (empty: from the start).
  static absl::StatusOr<std::vector<v1::SelfAssessment>> ListSelfAssessments(
      store::Transaction& tx, const std::string& cycle_id, const std::string& after_la);
  // Replaces a self-assessment's row.
  static absl::Status PutSelfAssessment(store::Transaction& tx, const v1::SelfAssessment& sa,
                                        int64_t content_version);
  // LA code -> SelfAssessmentState number, for a cycle.
  static absl::StatusOr<std::map<std::string, int>> SelfAssessmentStates(store::Transaction& tx,
                                                                         const std::string& cycle_id);
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_STORE_PEERREVIEW_STORE_H_
