#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace ocellus::auth {

// A map with a bound on its entries: inserting into a full map drops the least recently used
// entry. find() and put() count as a use. Not thread-safe; the owner guards it.
template <typename K, typename V, typename Hash = std::hash<K>>
class LruMap {
 public:
  explicit LruMap(std::size_t maxEntries) : maxEntries_(maxEntries < 1 ? 1 : maxEntries) {}

  // The value for key, marked as just used; nullptr when absent. Valid until the next put/erase.
  V* find(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Inserts or replaces; evicts the least recently used entry when the map is full.
  V& put(const K& key, V value) {
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    if (index_.size() >= maxEntries_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  bool erase(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    order_.erase(it->second);
    index_.erase(it);
    return true;
  }

  std::size_t size() const { return index_.size(); }
  std::size_t maxEntries() const { return maxEntries_; }

 private:
  std::size_t maxEntries_;
  std::list<std::pair<K, V>> order_;  // most recently used first
  std::unordered_map<K, typename std::list<std::pair<K, V>>::iterator, Hash> index_;
};

}  // namespace ocellus::auth
