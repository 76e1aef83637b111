// ksim-png-check FILE WIDTH HEIGHT [MIN_COLOURS] [MIN_FOREGROUND_PERCENT]
//
// Checks that a screenshot from ksim-view is a real frame: the expected size,
// and drawn panels rather than a blank or single-colour image (at least
// MIN_COLOURS distinct colours, default 12, and at least
// MIN_FOREGROUND_PERCENT of the pixels, default 3, differing from the most
// common colour, the background). Prints what it measured; exit 0 if the
// frame passes, 1 if not, 2 if the file cannot be read.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ksim-png-check FILE WIDTH HEIGHT [MIN_COLOURS] [MIN_FOREGROUND_PERCENT]\n");
    return 2;
  }
  const int want_w = std::atoi(argv[2]), want_h = std::atoi(argv[3]);
  const size_t min_colours = argc > 4 ? static_cast<size_t>(std::atoi(argv[4])) : 12;
  const double min_foreground = argc > 5 ? std::atof(argv[5]) : 3.0;
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &w, &h, &channels, 4);
  if (!pixels) {
    std::fprintf(stderr, "ksim-png-check: cannot read %s: %s\n", argv[1], stbi_failure_reason());
    return 2;
  }
  std::map<uint32_t, size_t> counts;
  const size_t n = static_cast<size_t>(w) * static_cast<size_t>(h);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char* p = pixels + i * 4;
    counts[(uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2]]++;
  }
  stbi_image_free(pixels);
  size_t background = 0;
  for (const auto& [colour, count] : counts) background = std::max(background, count);
  const double foreground = n ? 100.0 * static_cast<double>(n - background) / static_cast<double>(n) : 0.0;
  std::printf("%s: %dx%d, %zu distinct colours, %.1f%% of pixels differ from the background\n", argv[1], w, h,
              counts.size(), foreground);
  bool ok = true;
  if (w != want_w || h != want_h) {
    std::printf("FAIL: expected %dx%d\n", want_w, want_h);
    ok = false;
  }
  if (counts.size() < min_colours) {
    std::printf("FAIL: fewer than %zu colours: a blank frame?\n", min_colours);
    ok = false;
  }
  if (foreground < min_foreground) {
    std::printf("FAIL: less than %.1f%% foreground: the panels did not draw?\n", min_foreground);
    ok = false;
  }
  return ok ? 0 : 1;
}
