// `ksim assign --strategy NAME FILE|-`: the partition-assignment calculator.
// Reads a consumer group as JSON, runs one assignor and prints the assignment
// (sim/tools/assign_calculator.h does the work; this file only does I/O).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/group/assignor/assignor_registry.h"
#include "host/exit_codes.h"
#include "cli/commands.h"
#include "sim/tools/assign_calculator.h"

namespace ksim::cli {
namespace {

struct AssignArgs {
  tools::AssignOptions options;
  std::string file;
};

std::string strategies_help() {
  std::string out =
      "Strategies (the JoinGroup protocol name each advertises is in brackets):\n"
      "  range               Java RangeAssignor [range]: per topic, consecutive blocks,\n"
      "                      the first members get one more; static members first by\n"
      "                      group.instance.id\n"
      "  roundrobin          Java RoundRobinAssignor [roundrobin]: all partitions dealt\n"
      "                      round robin, skipping members not subscribed\n"
      "  sticky              Java StickyAssignor [sticky]: balanced, then keep owned\n"
      "                      partitions (reads owned + generation)\n"
      "  cooperative-sticky  Java CooperativeStickyAssignor [cooperative-sticky], KIP-429\n"
      "  sarama-range        sarama >= 1.34.1 [range]: like Java, ignores instance ids\n"
      "  sarama-roundrobin   sarama >= 1.28.0 [roundrobin]: partitions sorted as strings\n"
      "                      (t-10 before t-2), ignores instance ids\n"
      "  sarama-sticky       sarama [sticky]: Java's pre-2.6 sticky algorithm\n"
      "  sarama-range-legacy       sarama < 1.34.1 [range]: rounded split, hashed order\n"
      "  sarama-roundrobin-legacy  sarama < 1.28.0 [roundrobin]: each topic on its own\n"
      "Java class names (org.apache.kafka.clients.consumer.RangeAssignor, ...) work too.\n";
  return out;
}

int run_assign(const AssignArgs& args) {
  // Check the strategy before reading: `--strategy typo -` should not wait on stdin.
  if (const group::AssignorLookup lookup = group::find_assignor(args.options.strategy); !lookup.assignor) {
    std::cerr << "ksim assign: --strategy: " << lookup.error << "\n";
    return kExitBadInput;
  }
  std::string text;
  if (args.file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(args.file, std::ios::binary);
    if (!in) {
      std::cerr << "ksim assign: cannot read " << args.file << "\n";
      return kExitBadInput;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  auto result = tools::assign_from_json(text, args.options);
  if (auto* error = std::get_if<tools::AssignError>(&result)) {
    // Errors about the options start with the option's name; the rest are about the input.
    const bool about_options = error->message.rfind("--", 0) == 0;
    std::cerr << "ksim assign: " << (about_options ? "" : (args.file == "-" ? "<stdin>" : args.file) + ": ")
              << error->message << "\n";
    return kExitBadInput;
  }
  const auto& output = std::get<tools::AssignOutput>(result);
  std::cout << output.stdout_text << std::flush;
  std::cerr << output.stderr_text;
  return kExitOk;
}

}  // namespace

void register_assign_command(CLI::App& app) {
  auto args = std::make_shared<AssignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "assign", "Compute a consumer group's partition assignment with one assignor (a calculator, no simulation)");
  cmd->footer(
      "\nInput (FILE, or - for stdin):\n"
      "  {\"topics\": {\"t0\": 3, \"t1\": 3},\n"
      "   \"members\": [{\"id\": \"c0\", \"instance\": \"i0\", \"topics\": [\"t0\", \"t1\"],\n"
      "                \"owned\": [\"t0-0\"], \"generation\": 1},\n"
      "               {\"id\": \"c1\", \"topics\": [\"t0\"]}]}\n"
      "  instance (group.instance.id), owned and generation are optional; owned and\n"
      "  generation are what the member held before, read by the sticky strategies\n"
      "  (generation -1, Kafka's DEFAULT_GENERATION, means none). As in Kafka, a\n"
      "  subscribed topic missing from \"topics\" (or with 0 partitions) is skipped, and\n"
      "  an owned partition that does not exist is dropped; stderr notes each.\n"
      "\nOutput (stdout): {\"c0\": [\"t0-0\", \"t1-0\"], \"c1\": []}, every member in\n"
      "member-id order, partitions sorted by topic then partition.\n"
      "\ncooperative-sticky takes two rebalances to move a partition (KIP-429): stdout\n"
      "is the FIRST rebalance's assignment, in which a partition that changes owner is\n"
      "only revoked from its current owner; stderr lists those partitions as\n"
      "\"t0-2: c0 -> c2\" (current owner -> next owner). --follow-up prints the\n"
      "assignment after the follow-up rebalance instead.\n\n" +
      strategies_help() + "\nExit codes: 0 done, 2 bad input (the message names the JSON path).\n");
  cmd->add_option("--strategy", args->options.strategy, "Assignor to run (see below)")->required();
  cmd->add_flag("--follow-up", args->options.follow_up,
                "cooperative-sticky: print the assignment after the follow-up rebalance");
  cmd->add_option("file", args->file, "Group JSON file, or - for stdin")->required();
  cmd->callback([args] { set_exit_code(run_assign(*args)); });
}

}  // namespace ksim::cli
