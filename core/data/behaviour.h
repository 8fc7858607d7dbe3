#pragma once

#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace swb {

// The canonical behaviours every log format is mapped onto. Stored as one byte per event.
enum class Behaviour : std::uint8_t
{
    View = 0,
    Fav = 1,
    Cart = 2,
    RemoveFromCart = 3,
    Buy = 4
};

inline constexpr int kBehaviourCount = 5;

inline constexpr std::array<Behaviour, kBehaviourCount> kAllBehaviours = {
    Behaviour::View, Behaviour::Fav, Behaviour::Cart, Behaviour::RemoveFromCart, Behaviour::Buy};

// Stable machine name used in JSON, the workspace and mappings: view, fav, cart, remove_from_cart, buy.
std::string_view behaviourKey(Behaviour b);
std::optional<Behaviour> behaviourFromKey(std::string_view key);
// Translated name for display.
QString behaviourLabel(Behaviour b);

} // namespace swb
