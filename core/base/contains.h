#pragma once
// contains: whether a replica list (or any list of broker ids) holds an id.
// One definition for every file (a unity build puts several in one compile).
#include <algorithm>
#include <cstdint>
#include <vector>

namespace ksim {

inline bool contains(const std::vector<int32_t>& ids, int32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace ksim
