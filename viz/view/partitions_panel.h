#pragma once
// The Partitions panel: for each partition, the controller's view (leader,
// leader epoch, partition epoch, ISR, ELR, a pending AlterPartition) and one
// horizontal log per replica. Each record is a cell at its offset, coloured by
// the leader epoch of its batch (or by producer), numbered by the producer's
// send count so the same record lines up across replicas and a diverged one
// does not; records at or above the replica's HW are pale (not committed). HW
// and LEO are labelled markers; the leader and ISR members are marked beside
// each log with the replica's epoch cache. The last truncation is drawn under
// the log as struck-through cells, flashing when it has just happened. A
// record that was acknowledged and is lost by the end of the run has a red
// outline. Click a cell to follow the record in the inspector.
#include <map>

#include "viz/view/panel.h"

namespace ksim::viz {

class PartitionsPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);

 private:
  void draw_partition(PanelContext& ctx, const PartitionState& p);

  std::map<TopicPartition, float> heights_;  // each partition's height when last drawn
};

}  // namespace ksim::viz
