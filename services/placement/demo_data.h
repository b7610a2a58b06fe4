// Demo providers, settings, vacancies and anonymised referrals for the local stack's hubs:
// hand-written for EE and SE, generated from the reference data for the other regions.
#ifndef SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
#define SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/refdata/reference_data.h"
#include "services/placement/domain/postcode_districts.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/uasc_store.h"

namespace slihub::placement {

// The postcode district with the most live postcodes of each upper-tier LA (ONS code ->
// district), read from the districts CSV (columns district, postcodes and la_ons_code). Errors:
// NotFound for a missing file, InvalidArgument for a file without those columns.
absl::StatusOr<std::map<std::string, std::string>> LargestDistrictOfEachLa(
    const std::string& districts_path);

// Loads the demo records of `hub_region`: a provider, its settings and vacancies, and a few
// anonymised open referrals (age, sex, needs and a home district from `districts`; no names,
// dates of birth or full postcodes) to try matching on. EE and SE have hand-written homes; every
// other region of `refdata` gets one home with one vacancy per LA (at the LA's largest district,
// `la_districts`, its terms a stable hash of the LA code) and two referrals, so a national match
// covers England. Idempotent, in one write transaction: the provider is found by its member,
// settings by URN, vacancies by record id and referrals by request id, so a second load changes
// nothing but vacancy confirmation times.
absl::Status LoadDemoData(store::Database& db, const PostcodeDistricts& districts,
                          const ReferenceData& refdata,
                          const std::map<std::string, std::string>& la_districts,
                          const std::string& hub_region);

// Loads demo UASC figures (as at the latest 31 March) for every LA of `hub_region`:
// some below, one exactly at and some above the threshold; and two transfers from the LA furthest
// above to the rota's first LA, one of them overdue. Idempotent (figures are replaced, transfers
// keyed by record id), in one write transaction.
absl::Status LoadUascDemoData(store::Database& db, const ReferenceData& refdata,
                              const std::string& hub_region);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
