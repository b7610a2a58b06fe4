#include "services/peerreview/domain/group_sizes.h"

#include <numeric>

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

using Sizes = std::vector<int>;

TEST(GroupSizesTest, DividesEvenlyWhenItCan) {
  EXPECT_EQ(*ComputeGroupSizes(12, 3, RemainderPolicy::kSmallerGroups), (Sizes{3, 3, 3, 3}));
  EXPECT_EQ(*ComputeGroupSizes(8, 4, RemainderPolicy::kLargerGroups), (Sizes{4, 4}));
  EXPECT_EQ(*ComputeGroupSizes(2, 2, RemainderPolicy::kSmallerGroups), (Sizes{2}));
}

TEST(GroupSizesTest, ElevenInTriadsFollowsThePolicy) {
  EXPECT_EQ(*ComputeGroupSizes(11, 3, RemainderPolicy::kSmallerGroups), (Sizes{3, 3, 3, 2}));
  EXPECT_EQ(*ComputeGroupSizes(11, 3, RemainderPolicy::kLargerGroups), (Sizes{4, 4, 3}));
}

TEST(GroupSizesTest, SouthEastAndNationalSizes) {
  EXPECT_EQ(*ComputeGroupSizes(19, 3, RemainderPolicy::kLargerGroups), (Sizes{4, 3, 3, 3, 3, 3}));
  EXPECT_EQ(*ComputeGroupSizes(19, 3, RemainderPolicy::kSmallerGroups),
            (Sizes{3, 3, 3, 3, 3, 2, 2}));
  const Sizes national = *ComputeGroupSizes(153, 4, RemainderPolicy::kSmallerGroups);
  EXPECT_EQ(std::accumulate(national.begin(), national.end(), 0), 153);
  EXPECT_EQ(national.back(), 3);
  EXPECT_EQ(*ComputeGroupSizes(11, 2, RemainderPolicy::kLargerGroups), (Sizes{3, 2, 2, 2, 2}));
}

TEST(GroupSizesTest, RefusesSizesOutsideTwoToFour) {
  EXPECT_FALSE(ComputeGroupSizes(11, 2, RemainderPolicy::kSmallerGroups).ok());
  EXPECT_FALSE(ComputeGroupSizes(11, 4, RemainderPolicy::kLargerGroups).ok());
  EXPECT_FALSE(ComputeGroupSizes(10, 1, RemainderPolicy::kSmallerGroups).ok());
  EXPECT_FALSE(ComputeGroupSizes(10, 5, RemainderPolicy::kSmallerGroups).ok());
  EXPECT_FALSE(ComputeGroupSizes(1, 2, RemainderPolicy::kSmallerGroups).ok());
  EXPECT_FALSE(ComputeGroupSizes(5, 3, RemainderPolicy::kLargerGroups).ok());
  EXPECT_EQ(*ComputeGroupSizes(5, 3, RemainderPolicy::kSmallerGroups), (Sizes{3, 2}));
}

TEST(GroupSizesTest, EveryValidAnswerSumsToTheParticipantsWithOneOffSizeKind) {
  for (int n = 2; n <= 40; ++n) {
    for (int s = 2; s <= 4; ++s) {
      for (auto policy : {RemainderPolicy::kSmallerGroups, RemainderPolicy::kLargerGroups}) {
        auto sizes = ComputeGroupSizes(n, s, policy);
        if (!sizes.ok()) continue;
        EXPECT_EQ(std::accumulate(sizes->begin(), sizes->end(), 0), n);
        for (int size : *sizes) {
          EXPECT_GE(size, 2);
          EXPECT_LE(size, 4);
          EXPECT_TRUE(size == s || size == (policy == RemainderPolicy::kSmallerGroups ? s - 1 : s + 1));
        }
      }
    }
  }
}

}  // namespace
}  // namespace slihub::peerreview
