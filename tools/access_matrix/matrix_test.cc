#include "tools/access_matrix/matrix.h"

#include "absl/strings/match.h"
#include "common/identity/service_scopes.h"
#include "gtest/gtest.h"
#include "tools/access_matrix/contract.h"

namespace slihub::access_matrix {
namespace {

TEST(AccessMatrixTest, EveryRegisteredServiceHasARowPerRpc) {
  EXPECT_TRUE(CheckAllTables().ok()) << CheckAllTables();
  EXPECT_EQ(AllTables().size(), 8u);
  for (const ServiceTable& table : AllTables()) {
    EXPECT_EQ(static_cast<int>(table.rows.size()), table.service->method_count())
        << table.service->full_name();
  }
}

TEST(AccessMatrixTest, EveryServiceScopeIsAMethodOfTheContract) {
  for (const std::string& service : HubServiceNames()) {
    for (const std::string& scope : ServiceCallScopes(service)) {
      EXPECT_NE(FindContractMethod(scope), nullptr) << service << ": " << scope;
    }
  }
}

const MethodSpec& Row(const std::string& suffix) {
  for (const ServiceTable& table : AllTables()) {
    for (const MethodSpec* spec : table.rows) {
      if (absl::EndsWith(spec->name, suffix)) return *spec;
    }
  }
  static const MethodSpec none;
  ADD_FAILURE() << "no row " << suffix;
  return none;
}

TEST(AccessMatrixTest, LayerAndBodyRefusalsCarryTheirReasons) {
  const Places places;
  const MethodSpec& submit = Row("DataCollectionService/SubmitReturn");
  EXPECT_TRUE(Expect(places, submit, Role::kDataOfficer, Where::kOwnLa).allowed);
  const Expected other_la = Expect(places, submit, Role::kDataOfficer, Where::kOtherLa);
  EXPECT_FALSE(other_la.allowed);
  EXPECT_TRUE(other_la.by_body);
  EXPECT_EQ(other_la.reason, "LA_OUT_OF_SCOPE");
  EXPECT_EQ(Expect(places, submit, Role::kDataOfficer, Where::kOtherRegion).reason,
            "REGION_OUT_OF_SCOPE");
  EXPECT_EQ(Expect(places, submit, Role::kReader, Where::kOwnLa).reason, "ROLE_REQUIRED");
  EXPECT_TRUE(Expect(places, submit, Role::kRegionalAdmin, Where::kOtherLa).allowed);
  EXPECT_FALSE(Expect(places, submit, Role::kHub, Where::kOwnLa).applies);

  const MethodSpec& lookup = Row("WorkforceService/LookupWorkerFacts");
  EXPECT_TRUE(Expect(places, lookup, Role::kHub, Where::kOtherRegion).allowed);
  EXPECT_EQ(Expect(places, lookup, Role::kRegionalAdmin, Where::kOtherRegion).reason,
            "REGION_OUT_OF_SCOPE");
}

TEST(AccessMatrixTest, TheMarkdownHasARowPerRpc) {
  const std::string markdown = RenderMarkdown();
  int rows = 0;
  for (const ServiceTable& table : AllTables()) {
    EXPECT_TRUE(absl::StrContains(markdown, table.service->full_name()));
    rows += static_cast<int>(table.rows.size());
  }
  int lines = 0;
  for (size_t at = markdown.find("\n| "); at != std::string::npos;
       at = markdown.find("\n| ", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, rows + static_cast<int>(AllTables().size()));  // + a header per service
}

}  // namespace
}  // namespace slihub::access_matrix
