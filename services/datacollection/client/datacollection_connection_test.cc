// MakeDataCollectionConnection without a configured endpoint, and the client's default options.
#include "services/datacollection/client/datacollection_connection.h"

#include <memory>

#include "common/server/peer_clients.h"
#include "gtest/gtest.h"
#include "services/datacollection/client/testing/fake_datacollection_connection.h"

namespace slihub::datacollection {
namespace {

TEST(DataCollectionConnectionTest, WithoutAnEndpointEveryCallSaysItIsNotConfigured) {
  const PeerClients none;
  std::shared_ptr<DataCollectionConnection> connection = MakeDataCollectionConnection(none);
  absl::StatusOr<v1::GetBenchmarkResponse> answer =
      connection->GetBenchmark(v1::GetBenchmarkRequest(), CallOptions{});
  ASSERT_EQ(answer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(answer.status().message().find("--service-endpoint datacollection="),
            absl::string_view::npos);
  EXPECT_EQ(connection->ListCollections(v1::ListCollectionsRequest(), CallOptions{})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DataCollectionClientTest, ForwardsToItsConnectionWithTheClientsOptions) {
  auto fake = std::make_shared<testing::FakeDataCollectionConnection>();
  v1::ListCollectionsResponse collections;
  collections.add_collections()->set_collection_id("EE-core");
  fake->SetListCollections(collections);
  const DataCollectionClient client(fake, CallOptions{absl::Milliseconds(300)});
  absl::StatusOr<v1::ListCollectionsResponse> answer =
      client.ListCollections(v1::ListCollectionsRequest());
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->collections(0).collection_id(), "EE-core");
  ASSERT_EQ(fake->options().size(), 1u);
  EXPECT_EQ(fake->options()[0].deadline, absl::Milliseconds(300));
}

}  // namespace
}  // namespace slihub::datacollection
