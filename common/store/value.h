// The values a store binds to SQL parameters and returns in result columns.
#ifndef SLIHUB_COMMON_STORE_VALUE_H_
#define SLIHUB_COMMON_STORE_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace slihub::store {

// Raw bytes, kept apart from std::string so that a BLOB never binds as TEXT. Plain data.
struct Blob {
  std::string bytes;

  friend bool operator==(const Blob& a, const Blob& b) { return a.bytes == b.bytes; }
  friend bool operator!=(const Blob& a, const Blob& b) { return !(a == b); }
};

// One SQL value: NULL, 64-bit integer, double, UTF-8 text or bytes. Plain data.
using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

// SQL NULL.
inline Value Null() { return Value(std::monostate{}); }

// An integer (also the way to store booleans: 0 or 1).
inline Value Int(int64_t v) { return Value(v); }

// A double.
inline Value Real(double v) { return Value(v); }

// UTF-8 text.
inline Value Text(std::string v) { return Value(std::move(v)); }

// Bytes, stored as a BLOB.
inline Value Bytes(std::string v) { return Value(Blob{std::move(v)}); }

// True when `v` is SQL NULL.
inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_VALUE_H_
