#include "services/peerreview/domain/self_assessment_rules.h"

#include "absl/strings/str_cat.h"

namespace slihub::peerreview {

std::string AreaName(Area area) {
  switch (area) {
    case Area::kOverallEffectiveness:
      return "overall effectiveness";
    case Area::kLeadership:
      return "leadership";
    case Area::kHelpAndProtection:
      return "help and protection";
    case Area::kChildrenInCare:
      return "children in care";
    case Area::kCareLeavers:
      return "care leavers";
    case Area::kSendAndEducation:
      return "SEND and education";
  }
  return "unknown area";
}

std::string SignatoryName(Signatory signatory) {
  switch (signatory) {
    case Signatory::kDcs:
      return "DCS";
    case Signatory::kChiefExecutive:
      return "Chief Executive";
    case Signatory::kLeadMember:
      return "lead member";
  }
  return "signatory";
}

std::vector<PreconditionViolation> CheckSubmission(const std::string& subject,
                                                   const SubmissionFacts& f) {
  std::vector<PreconditionViolation> out;
  for (Area area : {Area::kLeadership, Area::kHelpAndProtection, Area::kChildrenInCare,
                    Area::kCareLeavers}) {
    if (f.sections.count(area) == 0) {
      out.push_back({"CONTENT", subject, absl::StrCat("the ", AreaName(area), " section is missing")});
    } else if (f.graded.count(area) == 0) {
      out.push_back({"CONTENT", subject, absl::StrCat("the ", AreaName(area), " section has no self-grade")});
    }
  }
  if (f.graded.count(Area::kOverallEffectiveness) == 0) {
    out.push_back({"CONTENT", subject, "overall effectiveness has no self-grade"});
  }
  if (!f.knows) out.push_back({"CONTENT", subject, "'what do you know' is not answered"});
  if (!f.how) out.push_back({"CONTENT", subject, "'how do you know' is not answered"});
  if (!f.plans) out.push_back({"CONTENT", subject, "'what are your plans' is not answered"});
  for (Signatory s : {Signatory::kDcs, Signatory::kChiefExecutive, Signatory::kLeadMember}) {
    auto it = f.sign_offs.find(s);
    if (it == f.sign_offs.end()) {
      out.push_back({"SIGN_OFF", subject, absl::StrCat("no sign-off by the ", SignatoryName(s))});
    } else if (it->second < f.content_version) {
      out.push_back({"SIGN_OFF", subject,
                     absl::StrCat("the ", SignatoryName(s), " signed version ", it->second,
                                  ", before the content changed at version ", f.content_version)});
    }
  }
  return out;
}

}  // namespace slihub::peerreview
