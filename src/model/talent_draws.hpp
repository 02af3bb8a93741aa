// Drawing a talent's persona and preferences (MODEL.md, Talents): shared by the world
// builder (initial stock) and entry (graduates), keyed by the talent's uid.
#pragma once

#include "model/model.hpp"

namespace mercato {

// Fills persona and prefs of row i from the world's persona mixture, keyed by (stream, month,
// uid). A constant field is the persona's value, without a draw (the draws are counter-based,
// so skipping one changes no other).
inline void draw_preferences(World& w, const Rng& rng, Stream stream, int month, std::size_t i) {
  const auto uid = w.talents.uid[i];
  auto r = rng.bits(stream, month, uid, 0x70000000u);
  double total = 0;
  for (const auto& p : w.personas) total += p.share;
  double u = Rng::to_unit(r[0]) * total;
  std::size_t k = 0;
  while (k + 1 < w.personas.size() && u >= w.personas[k].share) u -= w.personas[k++].share;
  const auto d = preference_distributions(w.personas[k]);
  Preferences prefs{};
  for (std::size_t f = 0; f < kPreferenceFields; ++f) {
    double x = d[f]->a;
    if (d[f]->kind != Distribution::Kind::constant) {
      const auto b = rng.bits(stream, month, uid, 0x70000001u + static_cast<std::uint32_t>(f));
      x = d[f]->sample(Rng::to_unit(b[0]), Rng::normal_from(b[1], b[2]));
    }
    prefs.*kPreferenceField[f] = preference_value(f, x);
  }
  w.talents.persona[i] = static_cast<std::uint8_t>(k);
  w.talents.set_prefs(i, prefs);
}

}  // namespace mercato
