// Clearing (MODEL.md, One month, step 6): an English auction per talent, second price.
// Talents are processed in a fixed order (ability descending, then uid) so that the outcome
// does not depend on thread order; organisations that fill their vacancies or spend their
// cash drop out of later auctions in the same month. Power sums are those of the month's
// start (moves applies the changes), so a second hire in a month is valued on the same team.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include <omp.h>

#include "core/radix_sort.hpp"
#include "mercato/core/error.hpp"
#include "model/model.hpp"

namespace mercato {

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

// A thread waiting for another spins a while, then gives its core to others (when threads
// outnumber cores, the one it waits for may need it).
class Backoff {
 public:
  void wait() {
    if (++spins_ < 64) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    } else {
      std::this_thread::yield();
    }
  }
  void reset() {
    spins_ = 0;
  }

 private:
  int spins_ = 0;
};

// A talent's offers m.offers[begin, end).
struct OfferRange {
  std::uint32_t begin, end;
};

// The clearing order: ability descending (a positive float's bits order like the float), then
// uid ascending. A bidder is one 64-bit key, (~ability bits) << 32 | the index of its first
// offer: the offers are sorted by talent index, which follows uid, so the index breaks ties as
// the uid does, and where its offers end is the next talent's first offer, found in a bitmap
// of first offers (a bit per offer). Half the memory of a key with both ends, in the month's
// peak (bench/decisions/028).
class AuctionOrder {
 public:
  AuctionOrder(const World& w, const MonthState& m) {
    const auto& t = w.talents;
    const std::size_t n = m.offers.size();
    // The bitmap and the keys by blocks of 64 words, on the month's threads: each block's
    // keys go after the earlier blocks' (their counts first), so the keys come in order of
    // their first offer for any number of threads.
    constexpr std::size_t kBlockWords = 64;
    const std::size_t words = n / 64 + 1;
    const std::size_t blocks = (words + kBlockWords - 1) / kBlockWords;
    first_offer_.assign(words, 0);
    std::vector<std::size_t> block_keys(blocks + 1, 0);
#pragma omp parallel for schedule(static) num_threads(m.threads)
    for (std::size_t b = 0; b < blocks; ++b) {
      std::size_t count = 0;
      for (std::size_t word = b * kBlockWords; word < std::min(words, (b + 1) * kBlockWords);
           ++word) {
        std::uint64_t bits = 0;
        for (std::size_t j = word * 64; j < std::min(n, word * 64 + 64); ++j)
          if (j == 0 || m.offers[j].talent != m.offers[j - 1].talent)
            bits |= std::uint64_t{1} << (j % 64);
        first_offer_[word] = bits;
        count += static_cast<std::size_t>(std::popcount(bits));
      }
      block_keys[b + 1] = count;
    }
    for (std::size_t b = 0; b < blocks; ++b) block_keys[b + 1] += block_keys[b];
    first_offer_[n / 64] |= std::uint64_t{1} << (n % 64);  // where the last talent's offers end
    keys_.resize(block_keys[blocks]);
#pragma omp parallel for schedule(static) num_threads(m.threads)
    for (std::size_t b = 0; b < blocks; ++b) {
      std::size_t k = block_keys[b];
      for (std::size_t word = b * kBlockWords; word < std::min(words, (b + 1) * kBlockWords);
           ++word)
        for (std::uint64_t bits = first_offer_[word]; bits != 0; bits &= bits - 1) {
          const std::size_t j = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
          if (j == n) break;  // the end marker
          const std::uint32_t ability = std::bit_cast<std::uint32_t>(t.ability[m.offers[j].talent]);
          keys_[k++] = std::uint64_t{~ability} << 32 | j;
        }
    }
    // The keys come in order of their first offer, so a stable sort by ability alone gives
    // the order of the whole key with half the digits.
    radix_sort_by_key(
        keys_, [](std::uint64_t key) { return key >> 32; }, m.threads);
  }
  std::size_t size() const {
    return keys_.size();
  }
  std::uint32_t begin(std::size_t r) const {
    return static_cast<std::uint32_t>(keys_[r]);
  }
  OfferRange operator[](std::size_t r) const {
    const std::uint32_t first = begin(r);
    return {first, static_cast<std::uint32_t>(next_first_offer(first + std::size_t{1}))};
  }

