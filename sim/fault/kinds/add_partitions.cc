// add_partitions: an operator grows a topic; "partitions" is the new total, as
// in kafka-topics.sh --alter --partitions N (CreatePartitions at the
// controller, ControllerNode::create_partitions). The controller's answer
// decides: an error is traced, and the fault still counts as applied, as a
// command an operator typed.
#include "core/controller/controller_node.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace add_partitions_kind {

struct AddPartitions final : Fault {
  std::string topic;
  int32_t partitions = 0;
  AddPartitions(std::string t, int32_t p) : topic(std::move(t)), partitions(p) {}
  std::string_view kind() const override { return "add_partitions"; }
  std::string describe() const override {
    return "add_partitions " + topic + " to " + std::to_string(partitions) + " partitions";
  }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    Simulation& sim = a.sim();
    const NodeId controller = a.cluster().controller_node();
    if (!sim.is_running(controller)) return a.skip(*this, "the controller is not running", note);
    FaultOutcome o = a.applied(*this, topic + " to " + std::to_string(partitions) + " partitions", note);
    CreatePartitionsRequest request;
    request.name = topic;
    request.count = partitions;
    sim.invoke(controller, [request](Node& n) { static_cast<ControllerNode&>(n).create_partitions(request); });
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["add_partitions"] = topic;
    e["partitions"] = partitions;
  }
};

std::string topics_text(const FaultReader& in) {
  std::string out;
  for (const auto& n : in.topic_names()) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

std::optional<FaultAction> read(FaultReader& in) {
  const auto& arg = in.arg();
  const InitialTopic* topic = arg.is_string() ? in.topic(arg.get<std::string>()) : nullptr;
  auto total = in.integer("partitions", 1, 100000, true, "the topic's new partition count");
  if (!topic) {
    in.error(in.arg_path(), "expected the name of a topic of this scenario (" + topics_text(in) + "), got " +
                                in.brief(arg));
    return std::nullopt;
  }
  if (!total) return std::nullopt;
  if (*total <= topic->partitions) {
    in.error(in.key_path("partitions"), "is the new total and must grow the topic: " + topic->name + " starts with " +
                                            std::to_string(topic->partitions) + " partition" +
                                            (topic->partitions == 1 ? "" : "s") + ", got " + std::to_string(*total));
    return std::nullopt;
  }
  return std::make_shared<AddPartitions>(topic->name, static_cast<int32_t>(*total));
}

}  // namespace add_partitions_kind

const FaultKind& add_partitions() {
  static const FaultKind kind{
      .name = "add_partitions", .extra_keys = {"partitions"}, .read = add_partitions_kind::read};
  return kind;
}

}  // namespace ksim::faults
