#include "host/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace ksim::host {

ProgressLine::ProgressLine(int64_t total_ms, bool verbose_timeline)
    : total_ms_(total_ms),
      enabled_(isatty(STDERR_FILENO) == 1),
      shares_terminal_(isatty(STDOUT_FILENO) == 1) {
  if (shares_terminal_ && verbose_timeline) enabled_ = false;
}

void ProgressLine::on_event(int64_t now_us) {
  ++events_;
  // Looking at the clock costs more than counting: do it every 4096 events.
  if (!enabled_ || (events_ & 4095) != 0) return;
  if (redraw_.due()) draw(now_us);
}

void ProgressLine::draw(int64_t now_us) {
  const double wall_s = since_start_.elapsed_s();
  const double sim_s = static_cast<double>(now_us) / 1e6;
  const double pct = total_ms_ > 0 ? 100.0 * static_cast<double>(now_us / 1000) / static_cast<double>(total_ms_) : 0.0;
  std::fprintf(stderr, "\r\033[K  simulated %.1f s of %.1f s (%.0f%%), %.2f M events, %.0fx real time", sim_s,
               static_cast<double>(total_ms_) / 1e3, pct, static_cast<double>(events_) / 1e6,
               wall_s > 0 ? sim_s / wall_s : 0.0);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ksim::host
