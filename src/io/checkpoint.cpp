// Checkpoint files (include/mercato/io/checkpoint.hpp; docs/reliability.md, "Checkpoints").
// Every field of the World and of the Simulation's progress is written explicitly, in a fixed
// order; the static_asserts on the structs' sizes stop the build when a field is added, so that
// a new field cannot be left out of checkpoints (and so out of resumed runs) by accident.
#include "mercato/io/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>

#include "mercato/core/error.hpp"

namespace mercato::io {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little,
              "checkpoints are written little-endian by copying bytes");

// A new field in one of these structs must be written and read below (and the format version
// bumped); then update the size here.
static_assert(sizeof(Talents) == 13 * sizeof(std::vector<float>) +
                                     sizeof(std::array<std::vector<float>, 5>) +
                                     sizeof(std::array<bool, 5>) + 3,
              "Talents changed: checkpoint");
static_assert(sizeof(DoctoralCohort) == 16 + 4 * 8, "DoctoralCohort changed: checkpoint");
static_assert(sizeof(Orgs) == 28 * sizeof(std::vector<float>), "Orgs changed: checkpoint");
static_assert(sizeof(Preferences) == 5 * sizeof(float), "Preferences changed: checkpoint");
static_assert(sizeof(Params) == 33 * sizeof(double), "Params changed: checkpoint");
static_assert(sizeof(PolicyState) == 3 * sizeof(std::map<int, int>) + sizeof(std::vector<double>),
              "PolicyState changed: checkpoint");
static_assert(sizeof(MarketRow) == 12 * 8 + 2 * 8 + sizeof(Quantiles) + 4 * 8,
              "MarketRow changed: checkpoint");
static_assert(sizeof(EventProgress) == 5 * 8 + sizeof(std::vector<std::uint8_t>),
              "EventProgress changed: checkpoint");

namespace {

constexpr char kMagic[8] = {'M', 'R', 'C', 'T', 'C', 'K', 'P', 'T'};
constexpr std::size_t kHeaderBytes = sizeof(kMagic) + 4 + 8 + 4;

std::uint32_t crc32_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
    at += n;
  }
  return static_cast<std::uint32_t>(crc);
}

// Types copied byte for byte: no padding, so the file's bytes are a function of the values.
template <class T>
constexpr bool kPlainBytes =
    std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_same_v<T, OrgId> ||
    std::is_same_v<T, RegionId> || std::is_same_v<T, Preferences> ||
    std::is_same_v<T, std::array<double, kRoleCount>> ||
    std::is_same_v<T, std::array<std::int32_t, kRoleCount>>;

class Encoder {
 public:
  std::string bytes;

  template <class T>
  void put(const T& value) {
    static_assert(kPlainBytes<T>);
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put_bool(bool value) { put<std::uint8_t>(value ? 1 : 0); }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes.append(s);
  }
  template <class T>
  void put_column(const std::vector<T>& column) {
    static_assert(kPlainBytes<T>);
    put<std::uint64_t>(column.size());
    bytes.append(reinterpret_cast<const char*>(column.data()), column.size() * sizeof(T));
  }
  void put_date(YearMonth d) {
    put<std::int32_t>(d.year);
    put<std::int32_t>(d.month);
  }
  void put_quantiles(const Quantiles& q) { put(q.p50), put(q.p90), put(q.p99), put(q.max); }
};

