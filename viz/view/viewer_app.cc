#include "viz/view/viewer_app.h"

#include <chrono>

#include "viz/view/panel_layout.h"
#include "viz/view/playback.h"

namespace ksim::viz {

ViewerApp::ViewerApp(ReplayModel& model, Theme theme, Fonts fonts)
    : model_(model), theme_(theme), fonts_(fonts), cluster_(model), timeline_(model) {
  view_.jump_kind = trace::Payload(trace::NodeCrashed{}).index();
}

void ViewerApp::handle_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  if (pressed(ImGuiKey_Space)) toggle_play(view_, model_);
  if (pressed(ImGuiKey_RightArrow)) step_by(view_, model_, 1);
  if (pressed(ImGuiKey_LeftArrow)) step_by(view_, model_, -1);
  if (pressed(ImGuiKey_PageDown)) step_by(view_, model_, 100);
  if (pressed(ImGuiKey_PageUp)) step_by(view_, model_, -100);
  if (pressed(ImGuiKey_Home)) step_by(view_, model_, -static_cast<int64_t>(model_.size()));
  if (pressed(ImGuiKey_End)) step_by(view_, model_, static_cast<int64_t>(model_.size()));
}

void ViewerApp::apply_seek() {
  if (view_.seek_request) {
    if (!(*view_.seek_request == view_.cursor)) ++view_.cursor_moves;
    view_.cursor = *view_.seek_request;
    view_.seek_request.reset();
  }
  if (model_.step() != view_.cursor.step) {
    const auto t0 = std::chrono::steady_clock::now();
    model_.seek(view_.cursor.step);
    const auto t1 = std::chrono::steady_clock::now();
    seek_times_us_.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
}

void ViewerApp::menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("View")) {
    PanelVisibility& p = view_.panels;
    ImGui::MenuItem("Cluster", nullptr, &p.cluster);
    ImGui::MenuItem("Partitions", nullptr, &p.partitions);
    ImGui::MenuItem("Consumer groups", nullptr, &p.groups);
    ImGui::MenuItem("Events", nullptr, &p.events);
    ImGui::MenuItem("Record inspector", nullptr, &p.inspector);
    ImGui::MenuItem("Timeline", nullptr, &p.timeline);
    ImGui::MenuItem("Checks", nullptr, &p.checks);
    ImGui::Separator();
    if (ImGui::MenuItem("Cells by leader epoch", nullptr, view_.colouring == CellColouring::leader_epoch))
      view_.colouring = CellColouring::leader_epoch;
    if (ImGui::MenuItem("Cells by producer", nullptr, view_.colouring == CellColouring::producer))
      view_.colouring = CellColouring::producer;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Keyboard shortcuts", nullptr, &show_help_);
    ImGui::EndMenu();
  }
  const std::string title = model_.header().scenario + "   (seed " + std::to_string(model_.header().seed) + ", " +
                            std::to_string(model_.size()) + " events)";
  const float w = ImGui::CalcTextSize(title.c_str()).x;
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - w - 20));
  ImGui::TextUnformatted(title.c_str());
  ImGui::EndMainMenuBar();
}

void ViewerApp::frame(double wall_dt_s) {
  handle_keys();
  advance_playback(view_, model_, wall_dt_s);
  apply_seek();
  menu_bar();

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float menu_h = ImGui::GetFrameHeight();
  LayoutInput in;
  in.origin = ImVec2(vp->WorkPos.x, vp->Pos.y + menu_h);
  in.size = ImVec2(vp->Size.x, vp->Size.y - menu_h);
  in.font_size = ImGui::GetFontSize();
  in.timeline_lanes = timeline_.lane_count();
  in.timeline_height = timeline_.needed_height();
  in.visible = view_.panels;
  in.has_partitions = !model_.final_state().partitions.empty();
  in.has_groups = !model_.final_state().groups.empty();
  in.has_records = !model_.journeys().all().empty();
  in.record_selected = view_.selected_record.has_value();
  const PanelLayout layout = tile_panels(in);

  PanelContext ctx{model_, view_, theme_, fonts_};
  if (layout.cluster) cluster_.draw(ctx, *layout.cluster);
  if (layout.partitions) partitions_.draw(ctx, *layout.partitions);
  if (layout.groups) groups_.draw(ctx, *layout.groups);
  if (layout.events) events_.draw(ctx, *layout.events);
  if (layout.inspector) inspector_.draw(ctx, *layout.inspector);
  if (layout.checks) checks_.draw(ctx, *layout.checks);
  if (layout.timeline) timeline_.draw(ctx, *layout.timeline);

  if (show_help_) {
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x / 2, vp->Size.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard shortcuts", &show_help_, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
      ImGui::TextUnformatted("Space            play / pause");
      ImGui::TextUnformatted("Left / Right     one event back / forward");
      ImGui::TextUnformatted("PageUp / PageDn  100 events back / forward");
      ImGui::TextUnformatted("Home / End       start / end of the run");
      ImGui::TextUnformatted("Timeline         click or drag to move; hover a marker to read it");
      ImGui::TextUnformatted("Cluster          click a node to filter the events to it");
      ImGui::TextUnformatted("Partitions       click a record to follow its journey");
    }
    ImGui::End();
  }
}

}  // namespace ksim::viz
