// A national MatchPlacements over nine regional hubs holding 50,000 vacancies between them (each
// hub its own region's share; the East of England hub matches its own and its read model of the
// eight others, fed by their WatchVacancies streams), beside the same match on one hub holding
// all 50,000: real slihub-placement processes over gRPC, the same referral, the same rows
// (services/placement/synthetic_register.h: SeedSyntheticNation), checked to give the same
// ranked page. Calls alternate between the two (all ten processes running). Prints p50/p99 of
// each and the ratio of the p99s (target: national within 2x).
//
//   build/tests/integration/placement/placement_federation_benchmark [vacancies] [calls]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "services/placement/store/migrations.h"
#include "services/placement/synthetic_register.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
namespace cpb = ::slihub::common::v1;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
  std::exit(1);
}

// Writes the register (all of it, or one region's share) into `data_dir`'s placement.db before
// its server starts.
void Seed(const std::string& data_dir, int n, const std::string& only_region) {
  auto db = placement::OpenPlacementDatabase(data_dir + "/placement.db");
  if (!db.ok()) Fail(db.status().ToString());
  if (absl::Status st = placement::SeedSyntheticNation(**db, n, absl::Now(), only_region);
      !st.ok()) {
    Fail(st.ToString());
  }
}

// Creates the benchmarks' referral (BenchmarkReferralRequest) and returns its id.
std::string MakeReferral(pb::PlacementService::Stub* stub, const std::string& token) {
  const pb::CreateReferralRequest req = BenchmarkReferralRequest();
  pb::CreateReferralResponse resp;
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(20));
  grpc::Status s = stub->CreateReferral(&context, req, &resp);
  if (!s.ok()) Fail("referral: " + s.error_message());
  return resp.referral().referral_id();
}

grpc::Status Match(pb::PlacementService::Stub* stub, const std::string& token,
                   const std::string& referral, pb::MatchPlacementsResponse* out) {
  pb::MatchPlacementsRequest req;
  req.set_referral_id(referral);
  req.set_scope(cpb::REGION_SCOPE_NATIONAL);
  req.mutable_page()->set_page_size(50);
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(20));
  return stub->MatchPlacements(&context, req, out);
}

struct Figures {
  double p50_us = 0;
  double p99_us = 0;
  std::vector<std::string> page;  // the ranked vacancy ids of the first page
  int candidates = 0;
};

// Times `calls` national matches of each side, alternating single and national call by call so
// that the machine's noise falls on both alike.
void Measure(pb::PlacementService::Stub* stub_a, const std::string& token_a,
             const std::string& referral_a, pb::PlacementService::Stub* stub_b,
             const std::string& token_b, const std::string& referral_b, int calls, Figures* a,
             Figures* b) {
  struct Side {
    pb::PlacementService::Stub* stub;
    const std::string* token;
    const std::string* referral;
    Figures* figures;
    std::vector<double> micros;
  } sides[2] = {{stub_a, &token_a, &referral_a, a, {}}, {stub_b, &token_b, &referral_b, b, {}}};
  for (Side& side : sides) {
    pb::MatchPlacementsResponse first;
    for (int i = 0; i < 20; ++i) {  // warm-up
      if (grpc::Status s = Match(side.stub, *side.token, *side.referral, &first); !s.ok()) {
        Fail(s.error_message());
      }
    }
    for (const pb::Match& m : first.matches())
      side.figures->page.push_back(m.vacancy().vacancy_id());
    side.figures->candidates = first.candidates();
  }
  for (int i = 0; i < calls; ++i) {
    for (Side& side : sides) {
      pb::MatchPlacementsResponse resp;
      const auto start = std::chrono::steady_clock::now();
      if (grpc::Status s = Match(side.stub, *side.token, *side.referral, &resp); !s.ok()) {
        Fail(s.error_message());
      }
      side.micros.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
    }
  }
  for (Side& side : sides) {
    std::sort(side.micros.begin(), side.micros.end());
    side.figures->p50_us = side.micros[side.micros.size() / 2];
    side.figures->p99_us =
        side.micros[std::min(side.micros.size() - 1, side.micros.size() * 99 / 100)];
  }
}

int Run(int n, int calls) {
  // One hub with every vacancy.
  ServiceProcessOptions single_options;
  single_options.service = "placement";
  single_options.region = "EE";
  ServiceProcess single(single_options);
  Seed(single.data_dir(), n, "");
  if (absl::Status st = single.Start(); !st.ok()) Fail(st.ToString());
  const std::string single_token = single.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto single_stub = pb::PlacementService::NewStub(single.NewChannel());
  const std::string single_referral = MakeReferral(single_stub.get(), single_token);

  // Nine hubs, one region's share each.
  HubClusterOptions options;
  options.service = "placement";
  options.regions = placement::SyntheticRegions();
  HubCluster cluster(options);
  for (const std::string& region : options.regions) {
    Seed(cluster.hub(region).data_dir(), n, region);
  }
  const absl::Time starting = absl::Now();
  if (absl::Status st = cluster.Start(); !st.ok()) Fail(st.ToString());
  ServiceProcess& ee = cluster.hub("EE");
  const std::string token = ee.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(ee.NewChannel());
  const std::string referral = MakeReferral(stub.get(), token);
  const bool synced = WaitFor(
      [&] {
        pb::MatchPlacementsResponse m;
        if (!Match(stub.get(), token, referral, &m).ok()) return false;
        for (const cpb::RegionAnswer& a : m.federation().regions()) {
          if (a.state() != cpb::REGION_ANSWER_STATE_FRESH) return false;
        }
        return m.federation().regions_size() == 9;
      },
      absl::Seconds(120));
  if (!synced) Fail("the East of England hub's read model did not sync with its eight peers");
  std::printf("nine hubs started and synced in %.1f s\n",
              absl::ToDoubleSeconds(absl::Now() - starting));
  Figures one, nine;
  Measure(single_stub.get(), single_token, single_referral, stub.get(), token, referral, calls,
          &one, &nine);
  std::printf("single hub: %d vacancies, %d candidates, p50 %.0f us, p99 %.0f us\n", n,
              one.candidates, one.p50_us, one.p99_us);
  std::printf("national over nine hubs: %d candidates, p50 %.0f us, p99 %.0f us\n", nine.candidates,
              nine.p50_us, nine.p99_us);
  std::printf("same first page in both: %s (%zu matches)\n", nine.page == one.page ? "yes" : "NO",
              nine.page.size());
  std::printf("ratio national/single: p50 %.2fx, p99 %.2fx (target p99 <= 2x)\n",
              nine.p50_us / one.p50_us, nine.p99_us / one.p99_us);
  return nine.page == one.page && nine.candidates == one.candidates ? 0 : 1;
}

}  // namespace
}  // namespace slihub::testing

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 50000;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 300;
  return slihub::testing::Run(n, calls);
}
