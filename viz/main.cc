// ksim-view: replays a ksim run from its trace (docs/trace-format.md).
//
//   ksim-view run.jsonl                                  interactive window
//   ksim-view scenarios/acks1_leader_crash.json          runs the scenario in-process, then shows it
//   ksim-view run.jsonl --screenshot out.png --at 2500   the frame at 2500 ms
//   ksim-view run.jsonl --screenshot out.png --at '#1234' the frame at event 1234
//   ksim-view run.jsonl --frames dir --every 100         a PNG every 100 ms of the run
//   ksim-view run.jsonl --bench-frames 500               frame and seek times
//   ksim-view run.jsonl --bench-seek 2000                seek times only (no window)
//
// The main loop is the Dear ImGui example's, straight-line: poll, new frame,
// ViewerApp::frame, render, swap. Headless modes render into an offscreen
// framebuffer of --size and read it back. Exit codes as the ksim CLI's:
// 0 success, 2 bad input (a missing or malformed trace, a bad option, no
// display), 3 an internal invariant violation.
#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "core/base/assert.h"
#include "imgui.h"
#include "host/exit_codes.h"
#include "viz/app/bench.h"
#include "viz/app/offscreen_target.h"
#include "viz/model/replay_model.h"
#include "viz/view/theme.h"
#include "viz/view/viewer_app.h"

