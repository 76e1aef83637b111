#include "core/client/probe_producer.h"

#include "core/base/assert.h"

namespace ksim {

ProbeProducer::ProbeProducer(Env& env, ProbeProducerConfig config)
    : env_(env), config_(std::move(config)), tracker_(env, kRequestTimeout) {
  KSIM_ASSERT(!config_.bootstrap.empty());
}

RecordId ProbeProducer::send(const TopicPartition& tp) {
  const RecordId id = make_record_id(env_.self(), sends_++);
  outcomes_.push_back(Outcome{id, tp});
  queue_.push_back(outcomes_.size() - 1);
  env_.trace(trace::ProducerSend{id, tp.topic, tp.partition, "", false, 1});
  pump();
  return id;
}

size_t ProbeProducer::acked() const {
  size_t n = 0;
  for (const auto& o : outcomes_) n += o.completed && o.error == Errc::none;
  return n;
}

size_t ProbeProducer::failed() const {
  size_t n = 0;
  for (const auto& o : outcomes_) n += o.completed && o.error != Errc::none;
  return n;
}

void ProbeProducer::pump() {
  if (busy_ || queue_.empty()) return;
  const Outcome& head = outcomes_[queue_.front()];
  if (!leaders_.count(head.tp)) {
    refresh_metadata();
    return;
  }
  produce_head();
}

void ProbeProducer::refresh_metadata() {
  busy_ = true;
  MetadataRequest req;
  req.all_topics = true;
  const NodeId to = config_.bootstrap[next_bootstrap_++ % config_.bootstrap.size()];
  tracker_.send(to, std::move(req), millis(config_.request_timeout_ms), [this](const Message* response, Errc) {
    busy_ = false;
    if (!response) {
      env_.set_timer(millis(config_.retry_backoff_ms), kRetry);
      return;
    }
    const auto& r = std::get<MetadataResponse>(*response);
    std::map<int32_t, NodeId> nodes;
    for (const auto& b : r.brokers) nodes[b.id.value] = b.node;
    leaders_.clear();
    for (const auto& t : r.topics)
      for (const auto& p : t.partitions)
        if (p.error == Errc::none && nodes.count(p.leader.value))
          leaders_[TopicPartition{t.name, p.partition}] = nodes[p.leader.value];
    if (queue_.empty()) return;
    if (leaders_.count(outcomes_[queue_.front()].tp)) {
      produce_head();
    } else {
      env_.set_timer(millis(config_.retry_backoff_ms), kRetry);  // no leader yet
    }
  });
}

void ProbeProducer::produce_head() {
  busy_ = true;
  const Outcome& head = outcomes_[queue_.front()];
  ProduceRequest req;
  req.acks = config_.acks;
  req.timeout_ms = config_.request_timeout_ms;
  RecordBatch batch;
  batch.records.push_back(Record{head.record, "", false, config_.value_bytes, env_.now().ms()});
  req.partitions.push_back({head.tp, std::move(batch)});
  const NodeId leader = leaders_.at(head.tp);
  if (config_.acks == Acks::none) {
    // Fire and forget: the send "succeeds" once written to the socket.
    env_.send(leader, std::move(req));
    complete_head(Errc::none, Offset(-1));
    return;
  }
  ++attempts_;
  tracker_.send(leader, std::move(req), millis(config_.request_timeout_ms), [this](const Message* response, Errc error) {
    busy_ = false;
    Errc result = error;
    Offset offset{-1};
    if (response) {
      const auto& r = std::get<ProduceResponse>(*response);
      KSIM_ASSERT(r.partitions.size() == 1);
      result = r.partitions[0].error;
      offset = r.partitions[0].base_offset;
    }
    if (result == Errc::none) {
      complete_head(Errc::none, offset);
      return;
    }
    if (is_invalid_metadata(result) || result == Errc::network_exception || result == Errc::request_timed_out)
      leaders_.erase(outcomes_[queue_.front()].tp);
    if (is_retriable(result) && attempts_ <= config_.retries) {
      env_.set_timer(millis(config_.retry_backoff_ms), kRetry);
      return;
    }
    complete_head(result, Offset(-1));
  });
}

void ProbeProducer::complete_head(Errc error, Offset offset) {
  busy_ = false;
  attempts_ = 0;
  Outcome& o = outcomes_[queue_.front()];
  queue_.pop_front();
  o.completed = true;
  o.error = error;
  o.offset = offset;
  if (error == Errc::none)
    env_.trace(trace::ProducerAcked{o.record, o.tp.topic, o.tp.partition, offset});
  else
    env_.trace(trace::ProducerFailed{o.record, o.tp.topic, o.tp.partition, std::string(error_name(error))});
  pump();
}

void ProbeProducer::on_message(NodeId from, ConnectionId, const Message& msg) { tracker_.on_response(from, msg); }

void ProbeProducer::on_timer(TimerId id, TimerTag tag) {
  if (tag == kRequestTimeout) {
    tracker_.on_timer(id);
  } else {
    pump();
  }
}

void ProbeProducer::on_connection_lost(NodeId peer) { tracker_.on_connection_lost(peer); }

}  // namespace ksim
