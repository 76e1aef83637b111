#include "viz/view/cluster_layout.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/topology.hpp>
#include <cmath>

namespace ksim::viz {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using Point = boost::square_topology<>::point_type;

int role_rank(NodeRole r) {
  switch (r) {
    case NodeRole::controller: return 0;
    case NodeRole::broker: return 1;
    case NodeRole::consumer: return 2;
    case NodeRole::producer: return 3;
    case NodeRole::other: return 4;
  }
  return 5;
}

}  // namespace

std::vector<UnitPoint> layout_cluster(const ReplayModel& model) {
  const size_t n = model.header().nodes.size();
  std::vector<UnitPoint> out(n);
  if (n <= 1) return out;

  // Vertex v is node order[v]: by role, then by id.
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return role_rank(model.nodes().role(NodeId(a))) < role_rank(model.nodes().role(NodeId(b)));
  });

  Graph g(n);
  for (const auto& [a, b] : model.index().pairs()) boost::add_edge(a, b, g);
  std::vector<Point> pos(n);
  boost::circle_graph_layout(g, boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g)), 0.5);

  // circle_graph_layout puts vertex k at angle 2*pi*k/n from the +x axis; the
  // k-th node in role order takes vertex k's place, turned a quarter so the
  // first is at the top.
  for (size_t k = 0; k < n; ++k) {
    const double x = pos[k][0], y = pos[k][1];
    out[order[k]] = UnitPoint{0.5 + y, 0.5 - x};  // rotate by -90 degrees (screen y grows down)
  }
  // Two nodes: side by side rather than one above the other.
  if (n == 2) out = {UnitPoint{0.0, 0.5}, UnitPoint{1.0, 0.5}};
  // Stretch to fill the unit square.
  double min_x = 1e9, max_x = -1e9, min_y = 1e9, max_y = -1e9;
  for (const UnitPoint& p : out) {
    min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
  }
  for (UnitPoint& p : out) {
    p.x = max_x - min_x > 1e-9 ? (p.x - min_x) / (max_x - min_x) : 0.5;
    p.y = max_y - min_y > 1e-9 ? (p.y - min_y) / (max_y - min_y) : 0.5;
  }
  return out;
}

}  // namespace ksim::viz
