// The personal and free text the tests send to servers (exception reasons, comments, notes,
// findings, unavailability reasons), which no server may write to its log. The log scan
// (tests/support/log_scanner.h) looks for each; a test that sends new free text adds it here.
#ifndef SLIHUB_TESTS_SUPPORT_SENSITIVE_TEXT_H_
#define SLIHUB_TESTS_SUPPORT_SENSITIVE_TEXT_H_

namespace slihub::testing {

inline constexpr const char* kSensitiveTestText[] = {
    // data collection: comments and notes on returns
    "Not recorded, system change",
    "Re-referrals corrected after audit",
    "Submitted by the 926 data team",
    "Small numbers after correction",
    // workforce: exception reasons and approvals
    "Court deadline; no permanent worker available.",
    "No permanent worker available for the court deadline.",
    "Pay well above the cap; recruit permanently.",
    "One court-deadline case, approved by the DCS and Chief Executive.",
    "private-reason-text",
    // peer review: findings, summaries, unavailability and event notes
    "Evidence for care leavers' outcomes is thin.",
    "Stable, well-supported workforce",
    "Revised after the host's factual accuracy check.",
    "Host's DCS unavailable",
    "Ofsted focused visit",
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_SENSITIVE_TEXT_H_
