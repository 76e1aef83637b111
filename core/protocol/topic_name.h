#pragma once
// TopicName: a topic's name as an immutable, shared string; the topic half of
// TopicPartition.
//
// Why not std::string: a TopicPartition is copied into every request and
// response entry, every parked fetch and every map key, and compared on every
// partition lookup. "__consumer_offsets" (18 characters) is past libstdc++'s
// 15-character small-string buffer, so each copy of a std::string name
// allocates and each comparison runs memcmp; with 50 offsets partitions in
// every follower fetch, that was ~15% of a run in malloc/free alone.
//
// Design:
//   - One heap block per name made from text: a reference count and the
//     std::string. Copies share the block (an atomic increment, no
//     allocation); the last copy frees it. The text never changes after
//     construction, so sharing is invisible to every reader.
//   - The count is atomic because a name may be copied on several threads at
//     once (`ksim explore --jobs` runs simulations on threads of one process;
//     a scenario-level name may be shared). There is no global pool, interning
//     or other process-wide state: a name's identity is only the copies made
//     of it, so nothing depends on what ran before in the process.
//   - Equality and ordering are by content, exactly std::string's
//     (lexicographic by unsigned char, then length; Kafka sorts partitions by
//     topic name, then number, and map iteration order reaches the trace), with
//     two shortcuts: two copies of the same block are equal at once, without
//     reading the text; and the block keeps the first 8 bytes as a big-endian
//     number (zero-padded), so two different names mostly differ there ("orders"
//     vs "__consumer_offsets") and a name of at most 8 bytes never needs
//     memcmp. Padding with zeros keeps the order: where the numbers differ the
//     first differing byte is a real byte of the name that is longer at that
//     point, so the numbers order as the texts do; where they are equal and one
//     name has at most 8 bytes, it is a prefix of the other and the lengths
//     decide. Pointer values only ever pick the first shortcut; no result
//     depends on them. Names sharing a block are the common case on hot paths
//     because hot paths copy a stored name (a partition's, a metadata
//     record's) instead of rebuilding it from text; the controller makes one
//     block per topic and every metadata record, broker map key, request and
//     response entry copies it.
//   - The default name is the empty string and holds no block; so does a
//     moved-from name.
//   - Reads as std::string: str(), an implicit conversion to const
//     std::string&, view(), and comparisons with std::string, std::string_view
//     and C strings, so code written against a std::string topic mostly
//     compiles unchanged.
#include <algorithm>
#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace ksim {

class TopicName {
 public:
  TopicName() noexcept = default;
  TopicName(std::string_view text) : rep_(make_rep(text)) {}                          // NOLINT: implicit by design
  TopicName(const std::string& text) : TopicName(std::string_view(text)) {}         // NOLINT
  TopicName(const char* text) : TopicName(std::string_view(text)) {}                 // NOLINT

  TopicName(const TopicName& other) noexcept : rep_(other.rep_) { retain(); }
  TopicName(TopicName&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  TopicName& operator=(const TopicName& other) noexcept {
    if (rep_ != other.rep_) {
      other.retain();
      release();
      rep_ = other.rep_;
    }
    return *this;
  }
  TopicName& operator=(TopicName&& other) noexcept {
    if (this != &other) {
      release();
      rep_ = std::exchange(other.rep_, nullptr);
    }
    return *this;
  }
  ~TopicName() { release(); }

  const std::string& str() const noexcept { return rep_ ? rep_->text : empty_text(); }
  operator const std::string&() const noexcept { return str(); }  // NOLINT: implicit by design
  std::string_view view() const noexcept { return str(); }
  const char* c_str() const noexcept { return str().c_str(); }
  size_t size() const noexcept { return rep_ ? rep_->text.size() : 0; }
  bool empty() const noexcept { return rep_ == nullptr; }

  // True when both are copies of one block (so certainly equal). For tests
  // and diagnostics; comparisons already take this shortcut.
  bool shares_with(const TopicName& other) const noexcept { return rep_ == other.rep_; }

  friend bool operator==(const TopicName& a, const TopicName& b) noexcept {
    if (a.rep_ == b.rep_) return true;
    const size_t size = a.size();
    if (size != b.size() || a.prefix() != b.prefix()) return false;
    return size <= kPrefixBytes ||
           std::char_traits<char>::compare(a.rep_->text.data() + kPrefixBytes, b.rep_->text.data() + kPrefixBytes,
                                           size - kPrefixBytes) == 0;
  }
  friend std::strong_ordering operator<=>(const TopicName& a, const TopicName& b) noexcept {
    if (a.rep_ == b.rep_) return std::strong_ordering::equal;
    if (a.prefix() != b.prefix()) return a.prefix() <=> b.prefix();
    const size_t a_size = a.size(), b_size = b.size();
    if (a_size > kPrefixBytes && b_size > kPrefixBytes) {
      const int c = std::char_traits<char>::compare(a.rep_->text.data() + kPrefixBytes,
                                                    b.rep_->text.data() + kPrefixBytes,
                                                    std::min(a_size, b_size) - kPrefixBytes);
      if (c != 0) return c <=> 0;
    }
    return a_size <=> b_size;
  }
  // Against plain text: one overload per kind of string, so that neither side
  // needs a conversion and no call is ambiguous.
  friend bool operator==(const TopicName& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const TopicName& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const TopicName& a, const char* b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const TopicName& a, std::string_view b) noexcept { return a.view() <=> b; }
  friend std::strong_ordering operator<=>(const TopicName& a, const std::string& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const TopicName& a, const char* b) noexcept {
    return a.view() <=> std::string_view(b);
  }

  // Concatenation as with a std::string ("orders" + "-" + ...).
  friend std::string operator+(const TopicName& a, std::string_view b) { return std::string(a.view()).append(b); }
  friend std::string operator+(const TopicName& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const TopicName& a, const char* b) { return a.str() + b; }
  friend std::string operator+(const TopicName& a, char b) { return a.str() + b; }
  friend std::string operator+(std::string_view a, const TopicName& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const std::string& a, const TopicName& b) { return a + b.str(); }
  friend std::string operator+(std::string&& a, const TopicName& b) { return std::move(a.append(b.view())); }
  friend std::string operator+(const char* a, const TopicName& b) { return a + b.str(); }

  friend std::ostream& operator<<(std::ostream& out, const TopicName& name);

 private:
  static constexpr size_t kPrefixBytes = 8;

  struct Rep {
    explicit Rep(std::string_view t);
    std::atomic<uint32_t> refs{1};
    uint64_t prefix = 0;  // the first kPrefixBytes bytes, big-endian, zero-padded
    const std::string text;
  };

  // Out of line: making a name from text is the rare, allocating case (and a
  // profile names its callers).
  static Rep* make_rep(std::string_view text);
  static const std::string& empty_text() noexcept {
    static const std::string empty;
    return empty;
  }
  uint64_t prefix() const noexcept { return rep_ ? rep_->prefix : 0; }
  void retain() const noexcept {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete rep_;
  }

  Rep* rep_ = nullptr;
};

}  // namespace ksim

template <>
struct std::hash<ksim::TopicName> {
  size_t operator()(const ksim::TopicName& name) const noexcept { return std::hash<std::string_view>{}(name.view()); }
};
