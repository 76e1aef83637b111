#include "core/protocol/topic_name.h"

#include <ostream>

namespace ksim {

TopicName::Rep::Rep(std::string_view t) : text(t) {
  for (size_t i = 0; i < kPrefixBytes; ++i)
    prefix = (prefix << 8) | (i < t.size() ? static_cast<unsigned char>(t[i]) : 0u);
}

TopicName::Rep* TopicName::make_rep(std::string_view text) { return text.empty() ? nullptr : new Rep(text); }

std::ostream& operator<<(std::ostream& out, const TopicName& name) { return out << name.view(); }

}  // namespace ksim
