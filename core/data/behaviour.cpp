#include "behaviour.h"

#include <QCoreApplication>

namespace swb {

namespace {
constexpr std::array<std::string_view, kBehaviourCount> kKeys = {"view", "fav", "cart", "remove_from_cart",
                                                                 "buy"};
}

std::string_view behaviourKey(Behaviour b)
{
    return kKeys[static_cast<std::size_t>(b)];
}

std::optional<Behaviour> behaviourFromKey(std::string_view key)
{
    for (int i = 0; i < kBehaviourCount; ++i) {
        if (kKeys[static_cast<std::size_t>(i)] == key)
            return static_cast<Behaviour>(i);
    }
    return std::nullopt;
}

QString behaviourLabel(Behaviour b)
{
    switch (b) {
    case Behaviour::View:
        return QCoreApplication::translate("swb::Behaviour", "View");
    case Behaviour::Fav:
        return QCoreApplication::translate("swb::Behaviour", "Favourite");
    case Behaviour::Cart:
        return QCoreApplication::translate("swb::Behaviour", "Cart");
    case Behaviour::RemoveFromCart:
        return QCoreApplication::translate("swb::Behaviour", "Remove from cart");
    case Behaviour::Buy:
        return QCoreApplication::translate("swb::Behaviour", "Buy");
    }
    return {};
}

} // namespace swb