class Decoder {
 public:
  Decoder(std::string_view bytes, const std::string& file) : bytes_(bytes), file_(file) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw IoError(fmt::format("{}: malformed checkpoint ({}); it was not loaded", file_, what));
  }
  std::size_t left() const { return bytes_.size() - at_; }
  bool at_end() const { return at_ == bytes_.size(); }

  template <class T>
  T get(const char* what) {
    static_assert(kPlainBytes<T>);
    if (left() < sizeof(T)) fail(fmt::format("it ends inside {}", what));
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  bool get_bool(const char* what) {
    const auto v = get<std::uint8_t>(what);
    if (v > 1) fail(fmt::format("{} is {}, not 0 or 1", what, v));
    return v == 1;
  }
  // A count of items of at least `min_bytes` each: never more than the bytes left could hold,
  // so a corrupted count cannot ask for a huge allocation.
  std::size_t get_count(const char* what, std::size_t min_bytes) {
    const auto n = get<std::uint64_t>(what);
    if (min_bytes > 0 && n > left() / min_bytes)
      fail(fmt::format("{} counts {} items, more than the file holds", what, n));
    return static_cast<std::size_t>(n);
  }
  std::string get_string(const char* what) {
    const std::size_t n = get_count(what, 1);
    std::string s(bytes_.substr(at_, n));
    at_ += n;
    return s;
  }
  template <class T>
  std::vector<T> get_column(const char* what, std::size_t expected) {
    static_assert(kPlainBytes<T>);
    const std::size_t n = get_count(what, sizeof(T));
    if (expected != kAnySize && n != expected)
      fail(fmt::format("{} has {} entries, expected {}", what, n, expected));
    std::vector<T> column(n);
    if (n > 0) std::memcpy(column.data(), bytes_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return column;
  }
  YearMonth get_date(const char* what) {
    YearMonth d;
    d.year = get<std::int32_t>(what);
    d.month = get<std::int32_t>(what);
    if (d.month < 1 || d.month > 12 || d.year < 0 || d.year > 100000)
      fail(fmt::format("{} is not a date", what));
    return d;
  }
  Quantiles get_quantiles(const char* what) {
    Quantiles q;
    q.p50 = get<double>(what), q.p90 = get<double>(what), q.p99 = get<double>(what);
    q.max = get<double>(what);
    return q;
  }
  template <class E>
  E get_enum(const char* what, int count) {
    const auto v = get<std::uint8_t>(what);
    if (v >= count) fail(fmt::format("{} is {}, not one of the {} known values", what, v, count));
    return static_cast<E>(v);
  }

  static constexpr std::size_t kAnySize = std::numeric_limits<std::size_t>::max();

 private:
  std::string_view bytes_;
  const std::string& file_;
  std::size_t at_ = 0;
};

// --- the World ---

void put_world(Encoder& e, const World& w) {
  const Talents& t = w.talents;
  e.put<std::uint64_t>(t.size());
  e.put_column(t.uid), e.put_column(t.ability), e.put_column(t.role), e.put_column(t.origin);
  e.put_column(t.region), e.put_column(t.employer), e.put_column(t.experience);
  e.put_column(t.tenure), e.put_column(t.wage), e.put_column(t.unvested);
  e.put_column(t.vest_left), e.put_column(t.persona);
  {
    // Every talent's five preferences, whatever the layout (it follows from the personas).
    std::vector<Preferences> prefs(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) prefs[i] = t.prefs(i);
    e.put_column(prefs);
  }

  const Orgs& o = w.orgs;
  e.put<std::uint64_t>(o.size());
  for (const std::string& name : o.name) e.put_string(name);
  e.put_column(o.kind), e.put_column(o.region), e.put_column(o.named), e.put_column(o.pool);
  e.put_column(o.compute), e.put_column(o.compute_growth), e.put_column(o.compute_extra);
  e.put_column(o.tfp), e.put_column(o.price), e.put_column(o.mission), e.put_column(o.openness);
  e.put_column(o.payroll_budget), e.put_column(o.budget_growth), e.put_column(o.target);
  e.put_column(o.headcount_growth), e.put_column(o.value_share), e.put_column(o.max_offer);
  e.put_column(o.min_offer);
  e.put_column(o.counter_probability), e.put_column(o.counter_share);
  e.put_column(o.buyout_ratio), e.put_column(o.equity_share), e.put_column(o.poach_intensity);
  e.put_column(o.search_reach), e.put_column(o.power_sum), e.put_column(o.headcount);
  e.put_column(o.payroll);

  e.put<std::uint64_t>(w.regions.size());
  for (const Region& r : w.regions) {
    e.put_string(r.id), e.put_string(r.name);
    e.put(r.cost_of_living), e.put(r.tax_rate), e.put(r.visa_friction);
    for (double g : r.graduates_per_year) e.put(g);
    e.put(r.graduate_growth), e.put(r.graduate_ability_mu), e.put(r.graduate_ability_sigma);
    e.put(r.graduate_wage), e.put(r.training_boost), e.put(r.inbound_tax_rate);
    e.put(r.study_abroad_selection), e.put(r.foreign_idle_months);
    e.put<std::int32_t>(r.doctoral_months);
    e.put(r.inbound_tax_years);
    e.put<std::int32_t>(r.non_compete_months), e.put<std::int32_t>(r.tax_event);
    e.put<std::int32_t>(r.non_compete_event);
    e.put<std::uint64_t>(r.study_abroad.size());
    for (const StudyFlow& f : r.study_abroad) {
      e.put(f.to), e.put(f.share);
      for (double c : f.carry) e.put(c);
    }
  }
  e.put<std::uint64_t>(w.groups.size());
  for (const RegionGroup& g : w.groups) {
    e.put_string(g.id);
    e.put_column(g.regions);
  }
  e.put<std::uint64_t>(w.personas.size());
  for (const Persona& p : w.personas) {
    e.put_string(p.name);
    e.put(p.share);
    for (const Distribution* d : {&p.w_money, &p.w_mission, &p.w_open, &p.w_compute, &p.home_bias})
      e.put(d->kind), e.put(d->a), e.put(d->b);
  }

  const Params& p = w.params;
  e.put(p.alpha), e.put(p.beta[0]), e.put(p.beta[1]), e.put(p.rho);
  e.put(p.floor_pow[0]), e.put(p.floor_pow[1]), e.put(p.sigma_taste), e.put(p.move_cost);
  e.put(p.vesting_years), e.put<std::int32_t>(p.applications), e.put(p.seek_rate);
  e.put(p.seek_multiplier_vested), e.put(p.seek_multiplier_shrinking);
  e.put(p.abroad_application_weight), e.put(p.visibility_exponent), e.put(p.compute_exponent);
  e.put(p.exit_rate), e.put(p.retirement_years), e.put(p.retirement_rate);
  e.put<std::int32_t>(p.max_idle_months), e.put(p.move_raise_floor);
  for (double g : p.ability_growth) e.put(g);
  for (double r : p.annual_raise) e.put(r);

  e.put(w.seed), e.put(w.replicate), e.put(w.elite_threshold), e.put(w.top_threshold);
  e.put(w.next_uid), e.put(w.scale);
  e.put_column(w.graduate_carry);
  e.put<std::uint64_t>(w.doctorates.size());
  for (const DoctoralCohort& c : w.doctorates) {
    e.put(c.origin), e.put(c.region), e.put(c.months_left), e.put<std::int32_t>(c.month);
    e.put(c.first_serial), e.put(c.count), e.put(c.mu), e.put(c.sigma), e.put(c.selection);
    e.put(c.abroad);
  }
  e.put(w.next_student);

  const PolicyState& policy = w.policy;
  e.put<std::uint64_t>(policy.tax_benefits.size());
  for (const auto& [uid, b] : policy.tax_benefits) {
    e.put(uid), e.put<std::int32_t>(b.event), e.put(b.region), e.put(b.rate);
    e.put<std::int32_t>(b.until);
  }
  e.put<std::uint64_t>(policy.grants.size());
  for (const auto& [uid, g] : policy.grants) {
    e.put(uid), e.put<std::int32_t>(g.event), e.put(g.org), e.put(g.amount);
    e.put<std::int32_t>(g.month), e.put<std::int32_t>(g.vest_months);
  }
  e.put<std::uint64_t>(policy.program_graduates.size());
  for (const auto& [uid, event] : policy.program_graduates) {
    e.put(uid), e.put<std::int32_t>(event);
  }
  e.put_column(policy.program_carry);
}

World get_world(Decoder& d) {
  World w;
  Talents& t = w.talents;
  const std::size_t n = d.get_count("the number of talents", 4);
  t.uid = d.get_column<std::uint32_t>("talent uids", n);
  t.ability = d.get_column<float>("talent abilities", n);
  t.role = d.get_column<Role>("talent roles", n);
  t.origin = d.get_column<RegionId>("talent origins", n);
  t.region = d.get_column<RegionId>("talent regions", n);
  t.employer = d.get_column<OrgId>("talent employers", n);
  t.experience = d.get_column<std::uint16_t>("talent experience", n);
  t.tenure = d.get_column<std::uint16_t>("talent tenure", n);
  t.wage = d.get_column<float>("talent wages", n);
  t.unvested = d.get_column<float>("talent unvested equity", n);
  t.vest_left = d.get_column<std::uint8_t>("talent vesting months", n);
  t.persona = d.get_column<std::uint8_t>("talent personas", n);
  const auto prefs = d.get_column<Preferences>("talent preferences", n);

  Orgs& o = w.orgs;
  const std::size_t m = d.get_count("the number of organisations", 8);
  o.name.reserve(m);
  for (std::size_t i = 0; i < m; ++i) o.name.push_back(d.get_string("an organisation name"));
  o.kind = d.get_column<OrgKind>("organisation kinds", m);
  o.region = d.get_column<RegionId>("organisation regions", m);
  o.named = d.get_column<std::uint8_t>("organisation named flags", m);
  o.pool = d.get_column<std::uint16_t>("organisation pools", m);
  o.compute = d.get_column<double>("organisation compute", m);
  o.compute_growth = d.get_column<double>("organisation compute growth", m);
  o.compute_extra = d.get_column<double>("organisation extra compute", m);
  o.tfp = d.get_column<double>("organisation tfp", m);
  o.price = d.get_column<double>("organisation price", m);
  o.mission = d.get_column<float>("organisation mission", m);
  o.openness = d.get_column<float>("organisation openness", m);
  o.payroll_budget = d.get_column<double>("organisation payroll budgets", m);
  o.budget_growth = d.get_column<double>("organisation budget growth", m);
  o.target = d.get_column<std::array<double, kRoleCount>>("organisation targets", m);
  o.headcount_growth = d.get_column<double>("organisation headcount growth", m);
  o.value_share = d.get_column<float>("organisation value shares", m);
  o.max_offer = d.get_column<float>("organisation max offers", m);
  o.min_offer = d.get_column<float>("organisation min offers", m);
  o.counter_probability = d.get_column<float>("organisation counter probabilities", m);
  o.counter_share = d.get_column<float>("organisation counter shares", m);
  o.buyout_ratio = d.get_column<float>("organisation buyout ratios", m);
  o.equity_share = d.get_column<float>("organisation equity shares", m);
  o.poach_intensity = d.get_column<float>("organisation poach intensities", m);
  o.search_reach = d.get_column<float>("organisation search reach", m);
  o.power_sum = d.get_column<std::array<double, kRoleCount>>("organisation power sums", m);
  o.headcount = d.get_column<std::array<std::int32_t, kRoleCount>>("organisation headcounts", m);
  o.payroll = d.get_column<double>("organisation payrolls", m);

  const std::size_t regions = d.get_count("the number of regions", 16);
  if (regions == 0 || regions >= RegionId::none().value) d.fail(fmt::format("{} regions", regions));
  w.regions.resize(regions);
  for (Region& r : w.regions) {
    r.id = d.get_string("a region id"), r.name = d.get_string("a region name");
    r.cost_of_living = d.get<double>("a cost of living");
    r.tax_rate = d.get<double>("a tax rate");
    r.visa_friction = d.get<double>("a visa friction");
    for (double& g : r.graduates_per_year) g = d.get<double>("graduates per year");
    r.graduate_growth = d.get<double>("a graduate growth");
    r.graduate_ability_mu = d.get<double>("a graduate ability mu");
    r.graduate_ability_sigma = d.get<double>("a graduate ability sigma");
    r.graduate_wage = d.get<double>("a graduate wage");
    r.training_boost = d.get<double>("a training boost");
    r.inbound_tax_rate = d.get<double>("an inbound tax rate");
    r.study_abroad_selection = d.get<double>("a study abroad selection");
    r.foreign_idle_months = d.get<double>("foreign idle months");
    r.doctoral_months = d.get<std::int32_t>("doctoral months");
    r.inbound_tax_years = d.get<double>("inbound tax years");
    r.non_compete_months = d.get<std::int32_t>("non-compete months");
    r.tax_event = d.get<std::int32_t>("a region's tax event");
    r.non_compete_event = d.get<std::int32_t>("a region's non-compete event");
    if (r.tax_event < -1 || r.non_compete_event < -1) d.fail("a region's event index is < -1");
    if (!(r.study_abroad_selection >= 0 && r.study_abroad_selection <= 1))
      d.fail("a study abroad selection is outside [0, 1]");
    if (!(r.foreign_idle_months >= 0)) d.fail("foreign idle months are negative");
    if (r.doctoral_months < 0 || r.doctoral_months > 120)
      d.fail("doctoral months are outside [0, 120]");
    r.study_abroad.resize(d.get_count("a region's study flows", 1 + 8 * (1 + kRoleCount)));
    for (StudyFlow& f : r.study_abroad) {
      f.to = d.get<RegionId>("a study flow's region");
      f.share = d.get<double>("a study flow's share");
      for (double& c : f.carry) c = d.get<double>("a study flow's carry");
    }
  }
  w.groups.resize(d.get_count("the number of region groups", 16));
  for (RegionGroup& g : w.groups) {
    g.id = d.get_string("a group id");
    g.regions = d.get_column<RegionId>("a group's regions", Decoder::kAnySize);
  }
  w.personas.resize(d.get_count("the number of personas", 16));
  for (Persona& p : w.personas) {
    p.name = d.get_string("a persona name");
    p.share = d.get<double>("a persona share");
    for (Distribution* x : {&p.w_money, &p.w_mission, &p.w_open, &p.w_compute, &p.home_bias}) {
      x->kind = d.get_enum<Distribution::Kind>("a distribution kind", 4);
      x->a = d.get<double>("a distribution parameter");
      x->b = d.get<double>("a distribution parameter");
    }
  }
  lay_out_preferences(w);
  for (std::size_t i = 0; i < n; ++i) {
    if (!w.personas.empty() && t.persona[i] >= w.personas.size())
      d.fail("a talent's persona is out of range");
    if (!t.keeps_persona_constants(i, prefs[i]))
      d.fail("a talent's preference differs from its persona's constant");
    t.set_prefs(i, prefs[i]);
  }

  Params& p = w.params;
  p.alpha = d.get<double>("alpha"), p.beta[0] = d.get<double>("beta");
  p.beta[1] = d.get<double>("beta"), p.rho = d.get<double>("rho");
  p.floor_pow[0] = d.get<double>("floor_pow"), p.floor_pow[1] = d.get<double>("floor_pow");
  p.sigma_taste = d.get<double>("sigma_taste"), p.move_cost = d.get<double>("move_cost");
  p.vesting_years = d.get<double>("vesting_years");
  p.applications = d.get<std::int32_t>("applications");
  p.seek_rate = d.get<double>("seek_rate");
  p.seek_multiplier_vested = d.get<double>("seek_multiplier_vested");
  p.seek_multiplier_shrinking = d.get<double>("seek_multiplier_shrinking");
  p.abroad_application_weight = d.get<double>("abroad_application_weight");
  p.visibility_exponent = d.get<double>("visibility_exponent");
  p.compute_exponent = d.get<double>("compute_exponent");
  p.exit_rate = d.get<double>("exit_rate"), p.retirement_years = d.get<double>("retirement_years");
  p.retirement_rate = d.get<double>("retirement_rate");
  p.max_idle_months = d.get<std::int32_t>("max_idle_months");
  p.move_raise_floor = d.get<double>("move_raise_floor");
  for (double& g : p.ability_growth) g = d.get<double>("ability_growth");
  for (double& r : p.annual_raise) r = d.get<double>("annual_raise");

  w.seed = d.get<std::uint64_t>("the seed"), w.replicate = d.get<std::uint64_t>("the replicate");
  w.elite_threshold = d.get<float>("the elite threshold");
  w.top_threshold = d.get<float>("the top threshold");
  w.next_uid = d.get<std::uint32_t>("the next uid"), w.scale = d.get<double>("the scale");
  w.graduate_carry =
      d.get_column<std::array<double, kRoleCount>>("the graduate carry", w.regions.size());
  w.doctorates.resize(d.get_count("the number of doctoral cohorts", 48));
  for (DoctoralCohort& c : w.doctorates) {
    c.origin = d.get<RegionId>("a cohort's origin"),
    c.region = d.get<RegionId>("a cohort's region");
    c.months_left = d.get<std::uint16_t>("a cohort's months left");
    c.month = d.get<std::int32_t>("a cohort's month");
    c.first_serial = d.get<std::uint32_t>("a cohort's first serial");
    c.count = d.get<std::uint32_t>("a cohort's size");
    c.mu = d.get<double>("a cohort's mu"), c.sigma = d.get<double>("a cohort's sigma");
    c.selection = d.get<double>("a cohort's selection");
    c.abroad = d.get<double>("a cohort's share abroad");
  }
  w.next_student = d.get<std::uint32_t>("the next student serial");

  PolicyState& policy = w.policy;
  for (std::size_t k = d.get_count("the number of tax benefits", 21); k > 0; --k) {
    const auto uid = d.get<std::uint32_t>("a beneficiary");
    TaxBenefit b;
    b.event = d.get<std::int32_t>("a tax benefit's event"), b.region = d.get<RegionId>("a region");
    b.rate = d.get<double>("a tax benefit's rate"), b.until = d.get<std::int32_t>("an end month");
    if (!policy.tax_benefits.emplace(uid, b).second) d.fail("a talent has two tax benefits");
  }
  for (std::size_t k = d.get_count("the number of retention grants", 28); k > 0; --k) {
    const auto uid = d.get<std::uint32_t>("a grantee");
    RetentionGrant g;
    g.event = d.get<std::int32_t>("a grant's event"), g.org = d.get<OrgId>("a grant's org");
    g.amount = d.get<double>("a grant amount"), g.month = d.get<std::int32_t>("a grant month");
    g.vest_months = d.get<std::int32_t>("a grant's vesting months");
    if (!policy.grants.emplace(uid, g).second) d.fail("a talent has two retention grants");
  }
  for (std::size_t k = d.get_count("the number of programme graduates", 8); k > 0; --k) {
    const auto uid = d.get<std::uint32_t>("a graduate");
    if (!policy.program_graduates.emplace(uid, d.get<std::int32_t>("a programme")).second)
      d.fail("a talent graduated twice");
  }
  policy.program_carry = d.get_column<double>("the programme carry", Decoder::kAnySize);
  return w;
}

// Ids and enums in range, so that nothing indexes out of bounds. The values themselves are
// what mercato wrote: the checksum vouches for them.
void check_world(Decoder& d, const World& w) {
  const std::size_t regions = w.regions.size(), orgs = w.orgs.size();
  auto region_ok = [&](RegionId r) { return r.valid() && r.index() < regions; };
  const Talents& t = w.talents;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i > 0 && t.uid[i] <= t.uid[i - 1]) d.fail("talent uids are not increasing");
    if (t.uid[i] >= w.next_uid) d.fail("a talent uid is not below the next uid");
    if (static_cast<int>(t.role[i]) >= kRoleCount) d.fail("a talent role is out of range");
    if (!region_ok(t.origin[i]) || !region_ok(t.region[i]))
      d.fail("a talent's region is out of range");
    if (t.employer[i].valid() && t.employer[i].index() >= orgs)
      d.fail("a talent's employer is out of range");
  }
  for (const DoctoralCohort& c : w.doctorates) {
    if (!region_ok(c.origin) || !region_ok(c.region))
      d.fail("a doctoral cohort's region is out of range");
    if (c.months_left == 0 || c.months_left > w.regions[c.region.index()].doctoral_months)
      d.fail("a doctoral cohort's months left are outside its region's doctorate");
    if (c.first_serial + static_cast<std::uint64_t>(c.count) > w.next_student)
      d.fail("a doctoral cohort's serials are not below the next serial");
    if (!(c.selection >= 0 && c.selection <= 1 && c.abroad >= 0 && c.abroad <= 1))
      d.fail("a doctoral cohort's selection is outside [0, 1]");
  }
  for (std::size_t o = 0; o < orgs; ++o) {
    if (static_cast<int>(w.orgs.kind[o]) >= kOrgKindCount)
      d.fail("an organisation kind is out of range");
    if (!region_ok(w.orgs.region[o])) d.fail("an organisation's region is out of range");
    if (w.orgs.named[o] > 1) d.fail("an organisation's named flag is not 0 or 1");
  }
  for (const RegionGroup& g : w.groups)
    for (RegionId r : g.regions)
      if (!region_ok(r)) d.fail("a group's region is out of range");
  for (const Region& r : w.regions)
    for (const StudyFlow& f : r.study_abroad)
      if (!region_ok(f.to)) d.fail("a study flow's region is out of range");
}

