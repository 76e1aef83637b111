#pragma once
// Generic access to a trace payload's fields, through each event's static
// fields(self, f) description (see core/trace/kernel_events.h).
#include <utility>
#include <variant>

#include "core/trace/trace_event.h"

namespace ksim::trace {

template <class F>
void for_each_field(const Payload& p, F&& f) {
  std::visit([&](const auto& e) { std::decay_t<decltype(e)>::fields(e, f); }, p);
}

template <class F>
void for_each_field(Payload& p, F&& f) {
  std::visit([&](auto& e) { std::decay_t<decltype(e)>::fields(e, f); }, p);
}

// Calls f.template operator()<I>() ... : used to build kind -> alternative tables.
template <class F, size_t... I>
void for_each_alternative_impl(F&& f, std::index_sequence<I...>) {
  (f(std::integral_constant<size_t, I>{}), ...);
}

template <class F>
void for_each_alternative(F&& f) {
  for_each_alternative_impl(f, std::make_index_sequence<std::variant_size_v<Payload>>{});
}

}  // namespace ksim::trace
