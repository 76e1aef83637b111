// `ksim partition --partitions N [--partitioner NAME] [--hex] [KEY...]`: prints
// `KEY<TAB>PARTITION` for each key (sim/tools/partition_calculator.h).
// `ksim partition --list` lists the partitioners.
#include <iostream>
#include <memory>

#include "host/exit_codes.h"
#include "cli/commands.h"
#include "sim/tools/partition_calculator.h"

namespace ksim::cli {

void register_partition_command(CLI::App& app) {
  auto args = std::make_shared<tools::PartitionCalculatorArgs>();
  auto partitions = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "partition",
      "Print which partition each key goes to (KEY<TAB>PARTITION), as a client's keyed partitioner computes it");
  cmd->add_option("-n,--partitions", *partitions, "The topic's partition count (at least 1)")->type_name("N");
  cmd->add_option("-p,--partitioner", args->partitioner,
                  "A keyed partitioner: builtin (Kafka's murmur2, the default), sarama-hash, consistent_random, "
                  "... (see --list)")
      ->type_name("NAME")
      ->capture_default_str();
  cmd->add_flag("--hex", args->hex, "Keys are hex bytes (e.g. 00ff10) instead of UTF-8 text");
  cmd->add_flag("--list", *list, "List the partitioners and exit");
  cmd->add_option("keys", args->keys,
                  "Keys; if none, one key per line on stdin (the line's bytes without '\\n'). "
                  "Put -- before keys that start with '-'")
      ->type_name("KEY");
  cmd->callback([args, partitions, list, cmd] {
    if (*list) {
      tools::list_partitioners(std::cout);
      set_exit_code(kExitOk);
      return;
    }
    if (cmd->count("--partitions") > 0) args->partitions = *partitions;
    const bool ok = tools::run_partition_calculator(*args, std::cin, std::cout, std::cerr);
    set_exit_code(ok ? kExitOk : kExitBadInput);
  });
}

}  // namespace ksim::cli
