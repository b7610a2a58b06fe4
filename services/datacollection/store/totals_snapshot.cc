#include "services/datacollection/store/totals_snapshot.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"

namespace slihub::datacollection {
namespace {

// Format: 'T', 1, the LA code table, the indicator id table, then the entries (see EncodeTotals).
constexpr char kMagic = 'T';
constexpr char kFormat = 1;
enum Flags : uint8_t { kValue = 1, kNumerator = 2, kDenominator = 4, kNote = 8 };

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(const std::string& s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

void PutDecimal(const Decimal& d, std::string* out) {
  const uint64_t u = static_cast<uint64_t>(d.unscaled);
  PutVarint((u << 1) ^ static_cast<uint64_t>(d.unscaled >> 63), out);  // zigzag
  out->push_back(static_cast<char>(d.scale));
}

// A bounds-checked reader; any overrun sets `bad`.
struct Reader {
  absl::string_view in;
  bool bad = false;

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in.empty()) break;
      const uint8_t b = static_cast<uint8_t>(in.front());
      in.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    bad = true;
    return 0;
  }
  uint8_t Byte() {
    if (in.empty()) {
      bad = true;
      return 0;
    }
    const uint8_t b = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    return b;
  }
  std::string String() {
    const uint64_t n = Varint();
    if (n > in.size()) {
      bad = true;
      return {};
    }
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  Decimal ReadDecimal() {
    const uint64_t z = Varint();
    const int64_t unscaled = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
    return Decimal{unscaled, static_cast<int>(Byte())};
  }
};

// Appends `s` to `table` once; its index.
uint64_t Intern(const std::string& s, absl::flat_hash_map<std::string, uint64_t>& index,
                std::vector<const std::string*>& table) {
  auto [it, added] = index.try_emplace(s, table.size());
  if (added) table.push_back(&s);
  return it->second;
}

}  // namespace

std::string EncodeTotals(const std::vector<LatestTotal>& totals) {
  absl::flat_hash_map<std::string, uint64_t> la_index, indicator_index;
  std::vector<const std::string*> las, indicators;
  std::vector<std::pair<uint64_t, uint64_t>> keys;
  keys.reserve(totals.size());
  for (const LatestTotal& t : totals) {
    keys.emplace_back(Intern(t.la_code, la_index, las), Intern(t.indicator_id, indicator_index, indicators));
  }
  std::string out = {kMagic, kFormat};
  out.reserve(totals.size() * 12 + 64);
  PutVarint(las.size(), &out);
  for (const std::string* s : las) PutString(*s, &out);
  PutVarint(indicators.size(), &out);
  for (const std::string* s : indicators) PutString(*s, &out);
  PutVarint(totals.size(), &out);
  for (size_t i = 0; i < totals.size(); ++i) {
    const LatestTotal& t = totals[i];
    PutVarint(keys[i].first, &out);
    PutVarint(keys[i].second, &out);
    out.push_back(static_cast<char>(t.total.state));
    out.push_back(static_cast<char>(t.timeliness));
    const uint8_t flags = (t.total.value ? kValue : 0) | (t.total.numerator ? kNumerator : 0) |
                          (t.total.denominator ? kDenominator : 0) | (t.total.note.empty() ? 0 : kNote);
    out.push_back(static_cast<char>(flags));
    if (t.total.value) PutDecimal(*t.total.value, &out);
    if (t.total.numerator) PutDecimal(*t.total.numerator, &out);
    if (t.total.denominator) PutDecimal(*t.total.denominator, &out);
    if (!t.total.note.empty()) PutString(t.total.note, &out);
    PutVarint(static_cast<uint64_t>(t.return_version), &out);
  }
  return out;
}

absl::StatusOr<std::vector<LatestTotal>> DecodeTotals(absl::string_view bytes) {
  if (bytes.size() < 2 || bytes[0] != kMagic || bytes[1] != kFormat) {
    return absl::DataLossError("latest totals snapshot: unknown format");
  }
  Reader r{bytes.substr(2)};
  auto table = [&r] {
    std::vector<std::string> out(std::min<uint64_t>(r.Varint(), r.in.size()));
    for (std::string& s : out) s = r.String();
    return out;
  };
  const std::vector<std::string> las = table();
  const std::vector<std::string> indicators = table();
  const uint64_t n = r.Varint();
  if (r.bad || n > r.in.size()) return absl::DataLossError("latest totals snapshot: truncated header");
  std::vector<LatestTotal> out(n);
  for (LatestTotal& t : out) {
    const uint64_t la = r.Varint();
    const uint64_t indicator = r.Varint();
    if (la >= las.size() || indicator >= indicators.size()) {
      r.bad = true;
      break;
    }
    t.la_code = las[la];
    t.indicator_id = indicators[indicator];
    t.total.state = static_cast<ValueState>(r.Byte());
    t.timeliness = static_cast<Timeliness>(r.Byte());
    const uint8_t flags = r.Byte();
    if (flags & kValue) t.total.value = r.ReadDecimal();
    if (flags & kNumerator) t.total.numerator = r.ReadDecimal();
    if (flags & kDenominator) t.total.denominator = r.ReadDecimal();
    if (flags & kNote) t.total.note = r.String();
    t.return_version = static_cast<int64_t>(r.Varint());
    if (r.bad) break;
  }
  if (r.bad || !r.in.empty()) return absl::DataLossError("latest totals snapshot: corrupt entries");
  return out;
}

std::vector<LatestTotal> ReplaceLaTotals(std::vector<LatestTotal> totals, const std::string& la_code,
                                         const std::vector<IndicatorFigures>& figures, int64_t version,
                                         Timeliness timeliness) {
  totals.erase(std::remove_if(totals.begin(), totals.end(),
                              [&](const LatestTotal& t) { return t.la_code == la_code; }),
               totals.end());
  for (const IndicatorFigures& f : figures) {
    totals.push_back(LatestTotal{la_code, f.indicator_id, f.total, version, timeliness});
  }
  return totals;
}

}  // namespace slihub::datacollection
