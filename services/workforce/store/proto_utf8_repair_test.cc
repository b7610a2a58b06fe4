#include "services/workforce/store/proto_utf8_repair.h"

#include <string>

#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/engagement.pb.h"

namespace slihub::workforce {
namespace {

// `wire` with the first occurrence of `inside` having its byte at `at` set to `byte`.
std::string Spoil(std::string wire, const std::string& inside, size_t at, char byte) {
  const size_t found = wire.find(inside);
  EXPECT_NE(found, std::string::npos);
  wire[found + at] = byte;
  return wire;
}

TEST(ProtoUtf8RepairTest, RepairsNestedStringsAndKeepsEveryOtherField) {
  v1::EngagementTerms terms;
  terms.set_swe_number("SW1001");
  terms.set_agency_name("Acme Social Care");
  terms.set_notice_weeks(4);
  terms.mutable_hourly_pay_rate()->set_pence(3900);
  v1::Reference* reference = terms.add_references();
  reference->mutable_referee_la()->set_value("926");
  reference->set_practice_based(true);
  terms.GetReflection()->MutableUnknownFields(&terms)->AddVarint(999, 7);
  std::string wire = terms.SerializeAsString();
  wire = Spoil(wire, "Acme", 0, '\xFF');
  wire = Spoil(wire, "926", 1, '\xC0');
  v1::EngagementTerms parsed;
  ASSERT_FALSE(parsed.ParseFromString(wire));  // proto3 refuses invalid UTF-8

  int64_t repaired = 0;
  absl::StatusOr<std::string> fixed = RepairProtoUtf8(*terms.GetDescriptor(), wire, &repaired);
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(repaired, 2);
  ASSERT_TRUE(parsed.ParseFromString(*fixed));
  EXPECT_EQ(parsed.agency_name(), "\xEF\xBF\xBD" "cme Social Care");
  EXPECT_EQ(parsed.references(0).referee_la().value(), "9\xEF\xBF\xBD" "6");
  EXPECT_EQ(parsed.swe_number(), "SW1001");
  EXPECT_EQ(parsed.notice_weeks(), 4);
  EXPECT_EQ(parsed.hourly_pay_rate().pence(), 3900);
  EXPECT_TRUE(parsed.references(0).practice_based());
  const google::protobuf::UnknownFieldSet& unknown =
      parsed.GetReflection()->GetUnknownFields(parsed);
  ASSERT_EQ(unknown.field_count(), 1);
  EXPECT_EQ(unknown.field(0).varint(), 7u);
}

TEST(ProtoUtf8RepairTest, ValidInputComesBackUnchanged) {
  v1::EngagementTerms terms;
  terms.set_swe_number("SW1001");
  terms.set_agency_name("Ça va \xE2\x82\xAC");
  int64_t repaired = -1;
  absl::StatusOr<std::string> fixed =
      RepairProtoUtf8(*terms.GetDescriptor(), terms.SerializeAsString(), &repaired);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(*fixed, terms.SerializeAsString());
  EXPECT_EQ(repaired, 0);
}

TEST(ProtoUtf8RepairTest, MalformedWireFormatIsDataLoss) {
  int64_t repaired = 0;
  for (const std::string& wire :
       {std::string("\xFF\xFF\xFF\xFF"), std::string("\x0A\x10short"), std::string("\x0A")}) {
    EXPECT_EQ(RepairProtoUtf8(*v1::EngagementTerms::descriptor(), wire, &repaired).status().code(),
              absl::StatusCode::kDataLoss);
  }
}

}  // namespace
}  // namespace slihub::workforce
