// Reducers of the broker-side idempotent producer events. They change no drawn
// state yet: the events show in the event list and the timeline as they are.
#include "viz/model/reducers.h"

namespace ksim::viz {

void reduce(ClusterState&, const EventContext&, const trace::ProduceDuplicate&) {}
void reduce(ClusterState&, const EventContext&, const trace::ProduceRejectedSequence&) {}
void reduce(ClusterState&, const EventContext&, const trace::ProducerIdBlockAllocated&) {}
void reduce(ClusterState&, const EventContext&, const trace::ProducerIdAllocated&) {}

}  // namespace ksim::viz