 private:
  // The first talent's first offer at or after offer j (the number of offers after the last).
  std::size_t next_first_offer(std::size_t j) const {
    std::size_t word = j / 64;
    std::uint64_t bits = first_offer_[word] >> (j % 64) << (j % 64);
    while (bits == 0) bits = first_offer_[++word];
    return word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint64_t> first_offer_;
};

// What an employed talent's outside options would be worth without each policy that holds it
// back (a retention grant's equity, a non-compete's wait): when it stays but would have left
// without one, that event counts a departure avoided (MODEL.md, Metrics: per event).
struct Restraints {
  int grant_event = -1;
  double grant_left = 0;  // the grant's unvested part, part of `forfeited`
  int non_compete_event = -1;
  double wait_factor = 1;  // a non-compete's wait of N months costs N / (12 H) of the package
  double best_without_grant = kMinusInfinity, best_without_wait = kMinusInfinity;
  bool any() const { return grant_event >= 0 || non_compete_event >= 0; }
};

Restraints restraints_of(const World& w, const MonthState& m, std::uint32_t i) {
  Restraints r;
  const auto& t = w.talents;
  if (!t.employer[i].valid()) return r;
  const Region& region = w.regions[w.orgs.region[t.employer[i].index()].index()];
  if (region.non_compete_months > 0) {
    r.non_compete_event = region.non_compete_event;
    r.wait_factor =
        std::max(0.0, 1.0 - region.non_compete_months / (12.0 * w.params.vesting_years));
  }
  if (!w.policy.grants.empty()) {
    const auto it = w.policy.grants.find(t.uid[i]);
    if (it != w.policy.grants.end() && it->second.org == t.employer[i]) {
      r.grant_event = it->second.event;
      r.grant_left = std::min<double>(it->second.remaining(m.month), t.unvested[i]);
    }
  }
  return r;
}

// What is left of each organisation this month, one small record each, so that an offer's
// checks read one cache line rather than five columns. The auctions (one thread) write
// `committed` and `hired` while bidders are valued on other threads, which only read them:
// relaxed atomics (plain loads and stores on x86). They only grow, so an offer seen closed
// stays closed and a stale read sees one open that may since have closed, never the reverse.
struct Room {
  double cash_left = 0;                // payroll budget - payroll at the month's start
  std::atomic<double> committed{0.0};  // annual spend promised this month
  std::array<std::int32_t, kRoleCount> vacancies{0, 0};
  std::array<std::atomic<std::int32_t>, kRoleCount> hired{};
};

// Adds to a value only the auctions' thread writes.
template <class T>
void add_to(std::atomic<T>& value, T amount) {
  value.store(value.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

// What clearing has promised so far this month: each organisation's room and each
// offensive's package value. It only grows, so an offer closed at one point stays closed.
struct Promised {
  std::vector<Room> room;
  std::vector<std::atomic<double>> raid_committed;
};

// Offer j's willingness to pay capped by what is left (for an offensive's offer: of its
// budget, outside the vacancies), or -1 when it is closed: no vacancy left in role k, no
// cash, or (for an ordinary offer) less than the organisation's posted floor. The offer's wtp
// is min(value, max_offer, month-start cash); the cash left now is at most the month-start
// cash, so capping by it gives min(value, max_offer, cash left).
[[gnu::always_inline]] inline double open_wtp(const World& w, const MonthState& m,
                                              const Promised& promised, std::uint32_t j, int k) {
  const Offer& offer = m.offers[j];
  const std::int32_t raid = m.offensive_of(j);
  if (raid >= 0) {
    const double cash = (m.offensives[raid].budget_left -
                         promised.raid_committed[raid].load(std::memory_order_relaxed)) /
                        4.0;
    return cash <= 0 ? -1.0 : std::min(offer.wtp, cash);
  }
  const Room& left = promised.room[offer.org];
  if (left.hired[k].load(std::memory_order_relaxed) >= left.vacancies[k]) return -1.0;
  const double cash = left.cash_left - left.committed.load(std::memory_order_relaxed);
  if (cash <= 0) return -1.0;
  const double wtp = std::min(offer.wtp, cash);
  return wtp < w.orgs.min_offer[offer.org] ? -1.0 : wtp;  // it can no longer pay its floor
}

// Everything about a talent's auction that does not depend on what others are promised
// (decision 026): its columns, restraints, the stay option's terms, and each offer's
// non-money utility and kappa. `valued` is false when none of its offers is open.
struct Bidder {
  bool valued = false;
  std::uint32_t talent = 0;
  int role = 0;
  bool employed = false;
  double forfeited = 0, w_money = 0, wage = 0;
  double floor = 0;  // a move's least money: a raise over the wage, or the reservation wage
  std::size_t incumbent = 0;
  Restraints held;
  // Staying: with the incumbent (non-money utility, kappa, whether it counters and up to what
  // value), or unemployed (the reservation utility).
  double stay_non_money = 0, stay_kappa = 0;
  bool counters = false;
  double counter_value = 0;
  double reservation = kMinusInfinity;
};
struct Valuation {
  double non_money = 0;
  double kappa = 0;  // > 0 once valued
};

// Talents come in ability order, so their columns and offers are random reads, fetched ahead
// of the talent at `r` in stages: a talent's offers twelve ahead; its role and its offers'
// room records eight ahead; four ahead, when one of its offers is open as things stand, the
// columns value_bidder reads.
[[gnu::always_inline]] inline void prefetch_ahead(const World& w, const MonthState& m,
                                                  const Promised& promised,
                                                  const AuctionOrder& order, std::size_t r) {
  const auto& t = w.talents;
  constexpr std::size_t kAhead = 12;
  if (r + kAhead < order.size()) __builtin_prefetch(&m.offers[order.begin(r + kAhead)]);
  if (r + 2 * kAhead / 3 < order.size()) {
    const OfferRange ahead = order[r + 2 * kAhead / 3];
    __builtin_prefetch(&t.role[m.offers[ahead.begin].talent]);
    for (std::uint32_t j = ahead.begin; j < ahead.end; ++j)
      __builtin_prefetch(&promised.room[m.offers[j].org]);
  }
  if (r + kAhead / 3 >= order.size()) return;
  const OfferRange ahead = order[r + kAhead / 3];
  const std::uint32_t i = m.offers[ahead.begin].talent;
  const int k = static_cast<int>(t.role[i]);
  for (std::uint32_t j = ahead.begin; j < ahead.end; ++j) {
    if (open_wtp(w, m, promised, j, k) < 0) continue;
    __builtin_prefetch(&t.employer[i]);
    __builtin_prefetch(&t.ability[i]);
    __builtin_prefetch(&t.uid[i]);
    __builtin_prefetch(&t.unvested[i]);
    __builtin_prefetch(&t.wage[i]);
    __builtin_prefetch(&t.region[i]);
    __builtin_prefetch(&t.origin[i]);
    __builtin_prefetch(&t.persona[i]);
    for (const auto& column : t.drawn_prefs)
      if (!column.empty()) __builtin_prefetch(&column[i]);
    return;
  }
}

// Values one bidder (its offers `range`) against what is promised: `valued` when one of its
// offers is open, and then everything its auction reads; its open offers' valuations go to
// `valuations` (one slot per offer of the range).
[[gnu::always_inline]] inline void value_bidder(const World& w, const MonthState& m,
                                                const Promised& promised, const OfferRange& range,
                                                Bidder& bidder, Valuation* valuations) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const std::uint32_t i = m.offers[range.begin].talent;
  bidder = Bidder{};
  bidder.talent = i;
  bidder.role = static_cast<int>(t.role[i]);
  for (std::uint32_t j = range.begin; j < range.end; ++j) {
    if (open_wtp(w, m, promised, j, bidder.role) < 0) continue;
    valuations[j - range.begin] = {non_money_utility(w, m, i, m.offers[j].org),
                                   kappa_for(w, i, m.offers[j].org)};
    bidder.valued = true;
  }
  if (!bidder.valued) return;
  bidder.employed = t.employer[i].valid();
  bidder.forfeited = bidder.employed ? t.unvested[i] : 0.0;
  bidder.w_money = t.prefs(i).w_money;
  bidder.wage = t.wage[i];
  bidder.held = restraints_of(w, m, i);
  if (!bidder.employed) {
    bidder.floor = reservation_wage(w, i);
    bidder.reservation = reservation_utility(w, m, i);
    return;
  }
  bidder.floor = t.wage[i] * (1.0 + w.params.move_raise_floor);
  const std::size_t incumbent = t.employer[i].index();
  bidder.incumbent = incumbent;
  bidder.stay_non_money = non_money_utility(w, m, i, incumbent);
  bidder.stay_kappa = kappa_for(w, i, incumbent);
  bidder.counters =
      m.rng.uniform(Stream::counter, m.month, t.uid[i], static_cast<std::uint32_t>(incumbent)) <
      orgs.counter_probability[incumbent];
  if (bidder.counters)
    bidder.counter_value =
        orgs.counter_share[incumbent] * orgs.value_share[incumbent] *
        marginal_value_member(w, incumbent, t.role[i], t.ability[i], m.output[incumbent]);
}

// A batch of consecutive bidders in clearing order, valued together: each bidder's record and
// its offers' valuations (starts[b] is where bidder b's valuations start).
struct Batch {
  std::vector<Bidder> bidders;
  std::vector<std::uint32_t> starts;
  std::vector<Valuation> valuations;
};

// Values the bidders order[first, last) against what is promised now: an offer closed now is
// closed at its talent's turn (what is promised only grows), so only offers open now are
// valued. A valuation depends only on its talent and organisation.
void value_batch(const World& w, const MonthState& m, const Promised& promised,
                 const AuctionOrder& order, std::size_t first, std::size_t last, Batch& batch) {
  batch.bidders.resize(last - first);
  batch.starts.assign(last - first + 1, 0);
  for (std::size_t r = first; r < last; ++r) {
    const OfferRange range = order[r];
    batch.starts[r - first + 1] = batch.starts[r - first] + (range.end - range.begin);
  }
  batch.valuations.assign(batch.starts.back(), Valuation{});
  for (std::size_t r = first; r < last; ++r) {
    prefetch_ahead(w, m, promised, order, r);
    value_bidder(w, m, promised, order[r], batch.bidders[r - first],
                 batch.valuations.data() + batch.starts[r - first]);
  }
}

// One talent's auction, in clearing order: the offers still open, the best and the runner-up
// against the stay option; records the decision and what it promises.
void clear_auction(const World& w, MonthState& m, const Bidder& bidder, const OfferRange& range,
                   const Valuation* valuations, Promised& promised) {
  const auto& orgs = w.orgs;
  const double horizon = w.params.vesting_years;
  const int k = bidder.role;
  const double w_money = bidder.w_money;
  Restraints held = bidder.held;
  double best_u = kMinusInfinity, second_u = kMinusInfinity;
  std::size_t best = 0;
  std::int32_t best_raid = -1;
  double best_max_money = 0, best_non_money = 0, best_kappa = 1;
  for (std::uint32_t j = range.begin; j < range.end; ++j) {
    const double wtp = open_wtp(w, m, promised, j, k);
    if (wtp < 0) continue;
    const std::int32_t raid = m.offensive_of(j);
    if (raid >= 0) ++m.event_counts[m.offensives[raid].event].offers;
    const Valuation& value = valuations[j - range.begin];
#ifdef MERCATO_CHECK_INVARIANTS
    if (!(value.kappa > 0)) throw InvariantViolation("invariant: an open offer was not valued");
#endif
    // A mover's money-equivalent is the spend less the forfeited equity spread over H.
    const double money = wtp - bidder.forfeited / horizon;
    const double max_money = money * held.wait_factor;
    if (max_money <= 0 && !held.any()) continue;
    const double u = utility_at(value.kappa, w_money, max_money, value.non_money);  // -inf if <= 0
    if (held.any()) {
      held.best_without_wait = std::max(held.best_without_wait,
                                        utility_at(value.kappa, w_money, money, value.non_money));
      held.best_without_grant = std::max(
          held.best_without_grant,
          utility_at(value.kappa, w_money, (money + held.grant_left / horizon) * held.wait_factor,
                     value.non_money));
    }
    if (u > best_u) {
      second_u = best_u;
      best_u = u, best = m.offers[j].org, best_raid = raid, best_max_money = max_money,
      best_non_money = value.non_money, best_kappa = value.kappa;
    } else if (u > second_u) {
      second_u = u;
    }
  }
  // No outside option survived (vacancies filled, cash spent): nothing changes.
  if (best_u == kMinusInfinity && held.best_without_grant == kMinusInfinity &&
      held.best_without_wait == kMinusInfinity)
    return;

  // Staying: with the incumbent, who may counter up to counter_share of its own willingness
  // to pay to keep the talent (and what its cash allows), or unemployed.
  const std::size_t incumbent = bidder.incumbent;
  double stay_max_money = bidder.wage, stay_u = bidder.reservation;
  if (bidder.employed) {
    if (bidder.counters) {
      const Room& own = promised.room[incumbent];
      stay_max_money = std::max(
          stay_max_money,
          std::min({bidder.counter_value, static_cast<double>(orgs.max_offer[incumbent]),
                    bidder.wage + own.cash_left - own.committed.load(std::memory_order_relaxed)}));
    }
    stay_u = utility_at(bidder.stay_kappa, w_money, stay_max_money, bidder.stay_non_money);
  }

  if (best_u <= stay_u) {
    // Stays. Would it have left without a grant or a non-compete?
    if (held.grant_event >= 0 && held.best_without_grant > stay_u)
      ++m.event_counts[held.grant_event].departures_avoided;
    if (held.non_compete_event >= 0 && held.best_without_wait > stay_u)
      ++m.event_counts[held.non_compete_event].departures_avoided;
    if (best_u == kMinusInfinity || !bidder.employed) return;
    // The incumbent keeps the talent; it pays only what matches the best outside option.
    const double current =
        utility_at(bidder.stay_kappa, w_money, bidder.wage, bidder.stay_non_money);
    if (best_u <= current) return;
    const double wage =
        std::clamp(indifference_money_at(bidder.stay_kappa, w_money, best_u, bidder.stay_non_money),
                   bidder.wage, stay_max_money);
    add_to(promised.room[incumbent].committed, wage - bidder.wage);
    m.decisions.push_back({Decision::Kind::counter, bidder.talent,
                           OrgId(static_cast<std::uint32_t>(incumbent)), wage, 0.0});
    return;
  }

  // The winner pays the money-equivalent that makes the talent indifferent to the runner-up
  // (second price), at least a raise over the current wage, at most its own maximum.
  const double runner_up = std::max(second_u, stay_u);
  // An organisation's posted floor (min_offer) binds too, for its ordinary hires.
  const double floor =
      std::max(bidder.floor, best_raid >= 0 ? 0.0 : static_cast<double>(orgs.min_offer[best]));
  // Under a non-compete the talent values the package net of the wait (wait_factor); the
  // organisation pays the package itself.
  const double money =
      std::min(std::max(indifference_money_at(best_kappa, w_money, runner_up, best_non_money),
                        floor * held.wait_factor),
               best_max_money) /
      held.wait_factor;
  // The signing bonus buys out the forfeited equity first (buyout_ratio); the rest of the
  // money-equivalent is wage: money = wage + (bonus - forfeited) / H.
  const double buyout =
      best_raid >= 0 ? m.offensives[best_raid].buyout_ratio : orgs.buyout_ratio[best];
  const double bonus = buyout * bidder.forfeited;
  const double wage = money + (bidder.forfeited - bonus) / horizon;
  if (best_raid >= 0) {
    add_to(promised.raid_committed[best_raid], 4.0 * wage + bonus);
  } else {
    add_to(promised.room[best].hired[k], 1);
    add_to(promised.room[best].committed, wage + bonus / horizon);
  }
  m.decisions.push_back({Decision::Kind::move, bidder.talent,
                         OrgId(static_cast<std::uint32_t>(best)), wage, bonus, best_raid});
}

// The auctions of a valued batch whose first bidder is order[first], one by one.
void clear_batch(const World& w, MonthState& m, const AuctionOrder& order, std::size_t first,
                 const Batch& batch, Promised& promised) {
  const std::size_t count = batch.bidders.size();
  for (std::size_t at = 0; at < count; ++at) {
    // On several threads, a bidder valued in another core's cache is fetched ahead.
    if (constexpr std::size_t kAhead = 4; m.threads > 1 && at + kAhead < count) {
      const Bidder* ahead = &batch.bidders[at + kAhead];
      __builtin_prefetch(ahead);
      __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 64);
      __builtin_prefetch(&batch.valuations[batch.starts[at + kAhead]]);
      __builtin_prefetch(&m.offers[order.begin(first + at + kAhead)]);
    }
    if (batch.bidders[at].valued)
      clear_auction(w, m, batch.bidders[at], order[first + at],
                    batch.valuations.data() + batch.starts[at], promised);
  }
}

}  // namespace