// --- the Simulation's progress ---

void put_move(Encoder& e, const MoveRecord& m) {
  e.put<std::int32_t>(m.month), e.put(m.talent), e.put(m.tier), e.put(m.role), e.put(m.ability);
  e.put(m.from), e.put(m.to), e.put(m.from_region), e.put(m.to_region), e.put(m.wage_before);
  e.put(m.wage), e.put(m.bonus), e.put(m.forfeited), e.put<std::int32_t>(m.event);
}

struct Ranges {
  std::size_t regions = 0, orgs = 0;
};

MoveRecord get_move(Decoder& d, const Ranges& r) {
  MoveRecord m;
  m.month = d.get<std::int32_t>("a move's month"), m.talent = d.get<std::uint32_t>("a talent");
  m.tier = d.get_enum<Tier>("a move's tier", 3), m.role = d.get_enum<Role>("a role", kRoleCount);
  m.ability = d.get<float>("an ability");
  m.from = d.get<OrgId>("a move's origin"), m.to = d.get<OrgId>("a move's destination");
  m.from_region = d.get<RegionId>("a region"), m.to_region = d.get<RegionId>("a region");
  m.wage_before = d.get<double>("a wage"), m.wage = d.get<double>("a wage");
  m.bonus = d.get<double>("a bonus"), m.forfeited = d.get<double>("forfeited equity");
  m.event = d.get<std::int32_t>("a move's event");
  if ((m.from.valid() && m.from.index() >= r.orgs) || !m.to.valid() || m.to.index() >= r.orgs)
    d.fail("a move's organisation is out of range");
  if (!m.to_region.valid() || m.to_region.index() >= r.regions ||
      (m.from_region.valid() && m.from_region.index() >= r.regions))
    d.fail("a move's region is out of range");
  return m;
}

