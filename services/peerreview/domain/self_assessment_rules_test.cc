#include "services/peerreview/domain/self_assessment_rules.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

SubmissionFacts Complete() {
  SubmissionFacts f;
  f.content_version = 7;
  for (Area a : {Area::kLeadership, Area::kHelpAndProtection, Area::kChildrenInCare,
                 Area::kCareLeavers}) {
    f.sections.insert(a);
    f.graded.insert(a);
  }
  f.graded.insert(Area::kOverallEffectiveness);
  f.knows = f.how = f.plans = true;
  f.sign_offs = {{Signatory::kDcs, 7}, {Signatory::kChiefExecutive, 8}, {Signatory::kLeadMember, 9}};
  return f;
}

std::vector<std::string> Missing(const SubmissionFacts& f) {
  std::vector<std::string> out;
  for (const auto& v : CheckSubmission("sa/873", f)) out.push_back(v.description);
  return out;
}

TEST(SelfAssessmentRulesTest, CompleteAndSignedMaySubmit) {
  EXPECT_TRUE(CheckSubmission("sa/873", Complete()).empty());
}

TEST(SelfAssessmentRulesTest, NamesMissingSectionsGradesAndAnswers) {
  SubmissionFacts f = Complete();
  f.sections.erase(Area::kCareLeavers);
  f.graded.erase(Area::kCareLeavers);
  f.graded.erase(Area::kLeadership);
  f.graded.erase(Area::kOverallEffectiveness);
  f.plans = false;
  EXPECT_EQ(Missing(f), (std::vector<std::string>{"the leadership section has no self-grade",
                                                  "the care leavers section is missing",
                                                  "overall effectiveness has no self-grade",
                                                  "'what are your plans' is not answered"}));
}

TEST(SelfAssessmentRulesTest, EverySignatoryMustSignTheCurrentVersion) {
  SubmissionFacts f = Complete();
  f.sign_offs.erase(Signatory::kLeadMember);
  f.sign_offs[Signatory::kChiefExecutive] = 6;
  const auto violations = CheckSubmission("sa/873", f);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].type, "SIGN_OFF");
  EXPECT_EQ(violations[0].description, "the Chief Executive signed version 6, before the content changed at version 7");
  EXPECT_EQ(violations[1].description, "no sign-off by the lead member");
  EXPECT_EQ(violations[1].subject, "sa/873");
}

TEST(SelfAssessmentRulesTest, SendSectionIsOptional) {
  SubmissionFacts f = Complete();
  f.sections.erase(Area::kSendAndEducation);
  EXPECT_TRUE(CheckSubmission("sa/873", f).empty());
  EXPECT_EQ(AreaName(Area::kSendAndEducation), "SEND and education");
}

}  // namespace
}  // namespace slihub::peerreview
