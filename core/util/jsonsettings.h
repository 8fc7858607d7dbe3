#pragma once

#include "core/util/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

// Reading settings from JSON against a table of known keys: every key's reader parses its value
// into a typed field. Unknown keys and wrong types are errors naming the setting's path
// ("split.seed", "lr"), so a user can find the offending line. Shared by the preparation
// settings and the models' hyperparameters.
namespace swb::settings {

// InvalidArgument, "path: message", with the path as the error's field.
Error settingError(const QString& path, const QString& message);

using Reader = std::function<Status(const QJsonValue&, const QString& path)>;

// Reads every key of `object`; paths are prefix + "." + key (or the bare key without a prefix).
Status readObject(const QJsonObject& object, const QString& prefix, const std::map<QString, Reader>& keys);

Reader integer(std::int64_t& target);
Reader integer(int& target); // within int's range
Reader number(double& target);
Reader boolean(bool& target);
Reader integerList(std::vector<int>& target); // [64, 32]

// One of a fixed set of names.
template <typename Enum> Reader choice(Enum& target, std::vector<std::pair<QString, Enum>> names)
{
    return [&target, names](const QJsonValue& v, const QString& path) -> Status {
        QStringList known;
        for (const auto& [name, value] : names) {
            if (v.isString() && v.toString() == name) {
                target = value;
                return {};
            }
            known << name;
        }
        return settingError(path, QCoreApplication::translate("swb::Settings", "expected one of %1")
                                      .arg(known.join(QStringLiteral(", "))));
    };
}

} // namespace swb::settings