void put_event_row(Encoder& e, const EventRow& r) {
  e.put<std::int32_t>(r.month), e.put_date(r.date), e.put(r.event), e.put_string(r.name);
  e.put(r.type), e.put_string(r.payer), e.put(r.cost), e.put(r.cost_total), e.put(r.offers);
  e.put(r.accepted), e.put(r.declined), e.put(r.package_value), e.put(r.beneficiaries);
  e.put(r.departures_avoided), e.put(r.trained), e.put(r.attracted), e.put(r.retained);
}

EventRow get_event_row(Decoder& d) {
  EventRow r;
  r.month = d.get<std::int32_t>("an event row's month"), r.date = d.get_date("a date");
  r.event = d.get<std::uint16_t>("an event index"), r.name = d.get_string("an event name");
  r.type = d.get_enum<EventType>("an event type", kEventTypeCount);
  r.payer = d.get_string("a payer"), r.cost = d.get<double>("a cost");
  r.cost_total = d.get<double>("a cost"), r.offers = d.get<std::int64_t>("offers");
  r.accepted = d.get<std::int64_t>("accepted"), r.declined = d.get<std::int64_t>("declined");
  r.package_value = d.get<double>("a package value");
  r.beneficiaries = d.get<std::int64_t>("beneficiaries");
  r.departures_avoided = d.get<std::int64_t>("departures avoided");
  r.trained = d.get<std::int64_t>("trained"), r.attracted = d.get<std::int64_t>("attracted");
  r.retained = d.get<std::int64_t>("retained");
  return r;
}

