#include "scenario_lib/clients/producer_workload.h"

#include <cmath>

#include "core/producer/kafka_producer.h"
#include "scenario_lib/format/key_pattern.h"

namespace ksim::scenarios {

namespace {
// How often the application looks again while the producer is down or it waits
// on a restart it has not noticed.
constexpr Duration kRecheck = millis(10);
}  // namespace

ProducerWorkload::ProducerWorkload(Simulation& sim, NodeId node, Workload workload, SimTime end)
    : sim_(sim), node_(node), w_(std::move(workload)), end_(end) {
  if (w_.key) key_.emplace(*w_.key);
}

SimTime ProducerWorkload::due(int64_t i) const {
  const double offset_us = std::floor(static_cast<double>(i) * 1e6 / w_.rate_per_s);
  return SimTime::from_ms(w_.start_ms) + micros(static_cast<int64_t>(offset_us));
}

void ProducerWorkload::start() {
  incarnation_seen_ = sim_.incarnation(node_);
  if (w_.messages > 0) schedule(due(0));
}

void ProducerWorkload::schedule(SimTime at) {
  if (at > end_) return;
  if (scheduled_ && *scheduled_ <= at && *scheduled_ >= sim_.now()) return;  // an earlier tick will look
  scheduled_ = at;
  sim_.at(at, [this, at] {
    if (scheduled_ && *scheduled_ == at) scheduled_.reset();
    tick();
  });
}

void ProducerWorkload::check_restart() {
  const int32_t inc = sim_.incarnation(node_);
  if (inc == incarnation_seen_) return;
  incarnation_seen_ = inc;
  // Sends made to an earlier instance will never complete: the application
  // never hears whether they were written.
  for (Message& m : messages_) {
    if (m.settled || !m.waiting || m.incarnation == inc) continue;
    *m.waiting = false;
    m.waiting.reset();
    --outstanding_;
    if (m.resends < w_.resend_on_failure) {
      ++m.resends;
      resend_queue_.push_back(m.index);
    } else {
      m.settled = true;
    }
  }
}

void ProducerWorkload::tick() {
  const SimTime now = sim_.now();
  if (!sim_.is_running(node_) || sim_.is_paused(node_)) {
    schedule(now + kRecheck);
    return;
  }
  check_restart();
  // Re-sends first: the application retries what failed before moving on.
  while (!resend_queue_.empty() && (!w_.sync || outstanding_ == 0)) {
    const int64_t i = resend_queue_.front();
    resend_queue_.erase(resend_queue_.begin());
    send(messages_[static_cast<size_t>(i)]);
  }
  while (next_ < w_.messages && due(next_) <= now && (!w_.sync || outstanding_ == 0) && resend_queue_.empty()) {
    Message m;
    m.index = next_;
    messages_.push_back(std::move(m));
    ++next_;
    send(messages_.back());
  }
  if (next_ < w_.messages && (!w_.sync || outstanding_ == 0)) schedule(std::max(due(next_), now));
  // Outstanding sends to a producer that may restart: look again later.
  if (outstanding_ > 0 || !resend_queue_.empty()) schedule(now + (w_.sync ? kRecheck * 10 : kRecheck * 10));
}

void ProducerWorkload::send(Message& m) {
  std::optional<std::string> key =
      key_ ? std::optional<std::string>(key_->expand(m.index)) : std::nullopt;
  const std::optional<PartitionId> partition =
      w_.partition_set ? std::optional<PartitionId>(PartitionId(w_.partition)) : std::nullopt;
  auto token = std::make_shared<bool>(true);
  m.waiting = token;
  m.incarnation = sim_.incarnation(node_);
  ++outstanding_;
  const int64_t index = m.index;
  auto callback = [this, index, token](const producer::RecordMetadata&, Errc error) {
    if (!*token) return;
    const bool ok = error == Errc::none;
    sim_.at(sim_.now(), [this, index, token, ok] {
      if (*token) on_outcome(index, ok);
    });
  };
  producer::DeliveryHandle handle;
  const auto call = [&](Node& n) {
    handle = static_cast<producer::KafkaProducer&>(n).send(w_.topic, std::move(key), partition, std::move(callback),
                                                          w_.value_bytes, m.record);
  };
  // One reference captured: the std::function holds it without allocating.
  sim_.invoke(node_, [&call](Node& n) { call(n); });
  m.record = handle.record();
}

void ProducerWorkload::on_outcome(int64_t index, bool ok) {
  Message& m = messages_[static_cast<size_t>(index)];
  *m.waiting = false;
  m.waiting.reset();
  --outstanding_;
  if (ok) {
    m.settled = true;
  } else if (m.resends < w_.resend_on_failure) {
    ++m.resends;
    resend_queue_.push_back(index);
  } else {
    m.settled = true;
  }
  tick();
}

}  // namespace ksim::scenarios
