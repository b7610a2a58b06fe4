// The method table of PlacementService: every RPC's name, the roles that may call it and whose
// region it serves, declared once. Handlers pass their entry to HandleUnary (or AdmitCall for the
// stream); what a role may do with which records (own LA, own provider) is checked in the body.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_METHODS_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_METHODS_H_

#include <vector>

#include "common/server/unary_call.h"

namespace slihub::placement::methods {

extern const MethodSpec kCreateProvider;
extern const MethodSpec kGetProvider;
extern const MethodSpec kUpdateProvider;
extern const MethodSpec kCreateSetting;
extern const MethodSpec kUpdateSetting;
extern const MethodSpec kGetSetting;
extern const MethodSpec kPublishVacancy;
extern const MethodSpec kGetVacancy;
extern const MethodSpec kUpdateVacancy;
extern const MethodSpec kCreateReferral;
extern const MethodSpec kGetReferral;
extern const MethodSpec kUpdateReferral;
extern const MethodSpec kMatchPlacements;
extern const MethodSpec kExplainExclusion;
extern const MethodSpec kHoldVacancy;
extern const MethodSpec kGetHold;
extern const MethodSpec kReleaseHold;
extern const MethodSpec kConfirmPlacement;
extern const MethodSpec kGetSufficiency;
extern const MethodSpec kConfirmVacancyAvailability;
extern const MethodSpec kWithdrawVacancy;
extern const MethodSpec kCloseReferral;
extern const MethodSpec kGetPlacement;
extern const MethodSpec kListVacancies;
extern const MethodSpec kListReferrals;
extern const MethodSpec kListHolds;
extern const MethodSpec kListPlacements;
extern const MethodSpec kListProviders;
extern const MethodSpec kListSettings;
extern const MethodSpec kPublishUascThresholdRule;
extern const MethodSpec kListUascThresholdRules;
extern const MethodSpec kSubmitUascPopulation;
extern const MethodSpec kGetUascStatus;
extern const MethodSpec kGetUascRota;
extern const MethodSpec kRecordUascTransfer;
extern const MethodSpec kCompleteUascTransfer;
extern const MethodSpec kCancelUascTransfer;
extern const MethodSpec kGetUascTransfer;
extern const MethodSpec kListUascTransfers;
extern const MethodSpec kWatchVacancies;

// Every RPC of PlacementService, each once.
const std::vector<const MethodSpec*>& All();

}  // namespace slihub::placement::methods

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_METHODS_H_
