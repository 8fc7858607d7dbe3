#include "jsonsettings.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cmath>
#include <limits>

namespace swb::settings {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::Settings)
};

bool wholeNumber(const QJsonValue& v, double limit)
{
    const double d = v.toDouble(std::nan(""));
    return v.isDouble() && std::isfinite(d) && d == std::floor(d) && std::abs(d) <= limit;
}

} // namespace

Error settingError(const QString& path, const QString& message)
{
    return Error{ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(path, message), {}, 0, 0, path};
}

Status readObject(const QJsonObject& object, const QString& prefix, const std::map<QString, Reader>& keys)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const auto reader = keys.find(it.key());
        if (reader == keys.end()) {
            QStringList known;
            for (const auto& [key, unused] : keys)
                known << key;
            return settingError(path,
                                Tr::tr("unknown setting (known: %1)").arg(known.join(QStringLiteral(", "))));
        }
        if (Status s = reader->second(it.value(), path); !s)
            return s;
    }
    return {};
}

Reader integer(std::int64_t& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (!wholeNumber(v, 9.0e15))
            return settingError(path, Tr::tr("expected a whole number"));
        target = static_cast<std::int64_t>(v.toDouble());
        return {};
    };
}

Reader integer(int& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (!wholeNumber(v, double(std::numeric_limits<int>::max())))
            return settingError(path, Tr::tr("expected a whole number"));
        target = static_cast<int>(v.toDouble());
        return {};
    };
}

Reader number(double& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return settingError(path, Tr::tr("expected a number"));
        target = v.toDouble();
        return {};
    };
}

Reader boolean(bool& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (!v.isBool())
            return settingError(path, Tr::tr("expected true or false"));
        target = v.toBool();
        return {};
    };
}

Reader integerList(std::vector<int>& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (!v.isArray())
            return settingError(path, Tr::tr("expected a list of whole numbers, e.g. [64, 32]"));
        std::vector<int> values;
        for (const QJsonValue& item : v.toArray()) {
            if (!wholeNumber(item, 1.0e9))
                return settingError(path, Tr::tr("expected a list of whole numbers, e.g. [64, 32]"));
            values.push_back(static_cast<int>(item.toDouble()));
        }
        target = std::move(values);
        return {};
    };
}

} // namespace swb::settings
