#pragma once
// StrongInt: an integer that knows what it counts. Offsets, epochs and ids are
// different types so that passing a LeaderEpoch where an Offset belongs does not
// compile (the habit Redpanda's named_type teaches).
#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace ksim {

template <class Tag, class Rep>
struct StrongInt {
  using rep = Rep;
  Rep value{};

  constexpr StrongInt() = default;
  constexpr explicit StrongInt(Rep v) : value(v) {}

  constexpr auto operator<=>(const StrongInt&) const = default;

  // Arithmetic with the raw representation: offset + 1, epoch + 1.
  constexpr StrongInt operator+(Rep d) const { return StrongInt(value + d); }
  constexpr StrongInt operator-(Rep d) const { return StrongInt(value - d); }
  constexpr StrongInt& operator+=(Rep d) { value += d; return *this; }
  constexpr StrongInt& operator-=(Rep d) { value -= d; return *this; }
  constexpr StrongInt& operator++() { ++value; return *this; }
  // The distance between two values of the same kind is a raw count.
  constexpr Rep operator-(StrongInt o) const { return value - o.value; }
};

template <class Tag, class Rep>
std::ostream& operator<<(std::ostream& out, StrongInt<Tag, Rep> v) {
  return out << +v.value;
}

}  // namespace ksim

template <class Tag, class Rep>
struct std::hash<ksim::StrongInt<Tag, Rep>> {
  size_t operator()(ksim::StrongInt<Tag, Rep> v) const noexcept { return std::hash<Rep>{}(v.value); }
};
