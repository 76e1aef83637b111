#include "core/broker/broker_config.h"

namespace ksim {

std::string_view truncation_mode_name(TruncationMode m) {
  switch (m) {
    case TruncationMode::high_watermark: return "high-watermark";
    case TruncationMode::leader_epoch_v0: return "leader-epoch-v0";
    case TruncationMode::leader_epoch: return "leader-epoch";
  }
  return "?";
}

}  // namespace ksim
