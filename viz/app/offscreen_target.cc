#include "viz/app/offscreen_target.h"

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <cstring>

namespace ksim::viz {
namespace {

// Framebuffer objects are OpenGL 3.0 core; look them up through GLFW rather
// than rely on the library exporting them.
struct FboFunctions {
  PFNGLGENFRAMEBUFFERSPROC gen_framebuffers = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC delete_framebuffers = nullptr;
  PFNGLBINDFRAMEBUFFERPROC bind_framebuffer = nullptr;
  PFNGLGENRENDERBUFFERSPROC gen_renderbuffers = nullptr;
  PFNGLDELETERENDERBUFFERSPROC delete_renderbuffers = nullptr;
  PFNGLBINDRENDERBUFFERPROC bind_renderbuffer = nullptr;
  PFNGLRENDERBUFFERSTORAGEPROC renderbuffer_storage = nullptr;
  PFNGLFRAMEBUFFERRENDERBUFFERPROC framebuffer_renderbuffer = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC check_framebuffer_status = nullptr;

  bool load() {
    gen_framebuffers = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(glfwGetProcAddress("glGenFramebuffers"));
    delete_framebuffers = reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(glfwGetProcAddress("glDeleteFramebuffers"));
    bind_framebuffer = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(glfwGetProcAddress("glBindFramebuffer"));
    gen_renderbuffers = reinterpret_cast<PFNGLGENRENDERBUFFERSPROC>(glfwGetProcAddress("glGenRenderbuffers"));
    delete_renderbuffers = reinterpret_cast<PFNGLDELETERENDERBUFFERSPROC>(glfwGetProcAddress("glDeleteRenderbuffers"));
    bind_renderbuffer = reinterpret_cast<PFNGLBINDRENDERBUFFERPROC>(glfwGetProcAddress("glBindRenderbuffer"));
    renderbuffer_storage = reinterpret_cast<PFNGLRENDERBUFFERSTORAGEPROC>(glfwGetProcAddress("glRenderbufferStorage"));
    framebuffer_renderbuffer =
        reinterpret_cast<PFNGLFRAMEBUFFERRENDERBUFFERPROC>(glfwGetProcAddress("glFramebufferRenderbuffer"));
    check_framebuffer_status =
        reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(glfwGetProcAddress("glCheckFramebufferStatus"));
    return gen_framebuffers && delete_framebuffers && bind_framebuffer && gen_renderbuffers && delete_renderbuffers &&
           bind_renderbuffer && renderbuffer_storage && framebuffer_renderbuffer && check_framebuffer_status;
  }
};

FboFunctions& gl() {
  static FboFunctions f;  // loaded once per process, after a context exists
  return f;
}

}  // namespace

OffscreenTarget::~OffscreenTarget() {
  if (framebuffer_) gl().delete_framebuffers(1, &framebuffer_);
  if (colour_) gl().delete_renderbuffers(1, &colour_);
}

bool OffscreenTarget::create(int width, int height, std::string& error) {
  if (!gl().load()) {
    error = "this OpenGL driver has no framebuffer objects (OpenGL 3.0 needed)";
    return false;
  }
  width_ = width;
  height_ = height;
  gl().gen_renderbuffers(1, &colour_);
  gl().bind_renderbuffer(GL_RENDERBUFFER, colour_);
  gl().renderbuffer_storage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  gl().gen_framebuffers(1, &framebuffer_);
  gl().bind_framebuffer(GL_FRAMEBUFFER, framebuffer_);
  gl().framebuffer_renderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
  if (gl().check_framebuffer_status(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error = "cannot make a " + std::to_string(width) + "x" + std::to_string(height) + " offscreen framebuffer";
    return false;
  }
  return true;
}

void OffscreenTarget::bind() const { gl().bind_framebuffer(GL_FRAMEBUFFER, framebuffer_); }

std::vector<uint8_t> OffscreenTarget::read_rgba() const {
  const size_t row = static_cast<size_t>(width_) * 4;
  std::vector<uint8_t> bottom_up(row * static_cast<size_t>(height_));
  bind();
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  std::vector<uint8_t> top_down(bottom_up.size());
  for (int y = 0; y < height_; ++y)
    std::memcpy(&top_down[static_cast<size_t>(y) * row], &bottom_up[static_cast<size_t>(height_ - 1 - y) * row], row);
  // The screen is opaque; blending may have left partial alpha in the buffer.
  for (size_t i = 3; i < top_down.size(); i += 4) top_down[i] = 255;
  return top_down;
}

bool write_png(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba, std::string& error) {
  if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4)) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace ksim::viz
