// Opening a transaction around one repository call, for application code (the adapter, the
// caches, start-up and demo loading): the repository itself never opens one.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_TRANSACTIONS_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_TRANSACTIONS_H_

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/store/database.h"

namespace slihub::placement {

// Runs `work(tx)`, which returns an absl::StatusOr<T>, in one transaction of `db` in `mode` and
// returns its result; the transaction commits only when the result is OK. A failure to begin or
// commit is returned instead.
template <typename Work>
auto InTransaction(store::Database& db, store::TxMode mode, Work work)
    -> decltype(work(std::declval<store::Transaction&>())) {
  std::optional<decltype(work(std::declval<store::Transaction&>()))> out;
  absl::Status st = db.Run(mode, [&](store::Transaction& tx) -> absl::Status {
    out.emplace(work(tx));
    return out->status();
  });
  if (!st.ok()) return st;
  return *std::move(out);
}

// InTransaction in a read transaction.
template <typename Work>
auto InReadTransaction(store::Database& db, Work work) {
  return InTransaction(db, store::TxMode::kRead, std::move(work));
}

// InTransaction in a write transaction.
template <typename Work>
auto InWriteTransaction(store::Database& db, Work work) {
  return InTransaction(db, store::TxMode::kWrite, std::move(work));
}

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_TRANSACTIONS_H_
