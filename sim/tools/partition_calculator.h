#pragma once
// The `ksim partition` calculator: which partition does each key go to, for a
// topic of N partitions, under a named client's keyed partitioner (Kafka's
// murmur2 by default; sarama's and librdkafka's by name). The logic lives here,
// apart from the command line, so tests call it with string streams.
//
// Output: one line per key, `KEY<TAB>PARTITION`, KEY exactly as given.
// Input: keys as arguments, or else one per line from `in` (the bytes of the
// line without its '\n'; a final line without '\n' counts, an empty final
// segment after the last '\n' does not). Keys are UTF-8 text, or with --hex
// hexadecimal bytes (two digits per byte, upper or lower case, nothing else).
//
// Every input is checked before anything is printed; on bad input the
// calculator prints nothing to `out`, explains each problem on `err` (which
// key, which character) and returns false, and the command exits with code 2.
#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::tools {

struct PartitionCalculatorArgs {
  std::optional<std::string> partitions;  // --partitions N, as typed
  std::string partitioner = "builtin";    // --partitioner NAME
  bool hex = false;                       // --hex
  std::vector<std::string> keys;          // KEY...; empty: read `in`
};

// Runs the calculator. True on success (exit code 0), false on bad input.
bool run_partition_calculator(const PartitionCalculatorArgs& args, std::istream& in, std::ostream& out,
                              std::ostream& err);

// Writes the known partitioners, one per line: name, client, what it does,
// and whether it can answer for a key.
void list_partitioners(std::ostream& out);

// Decodes `text` as hex bytes. On failure returns nullopt and sets `problem`
// to a sentence naming the offending character and its 1-based position.
std::optional<std::string> decode_hex_key(std::string_view text, std::string& problem);

// Splits `in` into keys as described above.
std::vector<std::string> read_key_lines(std::istream& in);

}  // namespace ksim::tools
