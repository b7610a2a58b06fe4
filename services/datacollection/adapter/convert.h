// Translation between the data collection protos and the domain/store types, with field validation
// of the shapes the domain cannot see (enum ranges, decimal scales).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_CONVERT_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_CONVERT_H_

#include <optional>
#include <string>

#include "common/errors/errors.h"
#include "services/datacollection/domain/indicator.h"
#include "services/datacollection/store/records.h"
#include "slihub/datacollection/v1/benchmark.pb.h"
#include "slihub/datacollection/v1/collection.pb.h"
#include "slihub/datacollection/v1/indicator.pb.h"
#include "slihub/datacollection/v1/return.pb.h"
#include "slihub/datacollection/v1/value.pb.h"

namespace slihub::datacollection {


void ToProto(const Decimal& d, v1::DecimalValue* out);
Decimal FromProto(const v1::DecimalValue& d);

void ToProto(const IndicatorDef& def, v1::Indicator* out);
void ToProto(const Observation& o, v1::Observation* out);
void ToProto(const IndicatorFigures& f, v1::IndicatorValue* out);
void ToProto(const CollectionRecord& c, v1::Collection* out);
// `now` decides the period's state.
void ToProto(const PeriodRecord& p, absl::Time now, v1::CollectionPeriod* out);
// Figures are included when `with_values`.
void ToProto(const ReturnRecord& r, bool with_values, v1::Return* out);

// The domain indicator of `in`, recording shape problems (unknown enums, decimal scales outside 0..6,
// a bad effective_from) under `prefix` (for example "indicator"); version is taken as given.
IndicatorDef IndicatorFromProto(const v1::Indicator& in, const std::string& prefix, FieldViolations* violations);

// The domain figures of a submitted IndicatorValue (unset sub-messages stay unset).
IndicatorFigures FromProto(const v1::IndicatorValue& value);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_CONVERT_H_
