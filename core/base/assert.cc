#include "core/base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace ksim {
namespace {

thread_local const AssertContext* current_context = nullptr;

void default_handler(const AssertFailure& failure) {
  std::fputs(format_assert_failure(failure).c_str(), stderr);
  std::fflush(stderr);
  std::abort();
}

thread_local AssertHandler current_handler = &default_handler;

}  // namespace

ScopedAssertContext::ScopedAssertContext(const AssertContext* ctx) : previous_(current_context) {
  current_context = ctx;
}

ScopedAssertContext::~ScopedAssertContext() { current_context = previous_; }

AssertHandler set_assert_handler(AssertHandler handler) {
  AssertHandler previous = current_handler;
  current_handler = handler ? handler : &default_handler;
  return previous;
}

std::string format_assert_failure(const AssertFailure& f) {
  std::ostringstream out;
  out << "ksim: internal invariant violated at " << f.file << ":" << f.line << ": " << f.expression << "\n";
  if (!f.message.empty()) out << "  " << f.message << "\n";
  if (!f.context.empty()) out << f.context;
  return out.str();
}

void assert_failed(const char* file, int line, const char* expr, std::string message) {
  AssertFailure failure{file, line, expr, std::move(message), {}};
  if (current_context) {
    std::ostringstream ctx;
    current_context->describe(ctx);
    failure.context = ctx.str();
  }
  current_handler(failure);
  // A handler that returns is a bug in the handler; never continue past a failed check.
  std::abort();
}

}  // namespace ksim
