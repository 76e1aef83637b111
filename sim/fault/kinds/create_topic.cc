// create_topic: an operator creates a topic declared in the scenario's
// "topics" (kafka-topics.sh --create; CreateTopics at the controller,
// ControllerNode::create_topic). The topic does not exist before: consumers
// may subscribe to it first (Kafka's assignors skip it until their metadata
// has it).
#include <algorithm>

#include "core/controller/controller_node.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace create_topic_kind {

struct CreateTopic final : Fault {
  InitialTopic topic;
  explicit CreateTopic(InitialTopic t) : topic(std::move(t)) {}
  std::string_view kind() const override { return "create_topic"; }
  std::string describe() const override { return "create_topic " + topic.name; }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    Simulation& sim = a.sim();
    const NodeId controller = a.cluster().controller_node();
    if (!sim.is_running(controller)) return a.skip(*this, "the controller is not running", note);
    FaultOutcome o = a.applied(*this, topic.name, note);
    sim.invoke(controller, [t = topic](Node& n) { static_cast<ControllerNode&>(n).create_topic(t); });
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["create_topic"] = topic.name; }
  const std::string* creates_topic() const override { return &topic.name; }
};

std::optional<FaultAction> read(FaultReader& in) {
  const auto& arg = in.arg();
  const InitialTopic* topic = arg.is_string() ? in.topic(arg.get<std::string>()) : nullptr;
  if (!topic) {
    std::string names;
    for (const auto& n : in.topic_names()) names += (names.empty() ? "" : ", ") + n;
    in.error(in.arg_path(), "expected the name of a topic of this scenario (" + (names.empty() ? "none" : names) +
                                "), got " + in.brief(arg));
    return std::nullopt;
  }
  auto& created = in.names("create_topic");
  if (std::any_of(created.begin(), created.end(), [&](const auto& n) { return n.first == topic->name; })) {
    in.error(in.arg_path(), topic->name + " is already created by another create_topic fault");
    return std::nullopt;
  }
  created.emplace_back(topic->name, in.arg_path());
  return std::make_shared<CreateTopic>(*topic);
}

}  // namespace create_topic_kind

const FaultKind& create_topic() {
  static const FaultKind kind{.name = "create_topic", .read = create_topic_kind::read};
  return kind;
}

}  // namespace ksim::faults
