// `ksim partition`: the key -> partition calculator, tested through its function.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "sim/tools/partition_calculator.h"

namespace ksim::tools {
namespace {

struct Run {
  bool ok = false;
  std::string out;
  std::string err;
};

Run calculate(PartitionCalculatorArgs args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  Run run;
  run.ok = run_partition_calculator(args, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

PartitionCalculatorArgs args_for(std::string partitions, std::vector<std::string> keys,
                                 std::string partitioner = "builtin") {
  PartitionCalculatorArgs args;
  args.partitions = std::move(partitions);
  args.keys = std::move(keys);
  args.partitioner = std::move(partitioner);
  return args;
}

TEST_CASE("the calculator prints KEY<TAB>PARTITION per key, Kafka's murmur2 by default", "[tools][partition]") {
  const Run run = calculate(args_for("100", {"foo", "bar", "kafka", "21"}));
  CHECK(run.ok);
  CHECK(run.out == "foo\t16\nbar\t45\nkafka\t80\n21\t40\n");
  CHECK(run.err.empty());
}

TEST_CASE("the calculator answers for sarama's and librdkafka's keyed partitioners", "[tools][partition]") {
  CHECK(calculate(args_for("50", {"1468509572224"}, "sarama-hash")).out == "1468509572224\t48\n");
  CHECK(calculate(args_for("50", {"1468509572224"}, "sarama-reference-hash")).out == "1468509572224\t0\n");
  CHECK(calculate(args_for("100", {"SheetJS"}, "consistent_random")).out == "SheetJS\t26\n");
  CHECK(calculate(args_for("100", {"foo"}, "org.apache.kafka.clients.producer.internals.DefaultPartitioner")).out ==
        "foo\t16\n");
}

TEST_CASE("without KEY arguments the calculator reads one key per line from stdin", "[tools][partition]") {
  PartitionCalculatorArgs args = args_for("100", {});
  CHECK(calculate(args, "foo\nbar\n").out == "foo\t16\nbar\t45\n");
  CHECK(calculate(args, "foo\nbar").out == "foo\t16\nbar\t45\n");  // no final newline
  // An empty line in the middle is the empty key (murmur2("") = 275646681 -> 81).
  CHECK(calculate(args, "foo\n\nbar\n").out == "foo\t16\n\t81\nbar\t45\n");
  const Run nothing = calculate(args, "");
  CHECK(nothing.ok);
  CHECK(nothing.out.empty());
}

TEST_CASE("with --hex the keys are bytes written as hex digits", "[tools][partition]") {
  PartitionCalculatorArgs args = args_for("100", {"666f6f", "666F6F", ""});
  args.hex = true;
  // 666f6f is "foo"; the empty string is the empty key.
  CHECK(calculate(args).out == "666f6f\t16\n666F6F\t16\n\t81\n");
  PartitionCalculatorArgs from_stdin = args_for("100", {});
  from_stdin.hex = true;
  CHECK(calculate(from_stdin, "626172\n").out == "626172\t45\n");
}

TEST_CASE("bad hex names the key and the character, and nothing is printed", "[tools][partition]") {
  PartitionCalculatorArgs args = args_for("8", {"00ff", "0g12", "abc", "12 4"});
  args.hex = true;
  const Run run = calculate(args);
  CHECK_FALSE(run.ok);
  CHECK(run.out.empty());
  CHECK(run.err ==
        "ksim partition: key 2 '0g12': character 2 ('g') is not a hex digit (0-9, a-f, A-F)\n"
        "ksim partition: key 3 'abc': odd number of hex digits (3); each byte takes two\n"
        "ksim partition: key 4 '12 4': character 3 (' ') is not a hex digit (0-9, a-f, A-F)\n");

  PartitionCalculatorArgs lines = args_for("8", {});
  lines.hex = true;
  CHECK(calculate(lines, "00\n0\xc3\n").err ==
        "ksim partition: line 2 '0\xc3': character 2 (byte 0xc3) is not a hex digit (0-9, a-f, A-F)\n");
}

TEST_CASE("a partition count below 1, too large, missing or not a number is refused", "[tools][partition]") {
  CHECK(calculate(args_for("0", {"k"})).err == "ksim partition: --partitions must be at least 1, got 0\n");
  CHECK(calculate(args_for("-3", {"k"})).err == "ksim partition: --partitions must be at least 1, got -3\n");
  CHECK(calculate(args_for("2147483648", {"k"})).err ==
        "ksim partition: --partitions must be at most 2147483647 (partition ids are 32-bit), got 2147483648\n");
  CHECK(calculate(args_for("12x", {"k"})).err == "ksim partition: --partitions expects a whole number, got '12x'\n");
  PartitionCalculatorArgs missing;
  missing.keys = {"k"};
  const Run run = calculate(missing);
  CHECK_FALSE(run.ok);
  CHECK(run.err == "ksim partition: --partitions N is required (the topic's partition count, at least 1)\n");
}

TEST_CASE("a partitioner that does not place keys by hash explains why it cannot answer", "[tools][partition]") {
  const Run run = calculate(args_for("6", {"k"}, "roundrobin"));
  CHECK_FALSE(run.ok);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::StartsWith("ksim partition: partitioner 'roundrobin' cannot say where a key goes: it "
                                        "sends each record to the next partition in turn, whatever the key."));
  CHECK_THAT(run.err, Catch::Contains("Keyed partitioners: builtin, sticky-kip480"));
  CHECK_THAT(calculate(args_for("6", {"k"}, "uniform-sticky")).err, Catch::Contains("it ignores keys"));
  CHECK_THAT(calculate(args_for("6", {"k"}, "sarama-random")).err, Catch::Contains("at random"));
}

TEST_CASE("an unknown partitioner gets the list of names and a suggestion", "[tools][partition]") {
  const Run run = calculate(args_for("6", {"k"}, "sarama-hsah"));
  CHECK_FALSE(run.ok);
  CHECK_THAT(run.err, Catch::StartsWith("ksim partition: unknown partitioner 'sarama-hsah'; did you mean 'sarama-hash'?"));
  CHECK_THAT(run.err, Catch::Contains("Valid partitioners: builtin,"));
}

TEST_CASE("consistent_random cannot place an empty key: librdkafka treats it as null", "[tools][partition]") {
  const Run run = calculate(args_for("6", {"a", ""}, "consistent_random"));
  CHECK_FALSE(run.ok);
  CHECK(run.err ==
        "ksim partition: key 2 '': consistent_random partitions an empty key like a null key (randomly), so no "
        "partition follows from it\n");
  CHECK(calculate(args_for("6", {""}, "consistent")).out == "\t0\n");  // crc32("") = 0
}

TEST_CASE("the partitioner list says which ones the calculator can use", "[tools][partition]") {
  std::ostringstream out;
  list_partitioners(out);
  CHECK_THAT(out.str(), Catch::Contains("builtin (alias default)"));
  CHECK_THAT(out.str(), Catch::Contains("roundrobin (alias org.apache.kafka.clients.producer.RoundRobinPartitioner)"));
  CHECK_THAT(out.str(), Catch::Contains("`ksim partition`: no, it sends each record to the next partition in turn"));
  CHECK_THAT(out.str(), Catch::Contains("sarama-hash\n    sarama HashPartitioner (sarama's default)\n    keyed: FNV-1a"));
}

}  // namespace
}  // namespace ksim::tools
