#pragma once
// KSIM_ASSERT: assertions that stay on in every build type. A failed check is a
// bug in ksim (expected failures are Kafka error codes returned as values), so it
// prints where it failed and the run's context (seed, virtual time, node, the
// command that replays it) and stops.
//
//   KSIM_ASSERT(hw <= leo);
//   KSIM_ASSERT_MSG(hw <= leo, "hw " << hw.value << " > leo " << leo.value);
#include <ostream>
#include <sstream>
#include <string>

namespace ksim {

// Describes the running simulation for an assertion message. The simulation
// installs itself for the duration of a run, per thread (parallel explore runs
// each have their own).
class AssertContext {
 public:
  virtual ~AssertContext() = default;
  virtual void describe(std::ostream& out) const = 0;
};

// RAII: makes `ctx` the context reported by assertions on this thread.
class ScopedAssertContext {
 public:
  explicit ScopedAssertContext(const AssertContext* ctx);
  ~ScopedAssertContext();
  ScopedAssertContext(const ScopedAssertContext&) = delete;
  ScopedAssertContext& operator=(const ScopedAssertContext&) = delete;

 private:
  const AssertContext* previous_;
};

struct AssertFailure {
  const char* file;
  int line;
  const char* expression;
  std::string message;  // may be empty
  std::string context;  // the AssertContext's description, may be empty
};

// What happens on failure. The default prints to stderr and aborts; the CLI
// exits with its "internal invariant violation" code; tests may throw.
using AssertHandler = void (*)(const AssertFailure&);
AssertHandler set_assert_handler(AssertHandler handler);  // returns the previous

[[noreturn]] void assert_failed(const char* file, int line, const char* expr, std::string message);
std::string format_assert_failure(const AssertFailure& failure);

}  // namespace ksim

#define KSIM_ASSERT(cond)                                               \
  do {                                                                  \
    if (!(cond)) [[unlikely]]                                           \
      ::ksim::assert_failed(__FILE__, __LINE__, #cond, std::string());  \
  } while (0)

#define KSIM_ASSERT_MSG(cond, stream_expr)                                      \
  do {                                                                          \
    if (!(cond)) [[unlikely]] {                                                 \
      std::ostringstream ksim_assert_msg_;                                      \
      ksim_assert_msg_ << stream_expr;                                          \
      ::ksim::assert_failed(__FILE__, __LINE__, #cond, ksim_assert_msg_.str()); \
    }                                                                           \
  } while (0)
