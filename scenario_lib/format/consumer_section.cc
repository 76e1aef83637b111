#include "scenario_lib/format/consumer_section.h"

#include <algorithm>

#include "core/base/suggest.h"
#include "scenario_lib/format/scenario.h"
#include "scenario_lib/format/scenario_loader.h"

namespace ksim::scenarios {

namespace {

std::string join(const std::string& path, std::string_view key) { return path + "." + std::string(key); }

std::optional<TopicPartition> parse_tp(const std::string& s) {
  const size_t dash = s.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= s.size()) return std::nullopt;
  int32_t p = 0;
  for (size_t i = dash + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || p > 100000000) return std::nullopt;
    p = p * 10 + (s[i] - '0');
  }
  return TopicPartition{s.substr(0, dash), PartitionId(p)};
}

// A config value as Kafka's properties would hold it.
std::optional<std::string> as_property(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) {
      if (!x.is_string()) return std::nullopt;
      out += (out.empty() ? "" : ",") + x.get<std::string>();
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace

void load_consumer_client(const Json& v, const std::string& path, const Scenario& s, ConsumerClientSpec& out,
                          std::vector<InputError>& errors) {
  auto error = [&](const std::string& p, std::string m) { errors.push_back({p, std::move(m)}); };
  auto topic_known = [&](const std::string& t) { return s.topic(t) != nullptr; };
  auto unknown_topic = [&](const std::string& p, const std::string& t) {
    std::vector<std::string> names;
    for (const auto& x : s.topics) names.push_back(x.name);
    error(p, "unknown topic \"" + t + "\"" + did_you_mean(t, names));
  };
  bool auto_commit_set = false;
  if (auto it = v.find("config"); it != v.end()) {
    const std::string cp = join(path, "config");
    if (!it->is_object()) {
      error(cp, "expected an object, got " + json_brief(*it));
    } else {
      for (auto c = it->begin(); c != it->end(); ++c) {
        const std::string p = join(cp, c.key());
        if (c.key() == "bootstrap.servers") {
          if (!c->is_array()) {
            error(p, "expected a list of broker ids, got " + json_brief(*c));
            continue;
          }
          for (const auto& b : *c) {
            const auto id = json_int(b);
            if (!id || *id < 1 || *id > s.brokers)
              error(p, "expected broker ids 1.." + std::to_string(s.brokers) + ", got " + json_brief(b));
            else
              out.bootstrap_servers.push_back(static_cast<int32_t>(*id));
          }
          continue;
        }
        const auto value = as_property(*c);
        if (!value) {
          error(p, "expected a string, number or boolean, got " + json_brief(*c));
          continue;
        }
        if (std::string problem = set_consumer_config(out.config, c.key(), *value); !problem.empty()) error(p, problem);
        auto_commit_set |= c.key() == "enable.auto.commit";
      }
    }
  }
  const std::string wp = join(path, "workload");
  auto wit = v.find("workload");
  if (wit == v.end() || !wit->is_object()) {
    error(wp, wit == v.end() ? "required: what the consumer reads ({\"subscribe\": [\"orders\"]})"
                             : "expected an object, got " + json_brief(*wit));
    return;
  }
  const Json& w = *wit;
  static constexpr std::string_view kKeys[] = {"subscribe", "assign", "processing_ms", "commit",
                                               "commit_on_revoke", "poll_timeout_ms", "start_ms"};
  for (auto k = w.begin(); k != w.end(); ++k)
    if (std::find(std::begin(kKeys), std::end(kKeys), k.key()) == std::end(kKeys))
      error(join(wp, k.key()), "unknown key" + did_you_mean(k.key(), std::span<const std::string_view>(kKeys)));
  ConsumerWorkload& wl = out.workload;
  if (auto it = w.find("subscribe"); it != w.end()) {
    if (!it->is_array() || it->empty()) error(join(wp, "subscribe"), "expected a list of topic names");
    else
      for (const auto& t : *it) {
        if (!t.is_string()) { error(join(wp, "subscribe"), "expected topic names, got " + json_brief(t)); continue; }
        if (!topic_known(t.get<std::string>())) unknown_topic(join(wp, "subscribe"), t.get<std::string>());
        wl.topics.push_back(t.get<std::string>());
      }
  }
  if (auto it = w.find("assign"); it != w.end()) {
    if (!it->is_array() || it->empty()) error(join(wp, "assign"), "expected a list of partitions (\"orders-0\")");
    else
      for (const auto& t : *it) {
        const auto tp = t.is_string() ? parse_tp(t.get<std::string>()) : std::nullopt;
        if (!tp) { error(join(wp, "assign"), "expected \"topic-partition\", got " + json_brief(t)); continue; }
        const auto* topic = s.topic(tp->topic);
        if (!topic) unknown_topic(join(wp, "assign"), tp->topic);
        else if (tp->partition.value >= topic->partitions)
          error(join(wp, "assign"), tp->topic + " has " + std::to_string(topic->partitions) + " partitions");
        wl.partitions.push_back(*tp);
      }
  }
  if (wl.topics.empty() == wl.partitions.empty() && errors.empty())
    error(wp, "give exactly one of \"subscribe\" (a group) or \"assign\" (manual partitions)");
  if (!wl.topics.empty() && !out.config.group_id) error(join(path, "config"), "\"subscribe\" needs a group.id");
  if (auto it = w.find("processing_ms"); it != w.end()) {
    const std::string p = join(wp, "processing_ms");
    if (auto ms = json_int(*it); ms && it->is_number() && *ms >= 0) {
      wl.processing.fixed = millis(*ms);
    } else if (it->is_object() && it->contains("uniform")) {
      const Json& u = (*it)["uniform"];
      int64_t lo = -1, hi = -1;
      if (u.is_array() && u.size() == 2) {
        lo = json_int(u[0]).value_or(-1);
        hi = json_int(u[1]).value_or(-1);
      }
      if (lo < 0 || hi < lo) {
        error(p, "uniform: expected [min, max] with 0 <= min <= max");
      } else {
        wl.processing.kind = ProcessingTime::Kind::uniform;
        wl.processing.min = millis(lo);
        wl.processing.max = millis(hi);
      }
    } else if (it->is_object() && it->contains("exponential_mean")) {
      auto mean = json_int((*it)["exponential_mean"]);
      if (!mean || *mean < 0) error(p, "exponential_mean: expected an integer >= 0");
      else { wl.processing.kind = ProcessingTime::Kind::exponential; wl.processing.mean = millis(*mean); }
    } else {
      error(p, "expected milliseconds (10), {\"uniform\": [min, max]} or {\"exponential_mean\": ms}, got " + json_brief(*it));
    }
  }
  if (auto it = w.find("commit"); it != w.end()) {
    const auto policy = it->is_string() ? parse_commit_policy(it->get<std::string>()) : std::nullopt;
    if (!policy) {
      error(join(wp, "commit"), "expected auto, after_poll, before_processing or per_record, got " + json_brief(*it));
    } else {
      wl.commit = *policy;
      if (!auto_commit_set) out.config.enable_auto_commit = it->get<std::string>() == "auto";
    }
  }
  if (auto it = w.find("commit_on_revoke"); it != w.end()) {
    if (auto b = json_bool(*it)) wl.commit_on_revoke = *b;
    else error(join(wp, "commit_on_revoke"), "expected true or false");
  }
  if (auto it = w.find("poll_timeout_ms"); it != w.end()) {
    auto ms = json_int(*it);
    if (!ms || *ms < 1 || *ms > 600000) error(join(wp, "poll_timeout_ms"), "expected an integer from 1 to 600000");
    else wl.poll_timeout_ms = static_cast<int32_t>(*ms);
  }
  if (auto it = w.find("start_ms"); it != w.end()) {
    auto ms = json_int(*it);
    if (!ms || *ms < 0) error(join(wp, "start_ms"), "expected an integer >= 0");
    else wl.start_ms = *ms;
  }
  if (std::string problem = out.config.validate(); !problem.empty()) error(join(path, "config"), problem);
}

}  // namespace ksim::scenarios
