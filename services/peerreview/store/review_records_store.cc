#include "services/peerreview/store/review_records_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/peerreview/store/peerreview_store.h"

namespace slihub::peerreview {
namespace {


std::string Day(const common::v1::CivilDate& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ParseAll(const absl::StatusOr<store::ResultSet>& rows) {
  if (!rows.ok()) return rows.status();
  std::vector<Message> out;
  for (const store::Row& row : *rows) {
    Message message;
    if (!message.ParseFromString(row.GetBlob("body"))) {
      return absl::DataLossError("a stored peer review record does not parse");
    }
    out.push_back(std::move(message));
  }
  return out;
}

template <typename Message>
absl::StatusOr<std::optional<Message>> ParseOne(const absl::StatusOr<store::ResultSet>& rows) {
  absl::StatusOr<std::vector<Message>> all = ParseAll<Message>(rows);
  if (!all.ok()) return all.status();
  if (all->empty()) return std::optional<Message>();
  return std::optional<Message>(std::move(all->front()));
}

}  // namespace


absl::StatusOr<int64_t> ReviewRecordsStore::NextNumber(store::Transaction& tx, const std::string& kind,
                                                       const std::string& scope) {
  absl::StatusOr<int64_t> bumped = tx.Execute(
      "INSERT INTO record_numbers (kind, scope, last) VALUES ($1, $2, 1) "
      "ON CONFLICT (kind, scope) DO UPDATE SET last = last + 1",
      {store::Text(kind), store::Text(scope)});
  if (!bumped.ok()) return bumped.status();
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT last FROM record_numbers WHERE kind = $1 AND scope = $2",
               {store::Text(kind), store::Text(scope)});
  if (!rows.ok()) return rows.status();
  return (*rows)[0].GetInt64("last");
}

absl::Status ReviewRecordsStore::PutEvent(store::Transaction& tx, const v1::ChallengeEvent& e) {
  return tx
      .Execute(
          "INSERT INTO challenge_events (event_id, cycle_id, host, day, state, body) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO UPDATE SET "
          "day = excluded.day, state = excluded.state, body = excluded.body",
          {store::Text(e.event_id()), store::Text(e.cycle_id()), store::Text(e.host().value()),
           store::Text(Day(e.date())), store::Int(e.state()), store::Bytes(e.SerializeAsString())})
      .status();
}

absl::StatusOr<std::optional<v1::ChallengeEvent>> ReviewRecordsStore::GetEvent(
    store::Transaction& tx, const std::string& event_id) {
  return ParseOne<v1::ChallengeEvent>(
      tx.Query("SELECT body FROM challenge_events WHERE event_id = $1", {store::Text(event_id)}));
}

absl::StatusOr<std::vector<v1::ChallengeEvent>> ReviewRecordsStore::ListEvents(
    store::Transaction& tx, const std::string& cycle_id) {
  return ParseAll<v1::ChallengeEvent>(
      tx.Query("SELECT body FROM challenge_events WHERE cycle_id = $1 ORDER BY day, host, event_id",
               {store::Text(cycle_id)}));
}

absl::Status ReviewRecordsStore::PutReview(store::Transaction& tx, const v1::ThematicReview& r) {
  tx.Notify(kDirectoryChannel, kDirectoryKey);  // themes reviewed and reviewing load
  return tx
      .Execute(
          "INSERT INTO thematic_reviews (review_id, region, cycle_id, host, start_day, state, body) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (review_id) DO UPDATE SET "
          "start_day = excluded.start_day, state = excluded.state, body = excluded.body",
          {store::Text(r.review_id()), store::Text(r.region().value()), store::Text(r.cycle_id()),
           store::Text(r.host().value()), store::Text(Day(r.dates().start())), store::Int(r.state()),
           store::Bytes(r.SerializeAsString())})
      .status();
}

absl::StatusOr<std::optional<v1::ThematicReview>> ReviewRecordsStore::GetReview(
    store::Transaction& tx, const std::string& review_id) {
  return ParseOne<v1::ThematicReview>(
      tx.Query("SELECT body FROM thematic_reviews WHERE review_id = $1", {store::Text(review_id)}));
}

absl::StatusOr<std::vector<v1::ThematicReview>> ReviewRecordsStore::ListReviews(
    store::Transaction& tx, const std::string& region, const std::string& cycle_id) {
  return ParseAll<v1::ThematicReview>(tx.Query(
      "SELECT body FROM thematic_reviews WHERE region = $1 AND ($2 = '' OR cycle_id = $2) "
      "ORDER BY start_day, review_id",
      {store::Text(region), store::Text(cycle_id)}));
}

absl::Status ReviewRecordsStore::PutFindings(store::Transaction& tx, const v1::Findings& f) {
  const std::string source = f.source() == v1::FINDINGS_SOURCE_CHALLENGE_EVENT
                                 ? "event/" + f.challenge_event_id()
                                 : "review/" + f.thematic_review_id();
  return tx
      .Execute(
          "INSERT INTO findings (findings_id, cycle_id, host, source_id, body) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (findings_id) DO UPDATE SET body = excluded.body",
          {store::Text(f.findings_id()), store::Text(f.cycle_id()), store::Text(f.host().value()),
           store::Text(source), store::Bytes(f.SerializeAsString())})
      .status();
}

absl::StatusOr<std::optional<v1::Findings>> ReviewRecordsStore::GetFindings(
    store::Transaction& tx, const std::string& findings_id) {
  return ParseOne<v1::Findings>(
      tx.Query("SELECT body FROM findings WHERE findings_id = $1", {store::Text(findings_id)}));
}

absl::StatusOr<std::vector<v1::Findings>> ReviewRecordsStore::ListFindings(
    store::Transaction& tx, const std::string& cycle_id) {
  return ParseAll<v1::Findings>(
      tx.Query("SELECT body FROM findings WHERE cycle_id = $1 ORDER BY host, findings_id",
               {store::Text(cycle_id)}));
}

absl::Status ReviewRecordsStore::PutIndicators(store::Transaction& tx, const std::string& host,
                                               const v1::DataPack& items) {
  return tx
      .Execute(
          "INSERT INTO data_pack_indicators (host, period_id, fetched, body) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (host, period_id) DO UPDATE SET fetched = excluded.fetched, body = excluded.body",
          {store::Text(host), store::Text(items.period_id()),
           store::Int(items.fetch_time().seconds() * 1000000 + items.fetch_time().nanos() / 1000),
           store::Bytes(items.SerializeAsString())})
      .status();
}

absl::StatusOr<std::optional<v1::DataPack>> ReviewRecordsStore::GetIndicators(
    store::Transaction& tx, const std::string& host, const std::string& period_id) {
  return ParseOne<v1::DataPack>(tx.Query(
      "SELECT body FROM data_pack_indicators WHERE host = $1 AND ($2 = '' OR period_id = $2) "
      "ORDER BY fetched DESC LIMIT 1",
      {store::Text(host), store::Text(period_id)}));
}

}  // namespace slihub::peerreview
