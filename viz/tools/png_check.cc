// ksim-png-check FILE WIDTH HEIGHT [MIN_COLOURS] [MIN_FOREGROUND_PERCENT] [--colour RRGGBB MIN_PIXELS]...
//
// Checks that a screenshot from ksim-view is a real frame: the expected size,
// and drawn panels rather than a blank or single-colour image (at least
// MIN_COLOURS distinct colours, default 12, and at least
// MIN_FOREGROUND_PERCENT of the pixels, default 3, differing from the most
// common colour, the background). Each --colour asks for at least MIN_PIXELS
// pixels of exactly that colour: a mark only one feature draws (a theme
// colour, viz/view/theme.cc) shows that feature drew. Prints what it
// measured; exit 0 if the frame passes, 1 if not, 2 if the file cannot be
// read or an argument is malformed.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: ksim-png-check FILE WIDTH HEIGHT [MIN_COLOURS] [MIN_FOREGROUND_PERCENT] "
                 "[--colour RRGGBB MIN_PIXELS]...\n");
    return 2;
  }
  const int want_w = std::atoi(argv[2]), want_h = std::atoi(argv[3]);
  // Positional options until the first --colour.
  int positional = 4;
  while (positional < argc && std::string(argv[positional]) != "--colour") ++positional;
  const size_t min_colours = positional > 4 ? static_cast<size_t>(std::atoi(argv[4])) : 12;
  const double min_foreground = positional > 5 ? std::atof(argv[5]) : 3.0;
  std::vector<std::pair<uint32_t, size_t>> wanted;  // colour, minimum pixels
  for (int i = positional; i < argc; i += 3) {
    if (std::string(argv[i]) != "--colour" || i + 2 >= argc) {
      std::fprintf(stderr, "ksim-png-check: argument %d: expected --colour RRGGBB MIN_PIXELS\n", i);
      return 2;
    }
    char* end = nullptr;
    const unsigned long rgb = std::strtoul(argv[i + 1], &end, 16);
    if (std::string(argv[i + 1]).size() != 6 || *end != '\0') {
      std::fprintf(stderr, "ksim-png-check: --colour %s: expected six hex digits RRGGBB\n", argv[i + 1]);
      return 2;
    }
    wanted.push_back({static_cast<uint32_t>(rgb), static_cast<size_t>(std::atol(argv[i + 2]))});
  }
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
  for (const auto& [colour, min_pixels] : wanted) {
    auto it = counts.find(colour);
    const size_t have = it == counts.end() ? 0 : it->second;
    std::printf("colour %06X: %zu pixels (want >= %zu)\n", colour, have, min_pixels);
    if (have < min_pixels) {
      std::printf("FAIL: too few pixels of %06X: the feature that draws it did not?\n", colour);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
