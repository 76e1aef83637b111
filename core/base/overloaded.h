#pragma once
// Overloaded: a visitor made of lambdas, for std::visit over the protocol's
// and the trace's variants: std::visit(Overloaded{[](const A&) {...}, ...}, v).
// One definition for every file (a unity build puts several in one compile).

namespace ksim {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace ksim
