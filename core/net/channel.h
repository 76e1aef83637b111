#pragma once
// Channel: which of a node's connections to a peer a request travels on.
#include <cstdint>

namespace ksim {

// The broker's channels to the controller are BrokerServer's
// NodeToControllerChannelManagers.
enum class Channel : uint8_t {
  main,             // a client's connection to a broker; a broker's fetcher to a leader
  coordinator,      // a consumer's own connection to its group coordinator
                    // (AbstractCoordinator: node id Integer.MAX_VALUE - coordinator id)
  heartbeat,        // broker -> controller, "heartbeat": BrokerLifecycleManager's registration and heartbeats
  raft,             // broker -> controller: the metadata log fetch (KafkaRaftClient's own NetworkClient)
  alter_partition,  // broker -> controller, "alter-partition": AlterPartitionManager
  forwarding,       // broker -> controller, "forwarding": auto-created topics, ProducerIdManager.rpc
};

}  // namespace ksim
