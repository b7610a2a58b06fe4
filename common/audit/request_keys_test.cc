// Key extraction: LAs and record keys only, never free text or personal data; bounded.
#include "common/audit/request_keys.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.pb.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::audit {
namespace {

TEST(RequestKeysTest, FieldNames) {
  for (const char* key : {"la_code", "worker_id", "exception_ids", "ofsted_urn", "swe_number",
                          "ons_code", "reference", "case_reference"}) {
    EXPECT_TRUE(IsKeyFieldName(key)) << key;
  }
  for (const char* other : {"name", "postcode", "date_of_birth", "phone_number", "notes",
                            "message", "family_name", "reason", "identity"}) {
    EXPECT_FALSE(IsKeyFieldName(other)) << other;
  }
}

// Sets every singular string field of `message` to a value a key could hold.
void FillStrings(google::protobuf::Message* message) {
  const google::protobuf::Descriptor* type = message->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING && !field->is_repeated()) {
      message->GetReflection()->SetString(message, field, "V-" + field->name());
    }
  }
}

TEST(RequestKeysTest, FindsLasAndKeysButNoFreeText) {
  placement::v1::CreateReferralRequest request;
  FillStrings(&request);
  FillStrings(request.mutable_referral());
  request.mutable_referral()->mutable_la_code()->set_value("873");
  const RequestKeys keys = ExtractRequestKeys(request);
  EXPECT_EQ(keys.las, std::vector<std::string>{"873"});
  EXPECT_NE(std::find(keys.record_keys.begin(), keys.record_keys.end(), "referral_id=V-referral_id"),
            keys.record_keys.end());
  for (const std::string& key : keys.record_keys) {
    EXPECT_TRUE(IsKeyFieldName(key.substr(0, key.find('=')))) << key;
  }

  workforce::v1::CheckEngagementRequest check;
  check.mutable_terms()->mutable_la_code()->set_value("873");
  check.mutable_terms()->set_swe_number("SW1");
  check.add_exception_ids("X-1");
  const RequestKeys check_keys = ExtractRequestKeys(check);
  EXPECT_EQ(check_keys.las, std::vector<std::string>{"873"});
  EXPECT_EQ(check_keys.record_keys,
            (std::vector<std::string>{"swe_number=SW1", "exception_ids=X-1"}));
}

TEST(RequestKeysTest, NestedOneLevelAndBounded) {
  workforce::v1::GetWorkerRequest get;
  get.set_swe_number("SW123456");
  EXPECT_EQ(ExtractRequestKeys(get).record_keys, std::vector<std::string>{"swe_number=SW123456"});

  workforce::v1::BatchRecordEmploymentPeriodsRequest batch;
  for (int i = 0; i < 40; ++i) {
    auto* period = batch.add_periods();
    period->mutable_la_code()->set_value(std::to_string(800 + i));
    period->set_swe_number("SW" + std::to_string(100000 + i));
  }
  const RequestKeys keys = ExtractRequestKeys(batch);
  EXPECT_LE(keys.las.size(), kMaxKeyCount);
  EXPECT_EQ(keys.las.size(), static_cast<size_t>(kMaxRepeatedScanned));
  EXPECT_EQ(keys.las[0], "800");
  EXPECT_LE(keys.record_keys.size(), kMaxKeyCount);

  workforce::v1::GetWorkerRequest long_value;
  long_value.set_swe_number(std::string(kMaxKeyLength + 1, 'A'));
  EXPECT_TRUE(ExtractRequestKeys(long_value).record_keys.empty());
  workforce::v1::GetWorkerRequest spaced;
  spaced.set_swe_number("Jane Smith");
  EXPECT_TRUE(ExtractRequestKeys(spaced).record_keys.empty());
}

}  // namespace
}  // namespace slihub::audit
