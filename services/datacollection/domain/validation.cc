#include "services/datacollection/domain/validation.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::datacollection {
namespace {

constexpr size_t kMaxNoteLength = 500;

// The characters (code points) of UTF-8 `text`: the bytes that do not continue a sequence.
size_t Characters(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool MulChecked(Int128 a, Int128 b, Int128* out) { return !__builtin_mul_overflow(a, b, out); }

Int128 Abs(Int128 v) { return v < 0 ? -v : v; }

// Half a unit in the last of `places` places, at scale places + 1: 0.5 x 10^-places.
Decimal HalfUnit(int places) { return Decimal{5, places + 1}; }

class Checker {
 public:
  Checker(const IndicatorDef& def, std::vector<Violation>* out) : def_(def), out_(out) {}

  void Add(const std::string& field, const std::string& label, const std::string& why) {
    out_->push_back({field, absl::StrCat(label, ": ", why)});
  }

  // Validates one observation; `prefix` is its field path ("total", "breakdowns[1].observation").
  bool CheckObservation(const Observation& obs, const std::string& prefix, const std::string& label) {
    const size_t before = out_->size();
    const std::string dot = prefix + ".";
    if (Characters(obs.note) > kMaxNoteLength) Add(dot + "note", label, "note longer than 500 characters");
    switch (obs.state) {
      case ValueState::kPresent:
        break;
      case ValueState::kMissing:
      case ValueState::kSuppressed:
        if (obs.value) Add(dot + "value", label, "a MISSING or SUPPRESSED figure carries no value");
        if (obs.numerator) Add(dot + "numerator", label, "only a PRESENT figure has a numerator");
        if (obs.denominator) Add(dot + "denominator", label, "only a PRESENT figure has a denominator");
        return out_->size() == before;
      default:
        Add(dot + "state", label, "state must be PRESENT, MISSING or SUPPRESSED");
        return false;
    }
    if (!obs.value) {
      Add(dot + "value", label, "a PRESENT figure needs a value");
      return false;
    }
    const Decimal& v = *obs.value;
    if (v.scale < 0 || v.scale > kMaxDecimalScale) {
      Add(dot + "value.scale", label, "scale must be 0..9");
      return false;
    }
    const int places = SignificantScale(v);
    if (places > def_.decimal_places) {
      Add(dot + "value", label,
          absl::StrCat("value ", FormatDecimal(v), " has ", places, " decimal places; the indicator allows ",
                       def_.decimal_places, " (values are never rounded)"));
    }
    if (auto min = def_.EffectiveMin(); min && CompareDecimal(v, *min) < 0) {
      Add(dot + "value", label,
          absl::StrCat("value ", FormatDecimal(v), " is below the minimum ", FormatDecimal(*min)));
    }
    if (auto max = def_.EffectiveMax(); max && CompareDecimal(v, *max) > 0) {
      Add(dot + "value", label,
          absl::StrCat("value ", FormatDecimal(v), " is above the maximum ", FormatDecimal(*max)));
    }
    CheckRatio(obs, dot, label);
    return out_->size() == before;
  }

  void CheckRatio(const Observation& obs, const std::string& dot, const std::string& label) {
    if (!obs.numerator && !obs.denominator) return;
    if (def_.unit == Unit::kCount) {
      Add(dot + (obs.numerator ? "numerator" : "denominator"), label,
          "a COUNT indicator takes no numerator or denominator");
      return;
    }
    if (!obs.numerator || !obs.denominator) {
      Add(dot + (obs.numerator ? "denominator" : "numerator"), label,
          "numerator and denominator are given together or not at all");
      return;
    }
    const Decimal& n = *obs.numerator;
    const Decimal& d = *obs.denominator;
    bool ok = true;
    for (const auto& [field, x] : {std::pair<const char*, Decimal>{"numerator", n}, {"denominator", d}}) {
      if (x.scale < 0 || x.scale > kMaxDecimalScale) {
        Add(dot + field + ".scale", label, "scale must be 0..9");
        ok = false;
      }
    }
    if (!ok) return;
    const Decimal limit{kMaxNumeratorOrDenominator, 0};
    if (n.unscaled < 0) {
      Add(dot + "numerator", label, "numerator must not be negative");
      ok = false;
    } else if (CompareDecimal(n, limit) > 0) {
      Add(dot + "numerator", label, absl::StrCat("numerator must be at most ", FormatDecimal(limit)));
      ok = false;
    }
    if (d.unscaled <= 0) {
      Add(dot + "denominator", label, "denominator must be positive");
      return;
    }
    if (CompareDecimal(d, limit) > 0) {
      Add(dot + "denominator", label, absl::StrCat("denominator must be at most ", FormatDecimal(limit)));
      return;
    }
    if (!ok) return;
    if (NumeratorWithinDenominator(def_.unit) && CompareDecimal(n, d) > 0) {
      Add(dot + "numerator", label,
          absl::StrCat("numerator ", FormatDecimal(n), " exceeds denominator ", FormatDecimal(d),
                       " (a share cannot be more than the whole)"));
      return;
    }
    // |V/10^S - N*M/D| <= 1/(2*10^dp)  <=>  |2*10^dp*(V*D - N*M*10^S)| <= 10^S*D, all at scale S.
    const Decimal& v = *obs.value;
    const int s = std::max({v.scale, n.scale, d.scale});
    const Int128 big_v = ScaledTo(v, s), big_n = ScaledTo(n, s), big_d = ScaledTo(d, s);
    Int128 vd, nm, nms, diff, lhs, rhs;
    if (!MulChecked(big_v, big_d, &vd) || !MulChecked(big_n, UnitMultiplier(def_.unit), &nm) ||
        !MulChecked(nm, Pow10(s), &nms) || __builtin_sub_overflow(vd, nms, &diff) ||
        !MulChecked(Abs(diff), 2 * Pow10(def_.decimal_places), &lhs) ||
        !MulChecked(Pow10(s), big_d, &rhs)) {
      Add(dot + "value", label, "value, numerator and denominator are too large to check");
      return;
    }
    if (lhs > rhs) {
      const std::optional<Decimal> implied =
          DivideRounded(nms / Pow10(s) * Pow10(def_.decimal_places), big_d, def_.decimal_places);
      Add(dot + "value", label,
          absl::StrCat("value ", FormatDecimal(v), " does not agree with numerator ", FormatDecimal(n),
                       " / denominator ", FormatDecimal(d),
                       implied ? absl::StrCat(" (", FormatDecimal(*implied), ")") : std::string()));
    }
  }

 private:
  const IndicatorDef& def_;
  std::vector<Violation>* out_;
};

Int128 SumAt(const std::vector<Decimal>& values, int scale) {
  Int128 sum = 0;
  for (const Decimal& v : values) sum += ScaledTo(v, scale);
  return sum;
}

int MaxScale(const std::vector<Decimal>& values, int at_least) {
  int s = at_least;
  for (const Decimal& v : values) s = std::max(s, v.scale);
  return s;
}

// Checks that `parts` add up to `total` within `tolerance`; with `complete` false only that they do
// not exceed it. Returns an empty string or the problem.
std::string CheckSum(const std::vector<Decimal>& parts, const Decimal& total, const Decimal& tolerance,
                     bool complete, absl::string_view what) {
  const int s = MaxScale(parts, std::max(total.scale, tolerance.scale));
  const Int128 sum = SumAt(parts, s);
  const Int128 t = ScaledTo(total, s);
  const Int128 tol = ScaledTo(tolerance, s);
  auto format = [s](Int128 x) {
    return FormatDecimal(Decimal{static_cast<int64_t>(x), s});
  };
  if (complete && Abs(sum - t) > tol) {
    return absl::StrCat("the categories' ", what, " sum to ", format(sum), " but the total's is ",
                        format(t), " (tolerance ", FormatDecimal(tolerance), ")");
  }
  if (!complete && sum - t > tol) {
    return absl::StrCat("the given categories' ", what, " sum to ", format(sum),
                        ", more than the total's ", format(t), " (tolerance ",
                        FormatDecimal(tolerance), ")");
  }
  return std::string();
}

}  // namespace

std::vector<Violation> ValidateFigures(const IndicatorDef& def, IndicatorFigures& figures) {
  std::vector<Violation> out;
  Checker checker(def, &out);
  const std::string& id = def.indicator_id;
  checker.CheckObservation(figures.total, "total", absl::StrCat(id, " total"));

  // Per dimension: which categories were given, and whether every given one validated.
  struct Given {
    std::vector<const BreakdownFigure*> figures;
    std::set<std::string> categories;
    bool valid = true;
  };
  std::vector<std::pair<const BreakdownSpec*, Given>> given;
  auto given_for = [&](const BreakdownSpec* spec) -> Given& {
    for (auto& g : given) {
      if (g.first == spec) return g.second;
    }
    given.emplace_back(spec, Given());
    return given.back().second;
  };

  for (size_t i = 0; i < figures.breakdowns.size(); ++i) {
    const BreakdownFigure& b = figures.breakdowns[i];
    const std::string path = absl::StrCat("breakdowns[", i, "]");
    const std::string label = absl::StrCat(id, " ", DimensionName(b.dimension), "/", b.category);
    const BreakdownSpec* spec =
        b.dimension == Dimension::kTotal ? nullptr : def.FindBreakdown(b.dimension);
    if (spec == nullptr) {
      out.push_back({path + ".dimension",
                     absl::StrCat(id, ": the indicator has no breakdown by this dimension")});
      continue;
    }
    Given& g = given_for(spec);
    const bool known = std::any_of(spec->categories.begin(), spec->categories.end(),
                                   [&](const Category& c) { return c.code == b.category; });
    if (!known) {
      out.push_back({path + ".category",
                     absl::StrCat(label, ": not a category of the indicator's ",
                                  DimensionName(b.dimension), " breakdown")});
      g.valid = false;
      continue;
    }
    if (!g.categories.insert(b.category).second) {
      out.push_back({path + ".category", absl::StrCat(label, ": category given twice")});
      g.valid = false;
      continue;
    }
    if (!checker.CheckObservation(b.observation, path + ".observation", label)) g.valid = false;
    g.figures.push_back(&b);
  }

  for (auto& [spec, g] : given) {
    const std::string label = absl::StrCat(id, " ", DimensionName(spec->dimension));
    std::vector<std::string> absent;
    for (const Category& c : spec->categories) {
      if (!g.categories.count(c.code)) absent.push_back(c.code);
    }
    if (!absent.empty()) {
      out.push_back({"breakdowns", absl::StrCat(label, ": breakdown lacks categories ",
                                                absl::StrJoin(absent, ", "),
                                                " (give each a value, or MISSING or SUPPRESSED)")});
      continue;
    }
    if (!g.valid || figures.total.state != ValueState::kPresent || !figures.total.value) continue;
    const bool all_present = std::all_of(g.figures.begin(), g.figures.end(), [](const BreakdownFigure* f) {
      return f->observation.state == ValueState::kPresent;
    });
    std::string problem;
    if (spec->aggregation == Aggregation::kSum) {
      std::vector<Decimal> parts;
      for (const BreakdownFigure* f : g.figures) {
        if (f->observation.value) parts.push_back(*f->observation.value);
      }
      problem = CheckSum(parts, *figures.total.value, spec->sum_tolerance.value_or(Decimal{0, 0}),
                         all_present, "values");
    } else if (spec->aggregation == Aggregation::kPooled && figures.total.numerator &&
               figures.total.denominator) {
      Decimal tolerance = HalfUnit(def.decimal_places);
      tolerance.unscaled *= static_cast<int64_t>(spec->categories.size());
      if (spec->sum_tolerance) tolerance = *spec->sum_tolerance;
      std::vector<Decimal> nums, dens;
      bool all_pooled = all_present;
      for (const BreakdownFigure* f : g.figures) {
        if (f->observation.numerator && f->observation.denominator) {
          nums.push_back(*f->observation.numerator);
          dens.push_back(*f->observation.denominator);
        } else {
          all_pooled = false;
        }
      }
      problem = CheckSum(nums, *figures.total.numerator, tolerance, all_pooled, "numerators");
      if (problem.empty()) {
        problem = CheckSum(dens, *figures.total.denominator, tolerance, all_pooled, "denominators");
      }
    }
    if (!problem.empty()) out.push_back({"breakdowns", absl::StrCat(label, ": ", problem)});
  }

  if (figures.total.state != ValueState::kUnspecified) {
    for (const BreakdownSpec& spec : def.breakdowns) {
      const bool present = std::any_of(given.begin(), given.end(),
                                       [&](const auto& g) { return g.first == &spec; });
      if (spec.required && !present) {
        out.push_back({"breakdowns", absl::StrCat(id, " ", DimensionName(spec.dimension),
                                                  ": this breakdown is required with the total")});
      }
    }
  }

  if (!out.empty()) return out;
  auto normalise = [&](Observation& obs) {
    if (obs.value) obs.value = RescaleExact(*obs.value, def.decimal_places);
    return obs.value.has_value() || obs.state != ValueState::kPresent;
  };
  bool fits = normalise(figures.total);
  for (BreakdownFigure& b : figures.breakdowns) fits = normalise(b.observation) && fits;
  if (!fits) out.push_back({"total.value", absl::StrCat(id, ": a value is too large")});
  figures.indicator_version = def.version;
  return out;
}

std::optional<std::string> LargeChangeWarning(const IndicatorDef& def, const Observation& current,
                                              const Observation& previous) {
  if (current.state != ValueState::kPresent || previous.state != ValueState::kPresent || !current.value ||
      !previous.value || previous.value->unscaled == 0) {
    return std::nullopt;
  }
  const int s = std::max(current.value->scale, previous.value->scale);
  const Int128 now = ScaledTo(*current.value, s), before = ScaledTo(*previous.value, s);
  if (Abs(now - before) * 2 <= Abs(before)) return std::nullopt;
  return absl::StrCat(def.indicator_id, " moved from ", FormatDecimal(*previous.value), " to ",
                      FormatDecimal(*current.value), " since the previous period (more than half)");
}

std::vector<Violation> ValidateIndicatorDef(const IndicatorDef& def) {
  std::vector<Violation> out;
  const std::string& id = def.indicator_id;
  bool id_ok = id.size() >= 2 && id.size() <= 64 && id[0] != '_' && id[0] != '-';
  for (char c : id) {
    id_ok = id_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  if (!id_ok) out.push_back({"indicator_id", "2-64 characters of [A-Z0-9_-], starting with a letter or digit"});
  if (def.name.empty()) out.push_back({"name", "required"});
  if (def.short_name.empty() || def.short_name.size() > 40) out.push_back({"short_name", "1-40 characters"});
  if (def.unit == Unit::kUnspecified) out.push_back({"unit", "required"});
  if (def.polarity == Polarity::kUnspecified) out.push_back({"polarity", "required"});
  if (def.decimal_places < 0 || def.decimal_places > 6) out.push_back({"decimal_places", "must be 0..6"});
  if (def.unit == Unit::kCount && def.decimal_places != 0) {
    out.push_back({"decimal_places", "a COUNT indicator has 0 decimal places"});
  }
  const auto min = def.EffectiveMin();
  const auto max = def.EffectiveMax();
  // The effective bounds leave out a bound with a wild scale (reported below), so comparing them
  // never rescales by one.
  if (min && max && CompareDecimal(*min, *max) > 0) {
    out.push_back({"min_value", "must not exceed max_value"});
  }
  if (def.unit != Unit::kUnspecified) {
    const std::string range = absl::StrCat(" (the unit's range is ", FormatDecimal(UnitMin(def.unit)),
                                           " to ", FormatDecimal(UnitMax(def.unit)), ")");
    for (const auto& [field, bound] : {std::pair<const char*, const std::optional<Decimal>*>{
                                           "min_value", &def.min_value},
                                       {"max_value", &def.max_value}}) {
      if (!*bound) continue;
      if (bound->value().scale < 0 || bound->value().scale > kMaxDecimalScale) {
        out.push_back({absl::StrCat(field, ".scale"), "scale must be 0..9"});
      } else if (CompareDecimal(**bound, UnitMin(def.unit)) < 0 ||
                 CompareDecimal(**bound, UnitMax(def.unit)) > 0) {
        out.push_back({field, absl::StrCat("must lie in the unit's range", range)});
      }
    }
  }
  std::set<Dimension> dimensions;
  for (size_t i = 0; i < def.breakdowns.size(); ++i) {
    const BreakdownSpec& b = def.breakdowns[i];
    const std::string path = absl::StrCat("breakdowns[", i, "]");
    if (b.dimension == Dimension::kTotal) out.push_back({path + ".dimension", "required"});
    if (!dimensions.insert(b.dimension).second) out.push_back({path + ".dimension", "dimension given twice"});
    if (b.aggregation == Aggregation::kUnspecified) out.push_back({path + ".aggregation", "required"});
    if (b.categories.size() < 2) out.push_back({path + ".categories", "at least two categories"});
    std::set<std::string> codes;
    for (size_t c = 0; c < b.categories.size(); ++c) {
      const std::string& code = b.categories[c].code;
      if (code.empty() || code.find(',') != std::string::npos || !codes.insert(code).second) {
        out.push_back({absl::StrCat(path, ".categories[", c, "].code"), "non-empty, unique, no commas"});
      }
    }
  }
  return out;
}

}  // namespace slihub::datacollection
