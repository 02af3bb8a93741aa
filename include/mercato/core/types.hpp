// Strong ids and the model's small enums (MODEL.md). Plain integers appear only at the
// Python and file boundaries; inside, a TalentId can never be passed as an OrgId.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace mercato {

template <class Tag, class Rep = std::uint32_t>
struct StrongId {
  using rep = Rep;
  Rep value = std::numeric_limits<Rep>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  constexpr bool valid() const { return value != std::numeric_limits<Rep>::max(); }
  constexpr std::size_t index() const { return value; }
  constexpr auto operator<=>(const StrongId&) const = default;
  static constexpr StrongId none() { return StrongId(); }
};

using TalentId = StrongId<struct TalentTag>;
using OrgId = StrongId<struct OrgTag>;
using RegionId = StrongId<struct RegionTag, std::uint8_t>;

inline constexpr OrgId kNoEmployer = OrgId::none();

enum class Role : std::uint8_t { research = 0, engineering = 1 };
inline constexpr int kRoleCount = 2;

// Tiers are fixed at world build from percentiles of the initial population (MODEL.md).
// `top` as a stored tier means top-but-not-elite; reports use elite, top (elite included), all.
enum class Tier : std::uint8_t { elite = 0, top = 1, rest = 2 };

enum class OrgKind : std::uint8_t { frontier_lab, big_tech, startup, sme, university, public_lab };
inline constexpr int kOrgKindCount = 6;
inline constexpr std::array<std::string_view, kOrgKindCount> kOrgKindNames = {
    "frontier_lab", "big_tech", "startup", "sme", "university", "public_lab"};

constexpr std::string_view to_string(OrgKind k) {
  return kOrgKindNames[static_cast<int>(k)];
}
constexpr std::string_view to_string(Role r) {
  return r == Role::research ? "research" : "engineering";
}
constexpr std::string_view to_string(Tier t) {
  return t == Tier::elite ? "elite" : (t == Tier::top ? "top" : "rest");
}
inline std::optional<OrgKind> org_kind_from_string(std::string_view s) {
  for (int k = 0; k < kOrgKindCount; ++k)
    if (kOrgKindNames[k] == s) return static_cast<OrgKind>(k);
  return std::nullopt;
}

// The scenario timeline's event types (MODEL.md, Events and policies).
enum class EventType : std::uint8_t {
  offensive,
  retention_grant,
  mission_shift,
  compute_change,
  alliance,
  training_program,
  tax_regime,
  public_compute,
  visa_policy,
  non_compete,
  funding_shock
};
inline constexpr int kEventTypeCount = 11;
inline constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames = {
    "offensive",   "retention_grant",  "mission_shift", "compute_change",
    "alliance",    "training_program", "tax_regime",    "public_compute",
    "visa_policy", "non_compete",      "funding_shock"};
constexpr std::string_view to_string(EventType t) {
  return kEventTypeNames[static_cast<int>(t)];
}
inline std::optional<EventType> event_type_from_string(std::string_view s) {
  for (int k = 0; k < kEventTypeCount; ++k)
    if (kEventTypeNames[k] == s) return static_cast<EventType>(k);
  return std::nullopt;
}

// A calendar month (the scenario's `start: 2025-01`).
struct YearMonth {
  int year = 2025;
  int month = 1;  // 1..12
  constexpr YearMonth plus_months(int n) const {
    int m = (year * 12 + (month - 1)) + n;
    return {m / 12, m % 12 + 1};
  }
  constexpr auto operator<=>(const YearMonth&) const = default;
};

}  // namespace mercato
