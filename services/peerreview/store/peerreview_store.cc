#include "services/peerreview/store/peerreview_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {


template <typename Message>
absl::StatusOr<Message> Parse(const std::string& bytes, const char* what) {
  Message message;
  if (!message.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("a stored ", what, " does not parse"));
  }
  return message;
}


v1::SelfAssessment FromRow(const store::Row& row) {
  v1::SelfAssessment sa;
  if (!row.IsNull("body")) sa.ParseFromString(row.GetBlob("body"));
  sa.set_cycle_id(row.GetText("cycle_id"));
  sa.mutable_la_code()->set_value(row.GetText("la_code"));
  sa.set_state(static_cast<v1::SelfAssessmentState>(row.GetInt64("state")));
  sa.set_version(row.GetInt64("version"));
  return sa;
}

}  // namespace


absl::StatusOr<std::optional<StoredCycle>> PeerReviewStore::GetCycle(store::Transaction& tx,
                                                                     const std::string& cycle_id) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT inputs_version, body FROM cycles WHERE cycle_id = $1", {store::Text(cycle_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredCycle>();
  absl::StatusOr<v1::Cycle> cycle = Parse<v1::Cycle>((*rows)[0].GetBlob("body"), "cycle");
  if (!cycle.ok()) return cycle.status();
  return std::optional<StoredCycle>(StoredCycle{*std::move(cycle), (*rows)[0].GetInt64("inputs_version")});
}

absl::Status PeerReviewStore::InsertCycle(store::Transaction& tx, const StoredCycle& stored) {
  const v1::Cycle& c = stored.cycle;
  tx.Notify(kDirectoryChannel, kDirectoryKey);
  return tx
      .Execute(
          "INSERT INTO cycles (cycle_id, region, year, state, version, inputs_version, body) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {store::Text(c.cycle_id()), store::Text(c.region().value()), store::Int(c.year()),
           store::Int(c.state()), store::Int(c.version()), store::Int(stored.inputs_version),
           store::Bytes(c.SerializeAsString())})
      .status();
}

absl::Status PeerReviewStore::UpdateCycle(store::Transaction& tx, const StoredCycle& stored) {
  const v1::Cycle& c = stored.cycle;
  tx.Notify(kDirectoryChannel, kDirectoryKey);
  absl::StatusOr<int64_t> changed = tx.Execute(
      "UPDATE cycles SET state = $2, version = $3, inputs_version = $4, body = $5 "
      "WHERE cycle_id = $1",
      {store::Text(c.cycle_id()), store::Int(c.state()), store::Int(c.version()),
       store::Int(stored.inputs_version), store::Bytes(c.SerializeAsString())});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat("no cycle ", c.cycle_id()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Cycle>> PeerReviewStore::ListCycles(store::Transaction& tx,
                                                                   const std::string& region,
                                                                   int state, int before_year,
                                                                   int limit) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT body FROM cycles WHERE region = $1 AND ($2 = 0 OR state = $2) "
      "AND ($3 = 0 OR year < $3) ORDER BY year DESC LIMIT $4",
      {store::Text(region), store::Int(state), store::Int(before_year), store::Int(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Cycle> out;
  for (const store::Row& row : *rows) {
    absl::StatusOr<v1::Cycle> cycle = Parse<v1::Cycle>(row.GetBlob("body"), "cycle");
    if (!cycle.ok()) return cycle.status();
    out.push_back(*std::move(cycle));
  }
  return out;
}

absl::StatusOr<int64_t> PeerReviewStore::CountCycles(store::Transaction& tx,
                                                     const std::string& region, int state) {
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT COUNT(*) AS n FROM cycles WHERE region = $1 AND ($2 = 0 OR state = $2)",
               {store::Text(region), store::Int(state)});
  if (!rows.ok()) return rows.status();
  return (*rows)[0].GetInt64("n");
}

absl::StatusOr<int64_t> PeerReviewStore::NextProposalNumber(store::Transaction& tx,
                                                            const std::string& cycle_id) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM grouping_proposals WHERE cycle_id = $1",
      {store::Text(cycle_id)});
  if (!rows.ok()) return rows.status();
  return (*rows)[0].GetInt64("next");
}

