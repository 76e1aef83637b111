#include "core/metadata/metadata_image.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/base/overloaded.h"

namespace ksim {

void MetadataImage::apply(const MetadataRecord& record, int64_t offset) {
  KSIM_ASSERT_MSG(offset > offset_, "metadata records apply in log order");
  offset_ = offset;
  std::visit(Overloaded{
                 [&](const RegisterBrokerRecord& r) {
                   brokers_[r.broker.value] = BrokerInfo{r.broker, r.broker_epoch, r.node, r.rack, true, false};
                 },
                 [&](const BrokerRegistrationChangeRecord& r) {
                   auto it = brokers_.find(r.broker.value);
                   KSIM_ASSERT_MSG(it != brokers_.end(), "change of unregistered broker " << r.broker.value);
                   if (it->second.epoch != r.broker_epoch) return;  // about an older registration
                   it->second.fenced = r.fenced;
                   it->second.in_controlled_shutdown = r.in_controlled_shutdown;
                 },
                 [&](const TopicRecord& r) { topics_[r.name] = r; },
                 [&](const PartitionRecord& r) {
                   partitions_[TopicPartition{r.topic, r.partition}] = r;
                   // Kafka's TopicRecord has no partition count (TopicImage counts its
                   // partitions); ksim's records the count at creation, and a
                   // PartitionRecord past it is a partition added by CreatePartitions.
                   auto t = topics_.find(r.topic);
                   if (t != topics_.end()) t->second.partitions = std::max(t->second.partitions, r.partition.value + 1);
                 },
                 [&](const ProducerIdsRecord& r) {
                   // ProducerIdControlManager.replay: blocks only move forward.
                   KSIM_ASSERT_MSG(r.next_producer_id > next_producer_id_,
                                   "producer id block went back from " << next_producer_id_.value << " to "
                                                                       << r.next_producer_id.value);
                   next_producer_id_ = r.next_producer_id;
                 },
             },
             record);
}

const BrokerInfo* MetadataImage::broker(BrokerId id) const {
  auto it = brokers_.find(id.value);
  return it == brokers_.end() ? nullptr : &it->second;
}

const TopicRecord* MetadataImage::topic(const std::string& name) const {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : &it->second;
}

const PartitionRecord* MetadataImage::partition(const TopicPartition& tp) const {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : &it->second;
}

bool MetadataImage::is_active(BrokerId id) const {
  const BrokerInfo* b = broker(id);
  return b && !b->fenced && !b->in_controlled_shutdown;
}

std::string MetadataImage::topic_config(const std::string& topic, const std::string& name,
                                        const std::string& fallback) const {
  const TopicRecord* t = this->topic(topic);
  if (!t) return fallback;
  auto it = t->configs.find(name);
  return it == t->configs.end() ? fallback : it->second;
}

}  // namespace ksim
