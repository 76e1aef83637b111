#pragma once
// OffscreenTarget: a framebuffer object of a fixed size that headless modes
// (--screenshot, --frames, --bench-frames) render into, so the picture does
// not depend on the (possibly hidden, possibly smaller) window or on the X
// server's screen size under Xvfb. Needs a current OpenGL 3 context.
#include <cstdint>
#include <string>
#include <vector>

namespace ksim::viz {

class OffscreenTarget {
 public:
  OffscreenTarget() = default;
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  ~OffscreenTarget();

  bool create(int width, int height, std::string& error);
  void bind() const;
  // RGBA pixels, top row first (OpenGL reads bottom-up; this flips them).
  std::vector<uint8_t> read_rgba() const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned framebuffer_ = 0;
  unsigned colour_ = 0;
  int width_ = 0;
  int height_ = 0;
};

// Writes RGBA pixels (top row first) as a PNG with stb_image_write.
bool write_png(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba, std::string& error);

}  // namespace ksim::viz