absl::Status PeerReviewStore::InsertProposal(store::Transaction& tx, int64_t number,
                                             const StoredProposal& stored) {
  const v1::GroupingProposal& p = stored.proposal;
  return tx
      .Execute(
          "INSERT INTO grouping_proposals (proposal_id, cycle_id, number, inputs_version, body) "
          "VALUES ($1, $2, $3, $4, $5)",
          {store::Text(p.proposal_id()), store::Text(p.cycle_id()), store::Int(number),
           store::Int(stored.inputs_version), store::Bytes(p.SerializeAsString())})
      .status();
}

absl::StatusOr<std::optional<StoredProposal>> PeerReviewStore::GetProposal(
    store::Transaction& tx, const std::string& proposal_id) {
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT inputs_version, body FROM grouping_proposals WHERE proposal_id = $1",
               {store::Text(proposal_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredProposal>();
  absl::StatusOr<v1::GroupingProposal> proposal =
      Parse<v1::GroupingProposal>((*rows)[0].GetBlob("body"), "proposal");
  if (!proposal.ok()) return proposal.status();
  return std::optional<StoredProposal>(
      StoredProposal{*std::move(proposal), (*rows)[0].GetInt64("inputs_version")});
}

absl::StatusOr<std::vector<StoredProposal>> PeerReviewStore::ListProposals(
    store::Transaction& tx, const std::string& cycle_id, int64_t before, int limit) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT inputs_version, body FROM grouping_proposals WHERE cycle_id = $1 "
      "AND ($2 = 0 OR number < $2) ORDER BY number DESC LIMIT $3",
      {store::Text(cycle_id), store::Int(before), store::Int(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<StoredProposal> out;
  for (const store::Row& row : *rows) {
    absl::StatusOr<v1::GroupingProposal> proposal =
        Parse<v1::GroupingProposal>(row.GetBlob("body"), "proposal");
    if (!proposal.ok()) return proposal.status();
    out.push_back({*std::move(proposal), row.GetInt64("inputs_version")});
  }
  return out;
}

int64_t PeerReviewStore::ProposalNumber(const std::string& proposal_id) {
  const size_t at = proposal_id.rfind("-P");
  int64_t number = 0;
  if (at == std::string::npos || !absl::SimpleAtoi(proposal_id.substr(at + 2), &number)) return 0;
  return number;
}

absl::Status PeerReviewStore::ReplaceHistory(store::Transaction& tx, const std::string& region,
                                             int year,
                                             const std::vector<std::vector<std::string>>& groups) {
  absl::StatusOr<int64_t> removed =
      tx.Execute("DELETE FROM historical_groups WHERE region = $1 AND year = $2",
                 {store::Text(region), store::Int(year)});
  if (!removed.ok()) return removed.status();
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const std::string& la : groups[g]) {
      absl::StatusOr<int64_t> added = tx.Execute(
          "INSERT INTO historical_groups (region, year, group_number, la_code) "
          "VALUES ($1, $2, $3, $4)",
          {store::Text(region), store::Int(year), store::Int(static_cast<int64_t>(g) + 1),
           store::Text(la)});
      if (!added.ok()) return added.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int>> PeerReviewStore::HistoryYears(store::Transaction& tx,
                                                               const std::string& region) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT DISTINCT year FROM historical_groups WHERE region = $1 ORDER BY year",
      {store::Text(region)});
  if (!rows.ok()) return rows.status();
  std::vector<int> years;
  for (const store::Row& row : *rows) years.push_back(static_cast<int>(row.GetInt64("year")));
  return years;
}

absl::StatusOr<std::vector<HistoryGroup>> PeerReviewStore::LoadHistory(store::Transaction& tx,
                                                                       const std::string& region) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT year, group_number, la_code FROM historical_groups WHERE region = $1 "
      "ORDER BY year, group_number, la_code",
      {store::Text(region)});
  if (!rows.ok()) return rows.status();
  std::vector<HistoryGroup> out;
  int64_t last_year = -1, last_group = -1;
  for (const store::Row& row : *rows) {
    if (row.GetInt64("year") != last_year || row.GetInt64("group_number") != last_group) {
      last_year = row.GetInt64("year");
      last_group = row.GetInt64("group_number");
      out.push_back({static_cast<int>(last_year), {}});
    }
    out.back().members.push_back(row.GetText("la_code"));
  }
  absl::StatusOr<std::vector<v1::Cycle>> cycles = ListCycles(tx, region, 0, 0, 1000);
  if (!cycles.ok()) return cycles.status();
  for (const v1::Cycle& cycle : *cycles) {
    for (const v1::Group& group : cycle.groups()) {
      HistoryGroup past{cycle.year(), {}};
      for (const auto& member : group.members()) past.members.push_back(member.value());
      out.push_back(std::move(past));
    }
  }
  return out;
}

