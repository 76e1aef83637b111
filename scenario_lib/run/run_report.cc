#include "scenario_lib/run/run_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "scenario_lib/format/config_keys.h"
#include "scenario_lib/format/producer_config_keys.h"

namespace ksim::scenarios {
namespace {

std::string ms(Duration d) {
  std::ostringstream out;
  out << static_cast<double>(d.us) / 1000.0;
  return out.str();
}

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Label column of width 12, then the lines.
void section(std::ostringstream& out, const std::string& label, const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    char head[32];
    std::snprintf(head, sizeof head, "%-12s", i == 0 ? label.c_str() : "");
    out << head << lines[i] << "\n";
  }
}

std::string rate_text(double r) {
  std::ostringstream out;
  out << r;
  return out.str();
}

}  // namespace

std::string wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  std::istringstream words(text);
  std::string w;
  while (words >> w) {
    if (!line.empty() && indent.size() + line.size() + 1 + w.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string describe_scenario(const Scenario& s) {
  std::ostringstream out;
  out << s.name << "\n";
  if (!s.description.empty()) out << "\n" << wrap(s.description, 80, "  ") << "\n";

  std::vector<std::string> cluster;
  std::string first = std::to_string(s.brokers) + " broker" + (s.brokers == 1 ? "" : "s") + " + a KRaft controller; latency " +
                      (s.latency_min == s.latency_max ? ms(s.latency_min) : ms(s.latency_min) + "-" + ms(s.latency_max)) +
                      " ms; disconnects noticed after " + ms(s.disconnect_detection) + " ms";
  cluster.push_back(first);
  std::string disk = "disk write-back after " + ms(s.writeback_delay) + " ms";
  for (const auto& [b, d] : s.writeback_delay_per_broker) disk += ", " + broker_name(b) + " " + ms(d) + " ms";
  cluster.push_back(disk);
  if (!s.racks.empty()) cluster.push_back("broker.rack " + join(s.racks, ", "));
  auto settings = [](const std::vector<std::string>& non_default) {
    return non_default.empty() ? std::string("Kafka 4.x defaults") : join(non_default, "  ");
  };
  cluster.push_back("broker:     " + settings(non_default_settings(broker_config_keys(), s.broker)));
  // The shared settings already show under broker.
  std::vector<std::string> controller;
  for (const auto& kv : non_default_settings(controller_config_keys(), s.controller))
    if (kv.rfind("min.insync.replicas=", 0) != 0 && kv.rfind("unclean.leader.election.enable=", 0) != 0) controller.push_back(kv);
  cluster.push_back("controller: " + settings(controller));
  section(out, "cluster", cluster);

  std::vector<std::string> topics;
  for (const auto& t : s.topics) {
    std::string line = t.name + ": " + std::to_string(t.partitions) + " partition" + (t.partitions == 1 ? "" : "s") +
                       ", replication factor " + std::to_string(t.replication_factor);
    if (!t.assignment.empty()) {
      line += ", replicas";
      for (const auto& a : t.assignment) line += " " + ids_text(a);
    }
    for (const auto& [k, v] : t.configs) line += ", " + k + "=" + v;
    topics.push_back(line);
  }
  if (topics.empty()) topics.push_back("(none)");
  section(out, "topics", topics);

  std::vector<std::string> clients;
  for (const auto& c : s.clients) {
    std::vector<std::string> cfg = c.probe() ? non_default_settings(producer_config_keys(), c.producer)
                                             : non_default_settings(kafka_producer_config_keys(), c.kafka);
    std::string line = c.id + ": " + c.type + (cfg.empty() ? "" : ", " + join(cfg, " "));
    if (c.workload) {
      const Workload& w = *c.workload;
      const std::string to = c.probe() || w.partition_set ? w.topic + "-" + std::to_string(w.partition)
                                                          : w.topic + " (partitioner)";
      line += "; sends " + std::to_string(w.messages) + " record" + (w.messages == 1 ? "" : "s") + " to " + to + ", " +
              rate_text(w.rate_per_s) + "/s from " + std::to_string(w.start_ms) + " ms";
      if (!c.probe()) {
        if (w.key) line += ", key \"" + *w.key + "\"";
        if (w.sync) line += ", sync";
        if (w.resend_on_failure > 0) line += ", re-sends failures up to " + std::to_string(w.resend_on_failure) + "x";
      }
    }
    clients.push_back(line);
  }
  if (clients.empty()) clients.push_back("(none)");
  section(out, "clients", clients);

  std::vector<std::string> faults;
  for (const auto& f : s.faults) {
    char when[64];
    std::snprintf(when, sizeof when, "%-14s", f.trigger.str().c_str());
    std::string line = std::string(when) + "  " + describe_fault(f.action);
    if (f.trigger.kind != Trigger::Kind::at) line = f.trigger.str() + ": " + describe_fault(f.action);
    if (!f.note.empty()) line += "  -- " + f.note;
    faults.push_back(line);
  }
  if (faults.empty()) faults.push_back("(none)");
  section(out, "faults", faults);
  section(out, "run until", {std::to_string(s.run_until_ms) + " ms"});

  std::vector<std::string> expect;
  for (const auto& e : s.expect) expect.push_back(e.str() + (e.note.empty() ? "" : "  -- " + e.note));
  if (expect.empty()) expect.push_back("(none)");
  section(out, "expect", expect);
  return out.str();
}

std::string describe_result(const Scenario& s, const RunResult& r) {
  std::ostringstream out;
  out << "final state at " << r.ran_until_ms << " ms" << (r.cut_short ? " (cut short by --until)" : "") << "\n";
  for (const auto& p : r.partitions) {
    out << "  " << p.tp.str() << "  ";
    if (p.leader < 0) {
      out << "NO LEADER (offline), last ISR " << ids_text(p.isr) << "\n";
    } else {
      out << "leader " << broker_name(p.leader) << ", epoch " << p.leader_epoch.value << ", ISR " << ids_text(p.isr) << "\n";
    }
    for (const auto& b : p.brokers) {
      const bool assigned = std::find(p.replicas.begin(), p.replicas.end(), b.broker) != p.replicas.end();
      if (!assigned && !b.has_replica) continue;
      char line[128];
      if (!b.running) {
        std::snprintf(line, sizeof line, "    %-10s down", broker_name(b.broker).c_str());
      } else if (!b.has_replica) {
        std::snprintf(line, sizeof line, "    %-10s no replica yet", broker_name(b.broker).c_str());
      } else {
        std::snprintf(line, sizeof line, "    %-10s %-9s LEO %-6lld HW %lld", broker_name(b.broker).c_str(), b.role.c_str(),
                      static_cast<long long>(b.leo.value), static_cast<long long>(b.hw.value));
      }
      out << line << "\n";
    }
  }
  for (const auto& c : r.clients) {
    if (c.consumer()) {
      // What a consumer did: its polls, the records it processed, its commits.
      out << "  " << c.id << "  " << c.type << ": ";
      if (!c.fatal_error.empty())
        out << "STOPPED at " << ms(c.fatal_at - SimTime{}) << " ms by fatal " << c.fatal_error
            << (c.fatal_config.empty() ? "" : " (" + c.fatal_config + ")") << "; ";
      out << "polled " << c.polled_records << " records in " << c.polls
          << " polls, processed " << c.processed << ", committed " << c.commits << " offsets";
      if (c.failed_commits > 0) {
        std::vector<std::string> errs;
        for (const auto& [name, n] : c.errors) errs.push_back(name + " x" + std::to_string(n));
        out << ", " << c.failed_commits << " commits failed (" << join(errs, ", ") << ")";
      }
      out << "\n";
      continue;
    }
    out << "  " << c.id << "  " << c.type << ": sent " << c.sent << ", acked " << c.acked << ", failed " << c.failed;
    if (!c.errors.empty()) {
      std::vector<std::string> errs;
      for (const auto& [name, n] : c.errors) errs.push_back(name + " x" + std::to_string(n));
      out << " (" << join(errs, ", ") << ")";
    }
    if (c.pending() > 0) out << ", " << c.pending() << " still in flight";
    out << "\n";
  }
  std::vector<std::string> down;
  for (const auto& n : r.nodes)
    if (!n.running) down.push_back(n.name);
    else if (n.paused) down.push_back(n.name + " (paused)");
  if (!down.empty()) out << "  not running: " << join(down, ", ") << "\n";

  if (!r.checks.empty()) {
    out << "\nchecks\n";
    size_t quiet = 0;
    for (const auto& c : r.checks) {
      bool named = false;
      for (const auto& e : s.expect) named |= e.kind == Expectation::Kind::check && e.check == c.name;
      if (c.holds() && !named) {
        ++quiet;
        continue;
      }
      char head[64];
      std::snprintf(head, sizeof head, "  %-22s", c.name.c_str());
      out << head << (c.holds() ? "nothing found" : std::to_string(c.count) + " found") << "\n";
      for (const auto& ex : c.examples) out << "      " << ex.explanation << "\n";
      if (c.count > c.examples.size()) out << "      ... and " << c.count - c.examples.size() << " more\n";
    }
    if (quiet > 0) out << "  (the other " << quiet << " checks found nothing)\n";
  }

  out << "\nexpectations\n";
  if (r.expectations.empty()) out << "  (none)\n";
  for (const auto& e : r.expectations) {
    const char* mark = !e.judged ? "----" : e.passed ? "PASS" : "FAIL";
    out << "  " << mark << "  " << e.expectation.str();
    if (!e.judged) {
      out << ": " << e.seen << "\n";
    } else if (e.passed) {
      out << "  (seen: " << e.seen << ")\n";
    } else {
      out << "\n          expected: " << e.expectation.str() << "\n          seen:     " << e.seen << "\n";
    }
    if (!e.expectation.note.empty() && e.judged) out << "          " << e.expectation.note << "\n";
  }
  return out.str();
}

nlohmann::ordered_json result_json(const Scenario& s, const RunResult& r, int exit_code, const std::string& reproduce) {
  using J = nlohmann::ordered_json;
  J j;
  j["scenario"] = s.name;
  j["source"] = s.source;
  j["seed"] = r.seed;
  j["run_until_ms"] = s.run_until_ms;
  j["ran_until_ms"] = r.ran_until_ms;
  j["cut_short"] = r.cut_short;
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(r.trace_hash));
  j["trace_hash"] = hash;
  j["events"] = r.events;
  J parts = J::array();
  for (const auto& p : r.partitions) {
    J pj;
    pj["partition"] = p.tp.str();
    pj["leader"] = p.leader < 0 ? J(nullptr) : J(broker_name(p.leader));
    pj["leader_epoch"] = p.leader_epoch.value;
    pj["isr"] = p.isr;
    pj["replicas"] = p.replicas;
    J brokers = J::array();
    for (const auto& b : p.brokers) {
      J bj;
      bj["broker"] = broker_name(b.broker);
      bj["running"] = b.running;
      if (b.running && b.has_replica) {
        bj["role"] = b.role;
        bj["leo"] = b.leo.value;
        bj["hw"] = b.hw.value;
      }
      brokers.push_back(bj);
    }
    pj["brokers"] = brokers;
    parts.push_back(pj);
  }
  j["partitions"] = parts;
  J clients = J::array();
  for (const auto& c : r.clients) {
    J cj = c.consumer() ? J{{"id", c.id}, {"type", c.type}, {"polls", c.polls},
                            {"polled_records", c.polled_records}, {"processed", c.processed},
                            {"committed", c.commits}, {"failed_commits", c.failed_commits},
                            {"errors", c.errors}}
                        : J{{"id", c.id}, {"type", c.type}, {"sent", c.sent}, {"acked", c.acked},
                            {"failed", c.failed}, {"errors", c.errors}};
    if (!c.fatal_error.empty()) cj["fatal"] = J{{"error", c.fatal_error}, {"config", c.fatal_config},
                                                {"at_ms", static_cast<double>(c.fatal_at.us) / 1000.0}};
    clients.push_back(std::move(cj));
  }
  j["clients"] = clients;
  J nodes = J::array();
  for (const auto& n : r.nodes)
    nodes.push_back({{"name", n.name}, {"running", n.running}, {"paused", n.paused}, {"incarnation", n.incarnation}});
  j["nodes"] = nodes;
  J checks = J::array();
  for (const auto& c : r.checks) {
    J examples = J::array();
    for (const auto& ex : c.examples) examples.push_back(ex.explanation);
    checks.push_back({{"name", c.name}, {"holds", c.holds()}, {"count", c.count}, {"examples", examples}});
  }
  j["checks"] = checks;
  J expectations = J::array();
  for (const auto& e : r.expectations)
    expectations.push_back({{"path", e.expectation.path},
                            {"expected", e.expectation.str()},
                            {"judged", e.judged},
                            {"passed", e.judged && e.passed},
                            {"seen", e.seen}});
  j["expectations"] = expectations;
  j["exit_code"] = exit_code;
  j["reproduce"] = reproduce;
  return j;
}

}  // namespace ksim::scenarios