void put_month(Encoder& e, const MonthMetrics& m) {
  e.put<std::int32_t>(m.month), e.put_date(m.date);
  const MarketRow& k = m.market;
  e.put(k.talents), e.put(k.employed), e.put(k.entries), e.put(k.exits);
  e.put(k.returned_home), e.put(k.doctoral_students), e.put(k.seekers);
  e.put(k.candidates), e.put(k.offers), e.put(k.moves), e.put(k.hires_from_unemployment);
  e.put(k.counters_won), e.put(k.poaching_success), e.put(k.signing_bonuses);
  e.put_quantiles(k.package), e.put(k.elite_top5_share), e.put(k.elite_hhi), e.put(k.output);
  e.put(k.payroll);
  e.put<std::uint64_t>(m.regions.size());
  for (const RegionRow& r : m.regions) {
    e.put(r.region), e.put(r.tier), e.put(r.employed), e.put(r.unemployed), e.put(r.research);
    e.put(r.engineering), e.put(r.trained_here), e.put(r.trained_here_working_abroad);
    e.put(r.brain_drain), e.put(r.arrivals), e.put(r.departures), e.put_quantiles(r.wage);
    e.put(r.output);
  }
  e.put<std::uint64_t>(m.kinds.size());
  for (const KindRow& r : m.kinds) {
    e.put(r.kind), e.put(r.tier), e.put(r.headcount), e.put(r.wage_mean);
    e.put_quantiles(r.wage), e.put(r.hires), e.put(r.departures), e.put(r.output);
  }
  e.put<std::uint64_t>(m.orgs.size());
  for (const OrgRow& r : m.orgs) {
    e.put(r.org), e.put(r.research), e.put(r.engineering), e.put(r.elite), e.put(r.top);
    e.put(r.vacancies), e.put(r.payroll), e.put(r.payroll_budget), e.put(r.compute);
    e.put(r.output), e.put(r.wage_mean), e.put(r.hires), e.put(r.departures);
    e.put(r.counters_won);
  }
  e.put<std::uint64_t>(m.flows.size());
  for (const FlowRow& r : m.flows) {
    e.put(r.from_region), e.put(r.to_region), e.put<std::int32_t>(r.from_kind), e.put(r.to_kind);
    e.put(r.tier), e.put(r.moves);
  }
  e.put<std::uint64_t>(m.origins.size());
  for (const OriginRow& r : m.origins) {
    e.put(r.origin), e.put<std::int32_t>(r.work_region), e.put(r.tier), e.put(r.talents);
  }
  e.put<std::uint64_t>(m.moves.size());
  for (const MoveRecord& r : m.moves) put_move(e, r);
  e.put<std::uint64_t>(m.events.size());
  for (const EventRow& r : m.events) put_event_row(e, r);
}