// Talents are cleared in batches of consecutive bidders: a batch is valued (value_batch), then
// its auctions run one by one in clearing order, on one thread, the auctioneer. With several
// threads the others value the next batches meanwhile, up to kRing batches ahead, reading what
// is promised as the auctions write it: every offer open at a talent's turn was open when its
// batch was valued, before that turn, so it was valued, and the outcome depends neither on the
// threads nor on the batch size.
void clear_auctions(World& w, MonthState& m) {
  const auto& orgs = w.orgs;
  // The order first: its sort's buffer is gone before the organisations' rooms are made.
  const AuctionOrder order(w, m);
  Promised promised;
  promised.room = std::vector<Room>(orgs.size());
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    Room& room = promised.room[o];
    room.cash_left = orgs.cash_left(o);
    room.vacancies = {orgs.vacancies(o, Role::research), orgs.vacancies(o, Role::engineering)};
  }
  promised.raid_committed = std::vector<std::atomic<double>>(m.offensives.size());
  m.decisions.clear();
  if (m.output.size() != orgs.size()) value_outputs(w, m);

  // Small batches on one thread (fewer offers valued that close before their turn).
  const std::size_t size = m.threads > 1 ? 256 : 64;
  const std::size_t batches = (order.size() + size - 1) / size;
  constexpr std::size_t kRing = 8;
  std::array<Batch, kRing> ring;
  // Batch b is valued in ring[b % kRing] once the auctions of batch b - kRing are done;
  // valued[b % kRing] is b + 1 when it is ready.
  std::array<std::atomic<std::size_t>, kRing> valued{};
  std::atomic<std::size_t> next{0};     // the next batch to value
  std::atomic<std::size_t> cleared{0};  // batches whose auctions are done
  // Claims and values the next batch if its slot is free; false when there is none to take.
  auto value_next = [&]() {
    std::size_t b = next.load(std::memory_order_relaxed);
    if (b >= batches || b >= cleared.load(std::memory_order_acquire) + kRing) return false;
    if (!next.compare_exchange_strong(b, b + 1, std::memory_order_relaxed)) return true;
    value_batch(w, m, promised, order, b * size, std::min(order.size(), (b + 1) * size),
                ring[b % kRing]);
    valued[b % kRing].store(b + 1, std::memory_order_release);
    return true;
  };
  // An exception on one thread stops the others and is rethrown after them.
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  auto stop = [&] {
    if (!error) error = std::current_exception();
    failed.store(true, std::memory_order_release);
  };
#pragma omp parallel num_threads(m.threads)
  {
    Backoff backoff;
    if (omp_get_thread_num() != 0) {
      try {
        while (next.load(std::memory_order_relaxed) < batches &&
               !failed.load(std::memory_order_acquire))
          value_next() ? backoff.reset() : backoff.wait();
      } catch (...) {
#pragma omp critical(mercato_clearing_error)
        stop();
      }
    } else {
      try {
        for (std::size_t b = 0; b < batches; ++b) {
          while (valued[b % kRing].load(std::memory_order_acquire) != b + 1 &&
                 !failed.load(std::memory_order_acquire))
            value_next() ? backoff.reset() : backoff.wait();
          if (failed.load(std::memory_order_acquire)) break;
          backoff.reset();
          clear_batch(w, m, order, b * size, ring[b % kRing], promised);
          cleared.store(b + 1, std::memory_order_release);
        }
      } catch (...) {
#pragma omp critical(mercato_clearing_error)
        stop();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace mercato
