// The peer review service's schema migrations (SQL in migrations.cc).
#ifndef SLIHUB_SERVICES_PEERREVIEW_STORE_MIGRATIONS_H_
#define SLIHUB_SERVICES_PEERREVIEW_STORE_MIGRATIONS_H_

#include <vector>

#include "common/store/migration.h"

namespace slihub::peerreview {

// Every migration of the peer review store, oldest first; apply with Database::Migrate.
std::vector<store::Migration> PeerReviewMigrations();

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_STORE_MIGRATIONS_H_
