#include "sim/tools/partition_calculator.h"

#include <charconv>
#include <limits>

#include "core/producer/partitioner/partitioner_registry.h"

namespace ksim::tools {
namespace {

using producer::PartitionerInfo;

constexpr std::string_view kPrefix = "ksim partition: ";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A character as a reader would want to see it in an error message.
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("byte 0x") + kDigits[u >> 4] + kDigits[u & 0xf];
}

std::optional<int32_t> parse_partition_count(const std::optional<std::string>& text, std::string& problem) {
  if (!text) {
    problem = "--partitions N is required (the topic's partition count, at least 1)";
    return std::nullopt;
  }
  int64_t value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text->empty() || ec == std::errc::invalid_argument || ptr != end) {
    problem = "--partitions expects a whole number, got '" + *text + "'";
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || value > std::numeric_limits<int32_t>::max()) {
    problem = "--partitions must be at most 2147483647 (partition ids are 32-bit), got " + *text;
    return std::nullopt;
  }
  if (value < 1) {
    problem = "--partitions must be at least 1, got " + *text;
    return std::nullopt;
  }
  return static_cast<int32_t>(value);
}

std::string keyed_partitioner_names() {
  std::string names;
  for (const PartitionerInfo& info : producer::all_partitioners()) {
    if (info.key_to_partition == nullptr) continue;
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

}  // namespace

std::optional<std::string> decode_hex_key(std::string_view text, std::string& problem) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (hex_value(text[i]) < 0) {
      problem = "character " + std::to_string(i + 1) + " (" + shown(text[i]) +
                ") is not a hex digit (0-9, a-f, A-F)";
      return std::nullopt;
    }
  }
  if (text.size() % 2 != 0) {
    problem = "odd number of hex digits (" + std::to_string(text.size()) + "); each byte takes two";
    return std::nullopt;
  }
  std::string bytes;
  bytes.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    bytes.push_back(static_cast<char>(hex_value(text[i]) * 16 + hex_value(text[i + 1])));
  }
  return bytes;
}

std::vector<std::string> read_key_lines(std::istream& in) {
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

void list_partitioners(std::ostream& out) {
  for (const PartitionerInfo& info : producer::all_partitioners()) {
    out << info.name;
    for (std::string_view alias : info.aliases) out << " (alias " << alias << ")";
    out << "\n    " << info.client << "\n    " << info.summary << "\n    ";
    if (info.key_to_partition) {
      out << "`ksim partition`: yes\n";
    } else {
      out << "`ksim partition`: no, " << info.not_keyed_reason << "\n";
    }
  }
}

bool run_partition_calculator(const PartitionCalculatorArgs& args, std::istream& in, std::ostream& out,
                              std::ostream& err) {
  std::string problem;
  const std::optional<int32_t> partitions = parse_partition_count(args.partitions, problem);
  if (!partitions) {
    err << kPrefix << problem << "\n";
    return false;
  }

  const PartitionerInfo* info = producer::find_partitioner(args.partitioner);
  if (info == nullptr) {
    err << kPrefix << producer::unknown_partitioner_message(args.partitioner) << "\n";
    return false;
  }
  if (info->key_to_partition == nullptr) {
    err << kPrefix << "partitioner '" << args.partitioner << "' cannot say where a key goes: "
        << info->not_keyed_reason << ". Keyed partitioners: " << keyed_partitioner_names() << "\n";
    return false;
  }

  const bool from_stdin = args.keys.empty();
  const std::vector<std::string> keys = from_stdin ? read_key_lines(in) : args.keys;
  auto where = [&](size_t i) {
    return (from_stdin ? "line " : "key ") + std::to_string(i + 1) + " '" + keys[i] + "'";
  };

  std::vector<std::string> key_bytes;
  key_bytes.reserve(keys.size());
  bool all_good = true;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string bytes = keys[i];
    if (args.hex) {
      std::optional<std::string> decoded = decode_hex_key(keys[i], problem);
      if (!decoded) {
        err << kPrefix << where(i) << ": " << problem << "\n";
        all_good = false;
        continue;
      }
      bytes = std::move(*decoded);
    }
    if (bytes.empty() && info->empty_key_is_unkeyed) {
      err << kPrefix << where(i) << ": " << info->name
          << " partitions an empty key like a null key (randomly), so no partition follows from it\n";
      all_good = false;
      continue;
    }
    key_bytes.push_back(std::move(bytes));
  }
  if (!all_good) return false;

  for (size_t i = 0; i < keys.size(); ++i) {
    out << keys[i] << '\t' << info->key_to_partition(key_bytes[i], *partitions).value << '\n';
  }
  return true;
}

}  // namespace ksim::tools
