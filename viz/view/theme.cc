#include "viz/view/theme.h"

#include <algorithm>
#include <filesystem>

namespace ksim::viz {
namespace {

constexpr ImU32 rgb(uint32_t hex, uint8_t a = 255) {
  return IM_COL32((hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff, a);
}

// Okabe-Ito, reordered so neighbouring epochs contrast.
constexpr std::array<ImU32, 8> kOkabeIto = {rgb(0x0072B2), rgb(0xE69F00), rgb(0x009E73), rgb(0xCC79A7),
                                            rgb(0x56B4E9), rgb(0xD55E00), rgb(0xF0E442), rgb(0x7F7F7F)};

}  // namespace

ImU32 with_alpha(ImU32 c, float alpha) {
  const uint32_t a = static_cast<uint32_t>(((c >> IM_COL32_A_SHIFT) & 0xff) * std::clamp(alpha, 0.0f, 1.0f));
  return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

ImU32 text_on(const Theme& theme, ImU32 fill) {
  const float r = static_cast<float>((fill >> IM_COL32_R_SHIFT) & 0xff) / 255.0f;
  const float g = static_cast<float>((fill >> IM_COL32_G_SHIFT) & 0xff) / 255.0f;
  const float b = static_cast<float>((fill >> IM_COL32_B_SHIFT) & 0xff) / 255.0f;
  const float luminance = 0.299f * r + 0.587f * g + 0.114f * b;
  return luminance > 0.58f ? IM_COL32(20, 20, 20, 255) : theme.text_on_fill;
}

Theme light_theme() {
  Theme t;
  t.dark = false;
  t.text = rgb(0x1A1A1A);
  t.text_dim = rgb(0x5F5F5F);
  t.text_on_fill = rgb(0xFFFFFF);
  t.canvas = rgb(0xFAFAFA);
  t.grid = rgb(0xC8C8C8);
  t.role[static_cast<int>(NodeRole::broker)] = rgb(0x0072B2);
  t.role[static_cast<int>(NodeRole::controller)] = rgb(0x8E3A80);
  t.role[static_cast<int>(NodeRole::producer)] = rgb(0x009E73);
  t.role[static_cast<int>(NodeRole::consumer)] = rgb(0xB86E00);
  t.role[static_cast<int>(NodeRole::other)] = rgb(0x2F7FB5);
  t.crashed = rgb(0x9A9A9A);
  t.paused = rgb(0xE0B000);
  t.fenced = rgb(0xC0392B);
  t.not_started = rgb(0xDADADA);
  t.link_up = rgb(0xB4B4B4);
  t.link_cut = rgb(0xD62D20);
  t.label_bg = rgb(0xFFFFFF, 230);
  t.dropped = rgb(0xD62D20);
  t.hw = rgb(0x0057A8);
  t.leo = rgb(0x1A1A1A);
  t.isr_bg = rgb(0xCDEFD9);
  t.out_of_isr_bg = rgb(0xEDEDED);
  t.lost = rgb(0xE00000);
  t.selected = rgb(0x111111);
  t.truncated = rgb(0xD62D20);
  t.uncommitted_overlay = rgb(0xFFFFFF, 150);
  t.added = rgb(0x00804A);
  t.revoked = rgb(0xC0392B);
  t.warning = rgb(0xB35A00);
  t.duplicate = rgb(0xB0009A);
  t.ghost_bg = rgb(0xDEDEE4);
  t.current_row = rgb(0x0057A8, 77);
  t.palette = kOkabeIto;
  t.lane[static_cast<int>(MarkerLane::fault)] = rgb(0xD62D20);
  t.lane[static_cast<int>(MarkerLane::node)] = rgb(0x505050);
  t.lane[static_cast<int>(MarkerLane::election)] = rgb(0x8E3A80);
  t.lane[static_cast<int>(MarkerLane::isr)] = rgb(0xE69F00);
  t.lane[static_cast<int>(MarkerLane::rebalance)] = rgb(0x0072B2);
  t.lane[static_cast<int>(MarkerLane::truncation)] = rgb(0xD55E00);
  t.cursor = rgb(0x111111);
  return t;
}

Theme dark_theme() {
  Theme t = light_theme();
  t.dark = true;
  t.text = rgb(0xF0F0F0);
  t.text_dim = rgb(0xA8A8A8);
  t.canvas = rgb(0x1E1E22);
  t.grid = rgb(0x55555C);
  t.crashed = rgb(0x6E6E6E);
  t.not_started = rgb(0x3C3C40);
  t.link_up = rgb(0x6A6A72);
  t.label_bg = rgb(0x2A2A30, 230);
  t.leo = rgb(0xF0F0F0);
  t.hw = rgb(0x56B4E9);
  t.isr_bg = rgb(0x1F4D33);
  t.out_of_isr_bg = rgb(0x34343A);
  t.selected = rgb(0xFFFFFF);
  t.uncommitted_overlay = rgb(0x1E1E22, 150);
  t.added = rgb(0x3DDC84);
  t.revoked = rgb(0xFF6B5B);
  t.duplicate = rgb(0xFF5CE1);
  t.ghost_bg = rgb(0x3A3A40);
  t.lane[static_cast<int>(MarkerLane::node)] = rgb(0xBDBDBD);
  t.current_row = rgb(0xFFFFFF, 46);
  t.cursor = rgb(0xFFFFFF);
  return t;
}

void apply_imgui_style(const Theme& theme, float font_size) {
  ImGuiStyle& style = ImGui::GetStyle();
  if (theme.dark) {
    ImGui::StyleColorsDark(&style);
  } else {
    ImGui::StyleColorsLight(&style);
  }
  const float k = font_size / 13.0f;
  style.WindowPadding = ImVec2(8 * k, 6 * k);
  style.FramePadding = ImVec2(6 * k, 3 * k);
  style.ItemSpacing = ImVec2(8 * k, 4 * k);
  style.ItemInnerSpacing = ImVec2(5 * k, 4 * k);
  style.CellPadding = ImVec2(5 * k, 2 * k);
  style.ScrollbarSize = 11 * k;
  style.GrabMinSize = 10 * k;
  style.WindowRounding = 0;
  style.FrameRounding = 3 * k;
  style.WindowBorderSize = 1;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  ImVec4* c = style.Colors;
  if (!theme.dark) {
    c[ImGuiCol_WindowBg] = ImVec4(0.98f, 0.98f, 0.98f, 1.0f);
    c[ImGuiCol_TitleBg] = ImVec4(0.86f, 0.88f, 0.92f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.80f, 0.84f, 0.92f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.10f, 0.10f, 1.0f);
  }
  // The panels tile the screen and the frame is cleared to the canvas colour
  // first (main.cc), so windows need no background of their own: on a software
  // rasterizer (Mesa llvmpipe) a full-screen blended fill per frame costs as
  // much as everything drawn on top of it, while the clear is a memset.
  c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(theme.canvas);
  c[ImGuiCol_WindowBg].w = 0.0f;
  c[ImGuiCol_ChildBg].w = 0.0f;
}

Fonts load_fonts(float size, const std::string& path) {
  ImGuiIO& io = ImGui::GetIO();
  Fonts f;
  f.size = size;
  // Latin-1, arrows and geometric shapes (used in a few labels when the TTF loads).
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2190, 0x21FF, 0x2500, 0x25FF, 0};
  const std::string regular = path.empty() ? "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" : path;
  const std::string bold = path.empty() ? "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" : path;
  std::error_code ec;
  if (std::filesystem::is_regular_file(regular, ec)) {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    f.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), size, &cfg, kRanges);
    f.bold = std::filesystem::is_regular_file(bold, ec) ? io.Fonts->AddFontFromFileTTF(bold.c_str(), size, &cfg, kRanges)
                                                        : f.regular;
    if (!f.bold) f.bold = f.regular;
  }
  if (f.regular) {
    f.from_ttf = true;
    f.description = regular + " at " + std::to_string(static_cast<int>(size)) + " px";
  } else {
    // ImGui's built-in font is 13 px; scale it rather than show it tiny.
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f;
    f.regular = io.Fonts->AddFontDefault(&cfg);
    f.bold = f.regular;
    io.FontGlobalScale = size / 13.0f;
    f.description = "ImGui's built-in font scaled to " + std::to_string(static_cast<int>(size)) + " px (" + regular +
                    (path.empty() ? " not found: install fonts-dejavu-core)" : " not found)");
  }
  io.FontDefault = f.regular;
  return f;
}

}  // namespace ksim::viz
