// Demo providers, settings, vacancies and anonymised referrals for the local stack's EE and SE
// hubs.
#ifndef SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
#define SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_

#include <string>

#include "absl/status/status.h"
#include "common/refdata/reference_data.h"
#include "services/placement/domain/postcode_districts.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/uasc_store.h"

namespace slihub::placement {

// Loads the demo records of `hub_region` (EE or SE; other regions get none): a provider, its
// settings and vacancies, and a few anonymised open referrals (age, sex, needs and a home
// district from `districts`; no names, dates of birth or full postcodes) to try matching on.
// Idempotent, in one write transaction: the provider is found by its member, settings by URN,
// vacancies by record id and referrals by request id, so a second load changes nothing but
// vacancy confirmation times.
absl::Status LoadDemoData(store::Database& db, const PostcodeDistricts& districts,
                          const std::string& hub_region);

// Loads demo UASC figures (as at the latest 31 March) for every LA of `hub_region` (EE or SE):
// some below, one exactly at and some above the threshold; and two transfers from the LA furthest
// above to the rota's first LA, one of them overdue. Idempotent (figures are replaced, transfers
// keyed by record id), in one write transaction.
absl::Status LoadUascDemoData(store::Database& db, const ReferenceData& refdata,
                              const std::string& hub_region);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