MonthMetrics get_month(Decoder& d, const Ranges& ranges) {
  MonthMetrics m;
  m.month = d.get<std::int32_t>("a month index"), m.date = d.get_date("a month's date");
  MarketRow& k = m.market;
  k.talents = d.get<std::int64_t>("talents"), k.employed = d.get<std::int64_t>("employed");
  k.entries = d.get<std::int64_t>("entries"), k.exits = d.get<std::int64_t>("exits");
  k.returned_home = d.get<std::int64_t>("returned home");
  k.doctoral_students = d.get<std::int64_t>("doctoral students");
  k.seekers = d.get<std::int64_t>("seekers"), k.candidates = d.get<std::int64_t>("candidates");
  k.offers = d.get<std::int64_t>("offers"), k.moves = d.get<std::int64_t>("moves");
  k.hires_from_unemployment = d.get<std::int64_t>("hires from unemployment");
  k.counters_won = d.get<std::int64_t>("counters won");
  k.poaching_success = d.get<double>("poaching success");
  k.signing_bonuses = d.get<double>("signing bonuses");
  k.package = d.get_quantiles("package quantiles");
  k.elite_top5_share = d.get<double>("the elite top-5 share");
  k.elite_hhi = d.get<double>("the elite HHI"), k.output = d.get<double>("output");
  k.payroll = d.get<double>("payroll");
  auto region = [&](const char* what) {
    const auto r = d.get<RegionId>(what);
    if (!r.valid() || r.index() >= ranges.regions) d.fail(fmt::format("{} is out of range", what));
    return r;
  };
  m.regions.resize(d.get_count("region rows", 100));
  for (RegionRow& r : m.regions) {
    r.region = region("a region row's region");
    r.tier = d.get_enum<ReportTier>("a report tier", kReportTierCount);
    r.employed = d.get<std::int64_t>("employed"), r.unemployed = d.get<std::int64_t>("unemployed");
    r.research = d.get<std::int64_t>("research");
    r.engineering = d.get<std::int64_t>("engineering");
    r.trained_here = d.get<std::int64_t>("trained here");
    r.trained_here_working_abroad = d.get<std::int64_t>("trained here working abroad");
    r.brain_drain = d.get<double>("brain drain"), r.arrivals = d.get<std::int64_t>("arrivals");
    r.departures = d.get<std::int64_t>("departures"), r.wage = d.get_quantiles("wages");
    r.output = d.get<double>("output");
  }
  m.kinds.resize(d.get_count("kind rows", 60));
  for (KindRow& r : m.kinds) {
    r.kind = d.get_enum<OrgKind>("a kind", kOrgKindCount);
    r.tier = d.get_enum<ReportTier>("a report tier", kReportTierCount);
    r.headcount = d.get<std::int64_t>("headcount"), r.wage_mean = d.get<double>("mean wage");
    r.wage = d.get_quantiles("wages"), r.hires = d.get<std::int64_t>("hires");
    r.departures = d.get<std::int64_t>("departures"), r.output = d.get<double>("output");
  }
  m.orgs.resize(d.get_count("organisation rows", 100));
  for (OrgRow& r : m.orgs) {
    r.org = d.get<OrgId>("an organisation row's organisation");
    if (!r.org.valid() || r.org.index() >= ranges.orgs) d.fail("an organisation row's id");
    r.research = d.get<std::int64_t>("research");
    r.engineering = d.get<std::int64_t>("engineering");
    r.elite = d.get<std::int64_t>("elite"), r.top = d.get<std::int64_t>("top");
    r.vacancies = d.get<std::int64_t>("vacancies"), r.payroll = d.get<double>("payroll");
    r.payroll_budget = d.get<double>("payroll budget"), r.compute = d.get<double>("compute");
    r.output = d.get<double>("output"), r.wage_mean = d.get<double>("mean wage");
    r.hires = d.get<std::int64_t>("hires"), r.departures = d.get<std::int64_t>("departures");
    r.counters_won = d.get<std::int64_t>("counters won");
  }
  m.flows.resize(d.get_count("flow rows", 12));
  for (FlowRow& r : m.flows) {
    r.from_region = region("a flow's region"), r.to_region = region("a flow's region");
    r.from_kind = d.get<std::int32_t>("a flow's kind");
    if (r.from_kind < -1 || r.from_kind >= kOrgKindCount) d.fail("a flow's kind is out of range");
    r.to_kind = d.get_enum<OrgKind>("a flow's kind", kOrgKindCount);
    r.tier = d.get_enum<ReportTier>("a report tier", kReportTierCount);
    r.moves = d.get<std::int64_t>("flow moves");
  }
  m.origins.resize(d.get_count("origin rows", 14));
  for (OriginRow& r : m.origins) {
    r.origin = region("an origin");
    r.work_region = d.get<std::int32_t>("a work region");
    if (r.work_region < -1 || r.work_region >= static_cast<int>(ranges.regions))
      d.fail("a work region is out of range");
    r.tier = d.get_enum<ReportTier>("a report tier", kReportTierCount);
    r.talents = d.get<std::int64_t>("talents");
  }
  m.moves.resize(d.get_count("moves", 60));
  for (MoveRecord& r : m.moves) r = get_move(d, ranges);
  m.events.resize(d.get_count("event rows", 100));
  for (EventRow& r : m.events) r = get_event_row(d);
  return m;
}

void put_summary(Encoder& e, const RunSummary& s) {
  e.put_string(s.scenario), e.put(s.seed), e.put<std::int32_t>(s.months), e.put_date(s.start);
  e.put_date(s.end), e.put(s.talents_start), e.put(s.talents_end), e.put(s.organisations);
  e.put(s.moves), e.put(s.entries), e.put(s.exits), e.put(s.counters_won);
  e.put(s.moves_per_talent_year), e.put(s.unemployment_end);
  e.put<std::uint64_t>(s.regions.size());
  for (const auto& r : s.regions) {
    e.put(r.region), e.put(r.top_work_share), e.put(r.top_origin_share), e.put(r.brain_drain_top);
    e.put(r.brain_drain_all);
  }
  e.put<std::uint64_t>(s.groups.size());
  for (const auto& g : s.groups) {
    e.put_string(g.group), e.put(g.top_work_share), e.put(g.top_origin_share);
    e.put(g.brain_drain_top);
  }
  for (const Quantiles& q : s.wage_end) e.put_quantiles(q);
  e.put(s.elite_top5_share_end), e.put(s.elite_hhi_end), e.put(s.signing_bonuses);
  e.put<std::uint64_t>(s.largest_packages.size());
  for (const MoveRecord& m : s.largest_packages) put_move(e, m);
  e.put<std::uint64_t>(s.events.size());
  for (const EventSummary& v : s.events) {
    e.put_string(v.name), e.put(v.type), e.put_string(v.payer), e.put(v.cost), e.put(v.offers);
    e.put(v.accepted), e.put(v.declined), e.put(v.package_value), e.put(v.departures_avoided);
    e.put(v.trained), e.put(v.attracted), e.put(v.retained_end), e.put(v.beneficiaries_end);
    e.put<std::uint64_t>(v.accepted_from.size());
    for (const auto& [name, count] : v.accepted_from) e.put_string(name), e.put(count);
  }
}

