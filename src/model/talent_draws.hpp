// Drawing a talent's persona and preferences (MODEL.md, Talents): shared by the world
// builder (initial stock) and entry (graduates), keyed by the talent's uid.
#pragma once

#include <algorithm>

#include "model/model.hpp"

namespace mercato {

// Fills persona and prefs of row i from the world's persona mixture, keyed by (stream, month,
// uid). w_money is kept >= 0.05 so that money always matters a little (indifference money is
// finite); the other weights may be any sign.
inline void draw_preferences(World& w, const Rng& rng, Stream stream, int month, std::size_t i) {
  const auto uid = w.talents.uid[i];
  auto r = rng.bits(stream, month, uid, 0x70000000u);
  double total = 0;
  for (const auto& p : w.personas) total += p.share;
  double u = Rng::to_unit(r[0]) * total;
  std::size_t k = 0;
  while (k + 1 < w.personas.size() && u >= w.personas[k].share) u -= w.personas[k++].share;
  const Persona& persona = w.personas[k];
  auto draw = [&](const Distribution& d, std::uint32_t field) {
    const auto b = rng.bits(stream, month, uid, 0x70000001u + field);
    return d.sample(Rng::to_unit(b[0]), Rng::normal_from(b[1], b[2]));
  };
  w.talents.persona[i] = static_cast<std::uint8_t>(k);
  w.talents.prefs[i] = Preferences{static_cast<float>(std::max(0.05, draw(persona.w_money, 0))),
                                   static_cast<float>(draw(persona.w_mission, 1)),
                                   static_cast<float>(draw(persona.w_open, 2)),
                                   static_cast<float>(draw(persona.w_compute, 3)),
                                   static_cast<float>(draw(persona.home_bias, 4))};
}

}  // namespace mercato
