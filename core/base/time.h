#pragma once
// Virtual time. SimTime is a point on the run's clock, in microseconds since the
// run started; Duration is a span. Nothing in core/ or sim/ reads a real clock.
#include <compare>
#include <cstdint>
#include <limits>

namespace ksim {

struct Duration {
  int64_t us = 0;

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return {us + o.us}; }
  constexpr Duration operator-(Duration o) const { return {us - o.us}; }
  constexpr Duration operator*(int64_t k) const { return {us * k}; }
  constexpr Duration operator/(int64_t k) const { return {us / k}; }
  constexpr Duration& operator+=(Duration o) { us += o.us; return *this; }
  constexpr int64_t ms() const { return us / 1000; }
};

constexpr Duration micros(int64_t v) { return {v}; }
constexpr Duration millis(int64_t v) { return {v * 1000}; }
constexpr Duration seconds(int64_t v) { return {v * 1000000}; }

struct SimTime {
  int64_t us = 0;

  static constexpr SimTime zero() { return {0}; }
  static constexpr SimTime max() { return {std::numeric_limits<int64_t>::max()}; }
  static constexpr SimTime from_ms(int64_t ms) { return {ms * 1000}; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(Duration d) const { return {us + d.us}; }
  constexpr SimTime operator-(Duration d) const { return {us - d.us}; }
  constexpr Duration operator-(SimTime o) const { return {us - o.us}; }
  constexpr SimTime& operator+=(Duration d) { us += d.us; return *this; }
  // Kafka reasons in milliseconds (lastCaughtUpTimeMs, session timeouts).
  constexpr int64_t ms() const { return us / 1000; }
};

}  // namespace ksim