RunSummary get_summary(Decoder& d, const Ranges& ranges) {
  RunSummary s;
  s.scenario = d.get_string("the scenario name"), s.seed = d.get<std::uint64_t>("the seed");
  s.months = d.get<std::int32_t>("months"), s.start = d.get_date("the start");
  s.end = d.get_date("the end"), s.talents_start = d.get<std::int64_t>("talents at the start");
  s.talents_end = d.get<std::int64_t>("talents at the end");
  s.organisations = d.get<std::int64_t>("organisations");
  s.moves = d.get<std::int64_t>("moves"), s.entries = d.get<std::int64_t>("entries");
  s.exits = d.get<std::int64_t>("exits"), s.counters_won = d.get<std::int64_t>("counters won");
  s.moves_per_talent_year = d.get<double>("moves per talent-year");
  s.unemployment_end = d.get<double>("unemployment");
  s.regions.resize(d.get_count("summary regions", 33));
  for (auto& r : s.regions) {
    r.region = d.get<RegionId>("a summary region");
    if (!r.region.valid() || r.region.index() >= ranges.regions)
      d.fail("a summary region is out of range");
    r.top_work_share = d.get<double>("a share"), r.top_origin_share = d.get<double>("a share");
    r.brain_drain_top = d.get<double>("brain drain"), r.brain_drain_all = d.get<double>("drain");
  }
  s.groups.resize(d.get_count("summary groups", 32));
  for (auto& g : s.groups) {
    g.group = d.get_string("a group"), g.top_work_share = d.get<double>("a share");
    g.top_origin_share = d.get<double>("a share"), g.brain_drain_top = d.get<double>("drain");
  }
  for (Quantiles& q : s.wage_end) q = d.get_quantiles("wages at the end");
  s.elite_top5_share_end = d.get<double>("the elite top-5 share");
  s.elite_hhi_end = d.get<double>("the elite HHI");
  s.signing_bonuses = d.get<double>("signing bonuses");
  s.largest_packages.resize(d.get_count("largest packages", 60));
  if (s.largest_packages.size() > 10) d.fail("more than 10 largest packages");
  for (MoveRecord& m : s.largest_packages) m = get_move(d, ranges);
  s.events.resize(d.get_count("summary events", 100));
  for (EventSummary& v : s.events) {
    v.name = d.get_string("an event name");
    v.type = d.get_enum<EventType>("an event type", kEventTypeCount);
    v.payer = d.get_string("a payer"), v.cost = d.get<double>("a cost");
    v.offers = d.get<std::int64_t>("offers"), v.accepted = d.get<std::int64_t>("accepted");
    v.declined = d.get<std::int64_t>("declined"), v.package_value = d.get<double>("value");
    v.departures_avoided = d.get<std::int64_t>("departures avoided");
    v.trained = d.get<std::int64_t>("trained"), v.attracted = d.get<std::int64_t>("attracted");
    v.retained_end = d.get<std::int64_t>("retained");
    v.beneficiaries_end = d.get<std::int64_t>("beneficiaries");
    v.accepted_from.resize(d.get_count("recruit origins", 16));
    for (auto& [name, count] : v.accepted_from) {
      name = d.get_string("a recruit origin"), count = d.get<std::int64_t>("a count");
    }
  }
  return s;
}

void put_progress(Encoder& e, const SimulationProgress& p) {
  e.put<std::int32_t>(p.months_run), e.put_bool(p.warmed_up);
  e.put<std::uint64_t>(p.events.size());
  for (const EventProgress& v : p.events) {
    e.put(v.budget_left), e.put(v.saved_a), e.put(v.saved_b), e.put(v.month_cost);
    e.put(v.cost_total), e.put_column(v.raided);
  }
  put_summary(e, p.summary);
  e.put(p.talent_months), e.put_bool(p.has_last);
  if (p.has_last) put_month(e, p.last);
}

SimulationProgress get_progress(Decoder& d, const Ranges& ranges) {
  SimulationProgress p;
  p.months_run = d.get<std::int32_t>("the months run");
  if (p.months_run < 0) d.fail("a negative number of months run");
  p.warmed_up = d.get_bool("the warm-up flag");
  p.events.resize(d.get_count("the number of events", 48));
  for (EventProgress& v : p.events) {
    v.budget_left = d.get<double>("a budget"), v.saved_a = d.get<double>("a saved value");
    v.saved_b = d.get<double>("a saved value"), v.month_cost = d.get<double>("a cost");
    v.cost_total = d.get<double>("a cost");
    v.raided = d.get_column<std::uint8_t>("an offensive's targets", Decoder::kAnySize);
  }
  p.summary = get_summary(d, ranges);
  p.talent_months = d.get<double>("talent-months");
  p.has_last = d.get_bool("the last-month flag");
  if (p.has_last) p.last = get_month(d, ranges);
  return p;
}

// --- how the run was started ---

void put_run(Encoder& e, const CheckpointRun& r) {
  const RunDescription& d = r.description;
  e.put_string(d.scenario_file), e.put_string(d.scenario_name), e.put(d.seed);
  e.put<std::int32_t>(d.months), e.put_date(d.start), e.put<std::int32_t>(d.threads);
  e.put_string(d.command_line), e.put_string(d.resolved_scenario);
  e.put<std::int32_t>(r.checkpoint_every);
  e.put<std::uint64_t>(r.writer.tables.size());
  for (const TableProgress& t : r.writer.tables) {
    e.put_string(t.file), e.put(t.bytes), e.put(t.crc), e.put(t.rows);
  }
  const RunTimings& t = r.writer.timings;
  e.put(t.build_seconds), e.put(t.warmup_seconds), e.put(t.run_seconds), e.put(t.write_seconds);
}

CheckpointRun get_run(Decoder& d) {
  CheckpointRun r;
  RunDescription& x = r.description;
  x.scenario_file = d.get_string("the scenario file"), x.scenario_name = d.get_string("a name");
  x.seed = d.get<std::uint64_t>("the seed"), x.months = d.get<std::int32_t>("the months");
  x.start = d.get_date("the start"), x.threads = d.get<std::int32_t>("the threads");
  x.command_line = d.get_string("the command line");
  x.resolved_scenario = d.get_string("the resolved scenario");
  if (x.months < 1 || x.threads < 1) d.fail("the run's months or threads are not positive");
  r.checkpoint_every = d.get<std::int32_t>("the checkpoint cadence");
  if (r.checkpoint_every < 1) d.fail("the checkpoint cadence is not positive");
  r.writer.tables.resize(d.get_count("the number of tables", 28));
  for (TableProgress& t : r.writer.tables) {
    t.file = d.get_string("a table file"), t.bytes = d.get<std::uint64_t>("a table's bytes");
    t.crc = d.get<std::uint32_t>("a table's checksum"), t.rows = d.get<std::int64_t>("rows");
    const bool plain = !t.file.empty() && t.file.find('/') == std::string::npos &&
                       t.file.find('\0') == std::string::npos && t.file[0] != '.';
    if (!plain) d.fail("a table file name is not a plain file name");
  }
  RunTimings& t = r.writer.timings;
  t.build_seconds = d.get<double>("a timing"), t.warmup_seconds = d.get<double>("a timing");
  t.run_seconds = d.get<double>("a timing"), t.write_seconds = d.get<double>("a timing");
  return r;
}

[[noreturn]] void refuse(const std::string& file, const std::string& reason) {
  throw IoError(fmt::format("{}: {}; it was not loaded", file, reason));
}

std::string os_reason(int error_number) {
  return std::error_code(error_number != 0 ? error_number : EIO, std::generic_category()).message();
}

}  // namespace

std::uint64_t scenario_fingerprint(std::string_view resolved_scenario) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : resolved_scenario) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string encode_checkpoint(const CheckpointRun& run, const World& world,
                              const SimulationProgress& simulation) {
  Encoder payload;
  payload.put_string(mercato_version());
  payload.put(scenario_fingerprint(run.description.resolved_scenario));
  put_run(payload, run);
  put_world(payload, world);
  put_progress(payload, simulation);

  Encoder file;
  file.bytes.append(kMagic, sizeof(kMagic));
  file.put(kCheckpointFormatVersion);
  file.put<std::uint64_t>(payload.bytes.size());
  file.put(crc32_of(payload.bytes));
  file.bytes.append(payload.bytes);
  return std::move(file.bytes);
}