namespace {

using namespace ksim;
using namespace ksim::viz;

struct Options {
  std::string trace;
  std::string screenshot;
  std::string at;
  std::string size = "1920x1080";
  std::string frames_dir;
  double every_ms = 100;
  int bench_frames = 0;
  int bench_seek = 0;
  float font_size = 20;
  std::string font;
  std::string theme = "light";
  std::string select;
  double speed = 50;
};

int fail(const std::string& message) {
  std::cerr << "ksim-view: " << message << "\n";
  return kExitBadInput;
}

bool parse_size(const std::string& s, int& w, int& h) {
  return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 8192 && h <= 8192;
}

// "2500" (ms) or "#1234" (event index): the cursor a user would have there.
bool parse_at(const std::string& at, const ReplayModel& model, ViewState& view) {
  if (at.empty()) return true;
  try {
    size_t used = 0;
    if (at[0] == '#') {
      const unsigned long long e = std::stoull(at.substr(1), &used);
      if (used + 1 != at.size() || e >= model.size()) return false;
      request_step(view, model, e + 1);
    } else {
      const double ms = std::stod(at, &used);
      if (used != at.size() || ms < 0) return false;
      request_time(view, model, SimTime{static_cast<int64_t>(ms * 1000)});
    }
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

// "p1#17" or a numeric record id.
std::optional<RecordId> parse_record(const std::string& s, const ReplayModel& model) {
  try {
    const size_t hash = s.find('#');
    if (hash == std::string::npos) return RecordId(std::stoull(s));
    const NodeId producer = model.header().find_node(s.substr(0, hash));
    if (producer == kNoNode) return std::nullopt;
    return make_record_id(producer, std::stoull(s.substr(hash + 1)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

[[noreturn]] void on_invariant_violation(const AssertFailure& failure) {
  std::fputs(format_assert_failure(failure).c_str(), stderr);
  std::fflush(stderr);
  std::_Exit(kExitInvariantViolation);
}

class Window {
 public:
  ~Window() {
    if (imgui_) {
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
    }
    if (window_) glfwDestroyWindow(window_);
    if (glfw_) glfwTerminate();
  }

  bool open(int w, int h, bool visible, const std::string& title, std::string& error) {
    glfw_ = glfwInit();
    if (!glfw_) {
      error = "cannot open a window (no display?): set DISPLAY, or run headless under xvfb-run -a";
      return false;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
    window_ = glfwCreateWindow(w, h, title.c_str(), nullptr, nullptr);
    if (!window_) {
      error = "cannot create an OpenGL 3.0 window";
      return false;
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is tiled, nothing to save
    imgui_ = true;
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    return true;
  }

  GLFWwindow* get() const { return window_; }

 private:
  bool glfw_ = false;
  bool imgui_ = false;
  GLFWwindow* window_ = nullptr;
};

// Wall-clock milliseconds of the last render(): building the UI (ImGui and the
// panels, including the model seek) and drawing it (OpenGL).
struct FrameTiming {
  double build_ms = 0;
  double draw_ms = 0;
  double vertices = 0;     // what the rasterizer is given: a figure that does not
  double indices = 0;      // depend on how busy the machine is
  double draw_calls = 0;
};

FrameTiming render(ViewerApp& app, const Theme& theme, const OffscreenTarget* target, double dt) {
  const auto t0 = std::chrono::steady_clock::now();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  if (target) {
    io.DisplaySize = ImVec2(static_cast<float>(target->width()), static_cast<float>(target->height()));
    io.DisplayFramebufferScale = ImVec2(1, 1);
  }
  ImGui::NewFrame();
  app.frame(dt);
  ImGui::Render();
  const auto t1 = std::chrono::steady_clock::now();
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme.canvas);
  if (target) target->bind();
  glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glFinish();
  const auto t2 = std::chrono::steady_clock::now();
  const ImDrawData* dd = ImGui::GetDrawData();
  double calls = 0;
  for (int i = 0; i < dd->CmdListsCount; ++i) calls += dd->CmdLists[i]->CmdBuffer.Size;
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(),
          std::chrono::duration<double, std::milli>(t2 - t1).count(), static_cast<double>(dd->TotalVtxCount),
          static_cast<double>(dd->TotalIdxCount), calls};
}

// CPU time of the whole process (this thread and llvmpipe's rasterizer
// threads): unlike wall time, it hardly depends on what else the machine runs.
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// --bench-seek N: seek times only, no window.
int run_bench_seek(ReplayModel& model, const Options& o) {
  std::printf("ksim-view bench-seek: %s, %llu events, %zu snapshots every %llu events\n", o.trace.c_str(),
              static_cast<unsigned long long>(model.size()),
              static_cast<size_t>(model.size() / ReplayModel::kSnapshotEvery + 1),
              static_cast<unsigned long long>(ReplayModel::kSnapshotEvery));
  const SeekBench b = bench_seeks(model, static_cast<size_t>(o.bench_seek));
  std::printf("  random seeks:   %s\n", format_percentiles(percentiles(b.random_us), "us").c_str());
  std::printf("  one step back:  %s\n", format_percentiles(percentiles(b.step_back_us), "us").c_str());
  std::printf("  in CPU time: random %s\n", format_percentiles(percentiles(b.random_cpu_us), "us").c_str());
  std::printf("  in CPU time: back   %s\n", format_percentiles(percentiles(b.step_back_cpu_us), "us").c_str());
  return kExitOk;
}

// A few frames let scrolling and auto-sized widgets settle, as a user sees it.
void settle(ViewerApp& app, const Theme& theme, const OffscreenTarget& target) {
  for (int i = 0; i < 4; ++i) render(app, theme, &target, 1.0 / 60);
}

int write_screenshot(ViewerApp& app, const Theme& theme, const OffscreenTarget& target, const Options& o, int w,
                     int h) {
  std::string error;
  settle(app, theme, target);
  if (!write_png(o.screenshot, w, h, target.read_rgba(), error)) return fail(error);
  std::printf("ksim-view: wrote %s (%dx%d) at t=%.3f ms, event %llu of %llu\n", o.screenshot.c_str(), w, h,
              static_cast<double>(app.view().cursor.time.us) / 1000.0,
              static_cast<unsigned long long>(app.view().cursor.step),
              static_cast<unsigned long long>(app.model().size()));
  return kExitOk;
}

// --frames DIR --every MS: a PNG every MS of the run.
int write_frames(ViewerApp& app, const Theme& theme, const OffscreenTarget& target, const Options& o, int w, int h) {
  const ReplayModel& model = app.model();
  std::string error;
  std::error_code ec;
  std::filesystem::create_directories(o.frames_dir, ec);
  if (ec) return fail("cannot create " + o.frames_dir + ": " + ec.message());
  int n = 0;
  const double end_ms = static_cast<double>(model.end_time().us) / 1000.0;
  for (double ms = 0; ms <= end_ms + 1e-9; ms += o.every_ms, ++n) {
    request_time(app.view(), model, SimTime{static_cast<int64_t>(ms * 1000)});
    settle(app, theme, target);
    char name[64];
    std::snprintf(name, sizeof name, "/frame_%05d.png", n);
    if (!write_png(o.frames_dir + name, w, h, target.read_rgba(), error)) return fail(error);
  }
  std::printf("ksim-view: wrote %d frames to %s, one every %.3f ms of the run\n", n, o.frames_dir.c_str(), o.every_ms);
  return kExitOk;
}

// How many pixels a draw list's triangles cover (kilopixels, overlaps counted
// twice: what a software rasterizer shades).
double shaded_kilopixels(const ImDrawList* l) {
  double area = 0;
  for (const ImDrawCmd& cmd : l->CmdBuffer) {
    const ImVec4 c = cmd.ClipRect;
    for (unsigned k = 0; k + 2 < cmd.ElemCount; k += 3) {
      const ImVec2 a = l->VtxBuffer[static_cast<int>(cmd.VtxOffset + l->IdxBuffer[static_cast<int>(cmd.IdxOffset + k)])].pos;
      const ImVec2 b = l->VtxBuffer[static_cast<int>(cmd.VtxOffset + l->IdxBuffer[static_cast<int>(cmd.IdxOffset + k + 1)])].pos;
      const ImVec2 d = l->VtxBuffer[static_cast<int>(cmd.VtxOffset + l->IdxBuffer[static_cast<int>(cmd.IdxOffset + k + 2)])].pos;
      const float minx = std::max(c.x, std::min({a.x, b.x, d.x})), maxx = std::min(c.z, std::max({a.x, b.x, d.x}));
      const float miny = std::max(c.y, std::min({a.y, b.y, d.y})), maxy = std::min(c.w, std::max({a.y, b.y, d.y}));
      if (maxx <= minx || maxy <= miny) continue;
      // the triangle's area, scaled by how much of its box the clip keeps
      const float box = (std::max({a.x, b.x, d.x}) - std::min({a.x, b.x, d.x})) *
                        (std::max({a.y, b.y, d.y}) - std::min({a.y, b.y, d.y}));
      const float tri = std::fabs((b.x - a.x) * (d.y - a.y) - (d.x - a.x) * (b.y - a.y)) / 2;
      if (box > 0) area += tri * (maxx - minx) * (maxy - miny) / box;
    }
  }
  return area / 1000;
}

// Where the last frame's vertices come from, window by window.
void print_last_frame_by_window() {
  const ImDrawData* dd = ImGui::GetDrawData();
  std::printf("  last frame by window (vertices / draw calls / kilopixels shaded):\n");
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* l = dd->CmdLists[i];
    std::printf("    %-40s %6d %4d %8.0f\n", l->_OwnerName ? l->_OwnerName : "?", l->VtxBuffer.Size, l->CmdBuffer.Size,
                shaded_kilopixels(l));
  }
}

// --bench-frames N: scrub across the trace, one frame per position.
int run_bench_frames(ViewerApp& app, ReplayModel& model, const Theme& theme, const OffscreenTarget& target,
                     const Options& o, int w, int h) {
  settle(app, theme, target);
  std::vector<double> frame_ms, cpu_ms, build_ms, draw_ms, vertices, triangles, calls;
  const int n = o.bench_frames;
  const size_t seeks_before = app.seek_times_us().size();
  for (int i = 0; i < n; ++i) {
    const double fraction = n > 1 ? static_cast<double>(i) / (n - 1) : 1.0;
    request_time(app.view(), model, SimTime{static_cast<int64_t>(fraction * static_cast<double>(model.end_time().us))});
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = process_cpu_ms();
    const FrameTiming timing = render(app, theme, &target, 1.0 / 60);
    frame_ms.push_back(elapsed_ms(t0));
    cpu_ms.push_back(process_cpu_ms() - cpu0);
    build_ms.push_back(timing.build_ms);
    draw_ms.push_back(timing.draw_ms);
    vertices.push_back(timing.vertices);
    triangles.push_back(timing.indices / 3);
    calls.push_back(timing.draw_calls);
  }
  std::vector<double> scrub_seeks(app.seek_times_us().begin() + static_cast<std::ptrdiff_t>(seeks_before),
                                  app.seek_times_us().end());
  std::printf("ksim-view bench-frames: %s, %llu events, %dx%d, font %.0f px\n", o.trace.c_str(),
              static_cast<unsigned long long>(model.size()), w, h, o.font_size);
  std::printf("  frame time (scrubbing, incl. seek): %s\n", format_percentiles(percentiles(frame_ms), "ms").c_str());
  std::printf("  CPU time of a frame (all threads):  %s\n", format_percentiles(percentiles(cpu_ms), "ms").c_str());
  std::printf("    of which UI build (CPU):         %s\n", format_percentiles(percentiles(build_ms), "ms").c_str());
  std::printf("    of which OpenGL draw + finish:   %s\n", format_percentiles(percentiles(draw_ms), "ms").c_str());
  std::printf("  vertices per frame:                 %s\n", format_percentiles(percentiles(vertices), "").c_str());
  std::printf("  triangles per frame:                %s\n", format_percentiles(percentiles(triangles), "").c_str());
  std::printf("  draw calls per frame:               %s\n", format_percentiles(percentiles(calls), "").c_str());
  print_last_frame_by_window();
  std::printf("  seek time while scrubbing:          %s\n", format_percentiles(percentiles(scrub_seeks), "us").c_str());
  const SeekBench b = bench_seeks(model, 1000);
  std::printf("  random seek time:                   %s\n", format_percentiles(percentiles(b.random_us), "us").c_str());
  std::printf("  one step back:                      %s\n", format_percentiles(percentiles(b.step_back_us), "us").c_str());
  std::printf("  random seek, CPU time:              %s\n", format_percentiles(percentiles(b.random_cpu_us), "us").c_str());
  std::printf("  one step back, CPU time:            %s\n", format_percentiles(percentiles(b.step_back_cpu_us), "us").c_str());
  return kExitOk;
}

// The cursor (--at) and the followed record (--select) from the options.
int apply_start_options(ViewerApp& app, const ReplayModel& model, const Options& o) {
  app.view().speed_ms_per_s = o.speed;
  if (!parse_at(o.at, model, app.view()))
    return fail("--at must be milliseconds (2500) or #EVENT within the trace (#0 to #" +
                std::to_string(model.size() == 0 ? 0 : model.size() - 1) + "), not \"" + o.at + "\"");
  if (!o.select.empty()) {
    const auto id = parse_record(o.select, model);
    if (!id || !model.journeys().find(*id)) return fail("--select: no record \"" + o.select + "\" in this trace");
    app.view().selected_record = *id;
  }
  return kExitOk;
}

int run(const Options& o) {
  std::string error;
  auto loaded = ReplayModel::open(o.trace, error);
  if (!loaded) return fail(error);
  ReplayModel& model = *loaded;
  model.check_findings();  // the checkers run once, before the first frame
  if (o.bench_seek > 0) return run_bench_seek(model, o);

  int w = 0, h = 0;
  if (!parse_size(o.size, w, h)) return fail("--size must be WIDTHxHEIGHT (320x240 to 8192x8192), not \"" + o.size + "\"");
  const bool headless = !o.screenshot.empty() || !o.frames_dir.empty() || o.bench_frames > 0;
  if (!o.frames_dir.empty() && o.every_ms <= 0) return fail("--every must be a positive number of milliseconds");
  if (o.theme != "light" && o.theme != "dark") return fail("--theme must be light or dark");

  Window window;
  if (!window.open(w, h, !headless, "ksim-view  " + o.trace, error)) return fail(error);
  const Theme theme = o.theme == "dark" ? dark_theme() : light_theme();
  const Fonts fonts = load_fonts(o.font_size, o.font);
  if (!fonts.from_ttf) std::cerr << "ksim-view: " << fonts.description << "\n";
  apply_imgui_style(theme, o.font_size);

  ViewerApp app(model, theme, fonts);
  if (const int rc = apply_start_options(app, model, o); rc != kExitOk) return rc;
  if (!headless) {
    while (!glfwWindowShouldClose(window.get())) {
      glfwPollEvents();
      render(app, theme, nullptr, ImGui::GetIO().DeltaTime);
      glfwSwapBuffers(window.get());
    }
    return kExitOk;
  }
  OffscreenTarget target;
  if (!target.create(w, h, error)) return fail(error);
  if (!o.screenshot.empty()) return write_screenshot(app, theme, target, o, w, h);
  if (!o.frames_dir.empty()) return write_frames(app, theme, target, o, w, h);
  return run_bench_frames(app, model, theme, target, o, w, h);
}

}  // namespace

int main(int argc, char** argv) {
  ksim::set_assert_handler(&on_invariant_violation);
  Options o;
  CLI::App cli{"ksim-view: replay a ksim run from its JSON Lines trace"};
  cli.add_option("trace", o.trace, "A trace file (ksim run --trace FILE) or a scenario file (*.json, run in-process)")->required();
  cli.add_option("--screenshot", o.screenshot, "Render one frame to this PNG and exit (headless; works under xvfb-run)");
  cli.add_option("--at", o.at, "Where the cursor is: milliseconds (2500) or an event index (#1234)");
  cli.add_option("--size", o.size, "Frame size for headless rendering, WIDTHxHEIGHT")->capture_default_str();
  cli.add_option("--frames", o.frames_dir, "Render a numbered PNG series into this directory and exit");
  cli.add_option("--every", o.every_ms, "With --frames: virtual milliseconds between frames")->capture_default_str();
  cli.add_option("--bench-frames", o.bench_frames, "Render N frames while scrubbing; print frame and seek times")
      ->check(CLI::PositiveNumber);
  cli.add_option("--bench-seek", o.bench_seek, "Time N random seeks and N steps back (no window)")
      ->check(CLI::PositiveNumber);
  cli.add_option("--font-size", o.font_size, "Font size in pixels (a projector wants 18 or more)")
      ->capture_default_str()
      ->check(CLI::Range(8.0f, 72.0f));
  cli.add_option("--font", o.font, "A TTF font file (default: DejaVu Sans from fonts-dejavu-core)");
  cli.add_option("--theme", o.theme, "light (projectors) or dark")->capture_default_str();
  cli.add_option("--select", o.select, "Select a record to inspect: p1#17 or a record id");
  cli.add_option("--speed", o.speed, "Playback speed in virtual ms per second")->capture_default_str()->check(CLI::PositiveNumber);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : ksim::kExitBadInput;
  }
  return run(o);
}
