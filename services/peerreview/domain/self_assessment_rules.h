// The rules of a self-assessment's submission: complete content and current sign-offs by the DCS,
// the Chief Executive and the lead member.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SELF_ASSESSMENT_RULES_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SELF_ASSESSMENT_RULES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/errors/errors.h"

namespace slihub::peerreview {

// Judgement areas, numbered as JudgementArea.
enum class Area {
  kOverallEffectiveness = 1,
  kLeadership = 2,
  kHelpAndProtection = 3,
  kChildrenInCare = 4,
  kCareLeavers = 5,
  kSendAndEducation = 6,
};

// Signatory capacities, numbered as SignatoryRole.
enum class Signatory { kDcs = 1, kChiefExecutive = 2, kLeadMember = 3 };

// What submission looks at, gathered from a draft.
struct SubmissionFacts {
  int64_t content_version = 0;            // the version the content last changed at
  std::set<Area> sections;                // areas with a section
  std::set<Area> graded;                  // areas with a self-grade (overall included)
  bool knows = false, how = false, plans = false;  // the three Ofsted questions answered
  std::map<Signatory, int64_t> sign_offs;  // capacity -> version signed
};

// What is missing before `facts` may be submitted, as precondition violations about `subject`
// (type CONTENT or SIGN_OFF); empty when it may. The four ILACS areas need a section with a
// self-grade, overall effectiveness a self-grade, the three questions answers, and each of the
// three signatories a sign-off made at or after content_version.
std::vector<PreconditionViolation> CheckSubmission(const std::string& subject,
                                                   const SubmissionFacts& facts);

// "leadership", "help and protection", ...
std::string AreaName(Area area);
// "DCS", "Chief Executive", "lead member".
std::string SignatoryName(Signatory signatory);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SELF_ASSESSMENT_RULES_H_