absl::Status PeerReviewStore::CreateDraftSelfAssessments(store::Transaction& tx,
                                                         const std::string& cycle_id,
                                                         const std::vector<std::string>& la_codes) {
  for (const std::string& la : la_codes) {
    absl::StatusOr<int64_t> added = tx.Execute(
        "INSERT INTO self_assessments (cycle_id, la_code, state, version) VALUES ($1, $2, 1, 1) "
        "ON CONFLICT (cycle_id, la_code) DO NOTHING",
        {store::Text(cycle_id), store::Text(la)});
    if (!added.ok()) return added.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::pair<v1::SelfAssessment, int64_t>>>
PeerReviewStore::GetSelfAssessment(store::Transaction& tx, const std::string& cycle_id,
                                   const std::string& la_code) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT cycle_id, la_code, state, version, body, content_version FROM self_assessments "
      "WHERE cycle_id = $1 AND la_code = $2",
      {store::Text(cycle_id), store::Text(la_code)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::pair<v1::SelfAssessment, int64_t>>();
  return std::optional<std::pair<v1::SelfAssessment, int64_t>>(
      std::make_pair(FromRow((*rows)[0]), (*rows)[0].GetInt64("content_version")));
}

absl::StatusOr<std::vector<v1::SelfAssessment>> PeerReviewStore::ListSelfAssessments(
    store::Transaction& tx, const std::string& cycle_id, const std::string& after_la) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT cycle_id, la_code, state, version, body FROM self_assessments "
      "WHERE cycle_id = $1 AND la_code > $2 ORDER BY la_code",
      {store::Text(cycle_id), store::Text(after_la)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::SelfAssessment> out;
  for (const store::Row& row : *rows) out.push_back(FromRow(row));
  return out;
}

absl::Status PeerReviewStore::PutSelfAssessment(store::Transaction& tx, const v1::SelfAssessment& sa,
                                                int64_t content_version) {
  absl::StatusOr<int64_t> changed = tx.Execute(
      "UPDATE self_assessments SET state = $3, version = $4, body = $5, content_version = $6 "
      "WHERE cycle_id = $1 AND la_code = $2",
      {store::Text(sa.cycle_id()), store::Text(sa.la_code().value()), store::Int(sa.state()),
       store::Int(sa.version()), store::Bytes(sa.SerializeAsString()), store::Int(content_version)});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError("no such self-assessment");
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, int>> PeerReviewStore::SelfAssessmentStates(
    store::Transaction& tx, const std::string& cycle_id) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT la_code, state FROM self_assessments WHERE cycle_id = $1", {store::Text(cycle_id)});
  if (!rows.ok()) return rows.status();
  std::map<std::string, int> out;
  for (const store::Row& row : *rows) out[row.GetText("la_code")] = static_cast<int>(row.GetInt64("state"));
  return out;
}

}  // namespace slihub::peerreview
