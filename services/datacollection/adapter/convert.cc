#include "services/datacollection/adapter/convert.h"

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/server/request_fields.h"
#include "common/server/proto_time.h"
#include "services/datacollection/domain/period.h"

namespace slihub::datacollection {
namespace {

void SetDate(const std::string& text, slihub::common::v1::CivilDate* out) {
  auto day = ParseCivilDate(text);
  if (!day.ok()) return;
  out->set_year(static_cast<int32_t>(day->year()));
  out->set_month(day->month());
  out->set_day(day->day());
}

Observation ObservationFromProto(const v1::Observation& o) {
  Observation out;
  out.state = static_cast<ValueState>(o.state());
  if (o.has_value()) out.value = FromProto(o.value());
  if (o.has_numerator()) out.numerator = FromProto(o.numerator());
  if (o.has_denominator()) out.denominator = FromProto(o.denominator());
  out.note = o.note();
  return out;
}

}  // namespace

void ToProto(const Decimal& d, v1::DecimalValue* out) {
  out->set_unscaled(d.unscaled);
  out->set_scale(d.scale);
}

Decimal FromProto(const v1::DecimalValue& d) { return Decimal{d.unscaled(), d.scale()}; }

void ToProto(const IndicatorDef& def, v1::Indicator* out) {
  out->set_indicator_id(def.indicator_id);
  out->set_version(def.version);
  out->set_name(def.name);
  out->set_short_name(def.short_name);
  out->set_definition(def.definition);
  out->set_unit(static_cast<v1::IndicatorUnit>(def.unit));
  out->set_polarity(static_cast<v1::Polarity>(def.polarity));
  if (def.min_value) ToProto(*def.min_value, out->mutable_min_value());
  if (def.max_value) ToProto(*def.max_value, out->mutable_max_value());
  out->set_decimal_places(def.decimal_places);
  for (const BreakdownSpec& b : def.breakdowns) {
    v1::BreakdownSpec* spec = out->add_breakdowns();
    spec->set_dimension(static_cast<v1::BreakdownDimension>(b.dimension));
    for (const Category& c : b.categories) {
      v1::BreakdownCategory* category = spec->add_categories();
      category->set_code(c.code);
      category->set_label(c.label);
    }
    spec->set_aggregation(static_cast<v1::BreakdownAggregation>(b.aggregation));
    if (b.sum_tolerance) ToProto(*b.sum_tolerance, spec->mutable_sum_tolerance());
    spec->set_required(b.required);
  }
  out->set_source(def.source);
  out->set_derived_by_service(def.derived_by_service);
  SetDate(def.effective_from, out->mutable_effective_from());
  out->set_retired(def.retired);
}

void ToProto(const Observation& o, v1::Observation* out) {
  out->set_state(static_cast<v1::ValueState>(o.state));
  if (o.value) ToProto(*o.value, out->mutable_value());
  if (o.numerator) ToProto(*o.numerator, out->mutable_numerator());
  if (o.denominator) ToProto(*o.denominator, out->mutable_denominator());
  out->set_note(o.note);
}

void ToProto(const IndicatorFigures& f, v1::IndicatorValue* out) {
  out->set_indicator_id(f.indicator_id);
  out->set_indicator_version(f.indicator_version);
  ToProto(f.total, out->mutable_total());
  for (const BreakdownFigure& b : f.breakdowns) {
    v1::BreakdownValue* value = out->add_breakdowns();
    value->set_dimension(static_cast<v1::BreakdownDimension>(b.dimension));
    value->set_category(b.category);
    ToProto(b.observation, value->mutable_observation());
  }
}

void ToProto(const CollectionRecord& c, v1::Collection* out) {
  out->set_collection_id(c.collection_id);
  out->mutable_region()->set_value(c.region);
  out->set_kind(static_cast<v1::CollectionKind>(c.kind));
  out->set_name(c.name);
  out->set_description(c.description);
  for (const std::string& id : c.indicator_ids) out->add_indicator_ids(id);
  for (const std::string& la : c.la_codes) out->add_la_codes()->set_value(la);
  out->set_version(c.version);
}

void ToProto(const PeriodRecord& p, absl::Time now, v1::CollectionPeriod* out) {
  out->set_collection_id(p.collection_id);
  out->set_period_id(p.period_id);
  out->set_label(p.label);
  SetDate(p.start_date, out->mutable_start_date());
  SetDate(p.end_date, out->mutable_end_date());
  *out->mutable_open_time() = ToProtoTimestamp(p.open_time);
  *out->mutable_deadline_time() = ToProtoTimestamp(p.deadline_time);
  *out->mutable_close_time() = ToProtoTimestamp(p.close_time);
  if (p.publish_time) *out->mutable_publish_time() = ToProtoTimestamp(*p.publish_time);
  out->set_state(static_cast<v1::PeriodState>(
      StateAt(PeriodWindow{p.open_time, p.deadline_time, p.close_time}, now)));
  for (const std::string& id : p.indicator_ids) out->add_indicator_ids(id);
  out->set_previous_period_id(p.previous_period_id);
  out->set_version(p.version);
}

void ToProto(const ReturnRecord& r, bool with_values, v1::Return* out) {
  out->mutable_la_code()->set_value(r.la_code);
  out->set_collection_id(r.collection_id);
  out->set_period_id(r.period_id);
  out->set_version(r.version);
  out->set_latest(r.latest);
  out->set_timeliness(static_cast<v1::Timeliness>(r.timeliness));
  out->set_source(static_cast<v1::SubmissionSource>(r.source));
  *out->mutable_receive_time() = ToProtoTimestamp(r.receive_time);
  out->set_value_count(r.value_count);
  out->set_comment(r.comment);
  *out->mutable_audit()->mutable_create_time() = ToProtoTimestamp(r.receive_time);
  out->mutable_audit()->set_created_by(r.submitted_by);
  if (with_values) {
    for (const IndicatorFigures& f : r.values) ToProto(f, out->add_values());
  }
}

IndicatorFigures FromProto(const v1::IndicatorValue& value) {
  IndicatorFigures f;
  f.indicator_id = value.indicator_id();
  f.total = ObservationFromProto(value.total());
  for (const v1::BreakdownValue& b : value.breakdowns()) {
    f.breakdowns.push_back(
        {static_cast<Dimension>(b.dimension()), b.category(), ObservationFromProto(b.observation())});
  }
  return f;
}

}  // namespace slihub::datacollection