Checkpoint decode_checkpoint(std::string_view bytes, const std::string& file,
                             const CheckpointReadOptions& options) {
  if (bytes.size() < kHeaderBytes)
    refuse(file, fmt::format("too short to be a mercato checkpoint ({} bytes, the header alone "
                             "is {}); the file is truncated or empty",
                             bytes.size(), kHeaderBytes));
  if (bytes.substr(0, sizeof(kMagic)) != std::string_view(kMagic, sizeof(kMagic)))
    refuse(file, "not a mercato checkpoint (it does not start with MRCTCKPT)");
  std::uint32_t version = 0, stored_crc = 0;
  std::uint64_t payload_size = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&payload_size, bytes.data() + 12, 8);
  std::memcpy(&stored_crc, bytes.data() + 20, 4);
  if (version != kCheckpointFormatVersion)
    refuse(file, fmt::format("checkpoint format version {}, but mercato {} reads version {} only",
                             version, mercato_version(), kCheckpointFormatVersion));
  const std::string_view payload = bytes.substr(kHeaderBytes);
  if (payload.size() < payload_size)
    refuse(file, fmt::format("truncated: {} bytes, the checkpoint says {}", bytes.size(),
                             kHeaderBytes + payload_size));
  if (payload.size() > payload_size)
    refuse(file, fmt::format("corrupted: {} bytes after the end of the checkpoint",
                             payload.size() - payload_size));
  if (options.verify_checksum) {
    const std::uint32_t crc = crc32_of(payload);
    if (crc != stored_crc)
      refuse(file, fmt::format("corrupted: its CRC-32 is {:08x}, the checkpoint says {:08x}", crc,
                               stored_crc));
  }

  Decoder d(payload, file);
  Checkpoint c;
  c.mercato_version = d.get_string("the mercato version");
  if (c.mercato_version != mercato_version())
    refuse(file, fmt::format("written by mercato {}; mercato {} resumes only its own checkpoints "
                             "(run the scenario again)",
                             c.mercato_version, mercato_version()));
  c.fingerprint = d.get<std::uint64_t>("the scenario fingerprint");
  c.run = get_run(d);
  if (scenario_fingerprint(c.run.description.resolved_scenario) != c.fingerprint)
    d.fail("its scenario does not match its fingerprint");
  if (options.expected_fingerprint && *options.expected_fingerprint != c.fingerprint)
    refuse(file, fmt::format("a checkpoint of another scenario ('{}', fingerprint {:016x}; "
                             "expected {:016x})",
                             c.run.description.scenario_name, c.fingerprint,
                             *options.expected_fingerprint));
  c.world = get_world(d);
  check_world(d, c.world);
  const Ranges ranges{c.world.regions.size(), c.world.orgs.size()};
  c.simulation = get_progress(d, ranges);
  if (c.simulation.months_run > c.run.description.months)
    d.fail("more months run than the run has");
  if (!d.at_end()) d.fail(fmt::format("{} bytes left after the last field", d.left()));
  return c;
}

void check_world_matches(const Checkpoint& checkpoint, const World& built,
                         const std::string& file) {
  const World& w = checkpoint.world;
  auto differs = [&](const std::string& what) {
    refuse(file, fmt::format("its {} differ from those of its scenario", what));
  };
  if (w.regions.size() != built.regions.size()) differs("regions");
  for (std::size_t r = 0; r < w.regions.size(); ++r)
    if (w.regions[r].id != built.regions[r].id) differs("regions");
  if (w.groups.size() != built.groups.size()) differs("region groups");
  for (std::size_t g = 0; g < w.groups.size(); ++g)
    if (w.groups[g].id != built.groups[g].id || w.groups[g].regions != built.groups[g].regions)
      differs("region groups");
  if (w.personas.size() != built.personas.size()) differs("personas");
  const Orgs &a = w.orgs, &b = built.orgs;
  if (a.name != b.name || a.kind != b.kind || a.region != b.region || a.named != b.named ||
      a.pool != b.pool)
    differs("organisations");
  if (w.seed != built.seed || w.replicate != built.replicate || w.scale != built.scale)
    differs("seed, replicate or scale");
}

Checkpoint read_checkpoint(const fs::path& file, const CheckpointReadOptions& options) {
  std::error_code error;
  if (!fs::exists(file, error)) throw IoError(fmt::format("{} does not exist", file.string()));
  std::ifstream in(file, std::ios::binary);
  std::string bytes;
  if (in) {
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
      bytes.resize(static_cast<std::size_t>(size));
      in.read(bytes.data(), size);
    }
  }
  if (!in) throw IoError(fmt::format("cannot read {}: {}", file.string(), os_reason(errno)));
  return decode_checkpoint(bytes, file.string(), options);
}

void write_checkpoint(const fs::path& file, const CheckpointRun& run, const World& world,
                      const SimulationProgress& simulation) {
  const std::string bytes = encode_checkpoint(run, world, simulation);
  const fs::path partial = file.parent_path() / ("." + file.filename().string() + ".partial");
  auto fail = [&](const char* action, int error_number) {
    ::unlink(partial.c_str());
    throw IoError(
        fmt::format("cannot {} checkpoint {}: {}", action, file.string(), os_reason(error_number)));
  };
  errno = 0;
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create", errno);
  std::size_t at = 0;
  while (at < bytes.size()) {
    errno = 0;
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      fail("write", e);
    }
    at += static_cast<std::size_t>(n);
  }
  // On the disk before the rename: an OS crash right after leaves the old or the new one whole.
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    fail("write", e);
  }
  if (::close(fd) != 0) fail("write", errno);
  if (::rename(partial.c_str(), file.c_str()) != 0) fail("rename", errno);
  // The rename itself reaches the disk with the folder's entry.
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

CheckpointWriter::CheckpointWriter(fs::path file, const Simulation& simulation, RunWriter& writer,
                                   CheckpointRun run)
    : file_(std::move(file)), simulation_(simulation), writer_(writer), run_(std::move(run)) {
  MERCATO_ASSERT(run_.checkpoint_every > 0);
}

void CheckpointWriter::on_month(const World& world, const MonthMetrics& metrics) {
  (void)metrics;
  const int month = simulation_.month();
  if (simulation_.done() || month % run_.checkpoint_every != 0) return;
  run_.writer = writer_.sync();
  write_checkpoint(file_, run_, world, simulation_.progress());
  writer_.keep_unfinished_files();
  last_month_ = month;
}

}  // namespace mercato::io