namespace slihub::datacollection {

IndicatorDef IndicatorFromProto(const v1::Indicator& in, const std::string& prefix, FieldViolations* violations) {
  IndicatorDef def;
  def.indicator_id = in.indicator_id();
  def.version = in.version();
  def.name = in.name();
  def.short_name = in.short_name();
  def.definition = in.definition();
  CheckText(in.name(), prefix + ".name", kShortText, violations);
  CheckText(in.short_name(), prefix + ".short_name", kShortText, violations);
  CheckText(in.definition(), prefix + ".definition", TextRule{2000, true, false}, violations);
  CheckText(in.source(), prefix + ".source", kShortText, violations);
  if (!v1::IndicatorUnit_IsValid(in.unit())) violations->Add(prefix + ".unit", "unknown unit");
  if (!v1::Polarity_IsValid(in.polarity())) violations->Add(prefix + ".polarity", "unknown polarity");
  def.unit = static_cast<Unit>(in.unit());
  def.polarity = static_cast<Polarity>(in.polarity());
  auto decimal = [&](const v1::DecimalValue& d, const std::string& field) {
    if (d.scale() < 0 || d.scale() > 6) violations->Add(field + ".scale", "must be 0..6");
    return FromProto(d);
  };
  if (in.has_min_value()) def.min_value = decimal(in.min_value(), prefix + ".min_value");
  if (in.has_max_value()) def.max_value = decimal(in.max_value(), prefix + ".max_value");
  def.decimal_places = in.decimal_places();
  for (int i = 0; i < in.breakdowns_size(); ++i) {
    const v1::BreakdownSpec& b = in.breakdowns(i);
    const std::string path = absl::StrCat(prefix, ".breakdowns[", i, "]");
    if (!v1::BreakdownDimension_IsValid(b.dimension())) violations->Add(path + ".dimension", "unknown dimension");
    if (!v1::BreakdownAggregation_IsValid(b.aggregation())) {
      violations->Add(path + ".aggregation", "unknown aggregation");
    }
    BreakdownSpec spec;
    spec.dimension = static_cast<Dimension>(b.dimension());
    spec.aggregation = static_cast<Aggregation>(b.aggregation());
    for (int c = 0; c < b.categories_size(); ++c) {
      const v1::BreakdownCategory& category = b.categories(c);
      if (category.code().find_first_of("\t\n") != std::string::npos ||
          category.label().find_first_of("\t\n") != std::string::npos) {
        violations->Add(absl::StrCat(path, ".categories[", c, "]"), "no tabs or line breaks");
      }
      spec.categories.push_back({category.code(), category.label()});
    }
    if (b.has_sum_tolerance()) spec.sum_tolerance = decimal(b.sum_tolerance(), path + ".sum_tolerance");
    spec.required = b.required();
    def.breakdowns.push_back(std::move(spec));
  }
  def.source = in.source();
  def.derived_by_service = in.derived_by_service();
  if (!def.derived_by_service.empty() && def.derived_by_service != "workforce" &&
      def.derived_by_service != "placement") {
    violations->Add(prefix + ".derived_by_service", "empty, \"workforce\" or \"placement\"");
  }
  if (in.has_effective_from()) {
    auto day = MakeCivilDate(in.effective_from().year(), in.effective_from().month(), in.effective_from().day());
    if (!day.ok()) violations->Add(prefix + ".effective_from", std::string(day.status().message()));
    else def.effective_from = FormatCivilDate(*day);
  } else {
    violations->Add(prefix + ".effective_from", "required");
  }
  def.retired = in.retired();
  return def;
}

}  // namespace slihub::datacollection
