#include "prepconfig.h"

#include "core/io/timeparse.h"
#include "core/util/jsonsettings.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <cmath>
#include <functional>
#include <map>

namespace swb {

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::PrepConfig)
};

using settings::boolean;
using settings::choice;
using settings::integer;
using settings::number;
using settings::settingError;

// One JSON section of the settings ("split": {...}); absent sections keep their defaults.
class SectionReader
{
public:
    using Reader = settings::Reader;

    SectionReader(QString section, std::map<QString, Reader> keys)
        : m_section(std::move(section)), m_keys(std::move(keys))
    {}

    Status read(const QJsonObject& root) const
    {
        if (!root.contains(m_section))
            return {};
        const QJsonValue value = root.value(m_section);
        if (!value.isObject())
            return settingError(m_section, Tr::tr("expected an object"));
        return settings::readObject(value.toObject(), m_section, m_keys);
    }

private:
    QString m_section;
    std::map<QString, Reader> m_keys;
};

SectionReader::Reader minutes(std::int64_t& seconds)
{
    return [&seconds](const QJsonValue& v, const QString& path) -> Status {
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || !std::isfinite(d) || std::abs(d) > 1.0e12)
            return settingError(path, Tr::tr("expected a number of minutes"));
        seconds = static_cast<std::int64_t>(std::llround(d * 60.0));
        return {};
    };
}

// A time bound: Unix seconds, or a date "2017-11-25", or a date and time "2017-11-25 13:00:00"
// (UTC), or null for no bound.
SectionReader::Reader timeBound(std::optional<std::int64_t>& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        if (v.isNull()) {
            target.reset();
            return {};
        }
        if (v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() == std::floor(v.toDouble())) {
            target = static_cast<std::int64_t>(v.toDouble());
            return {};
        }
        if (v.isString()) {
            const std::string text = v.toString().trimmed().toStdString();
            for (const TimeFormat format : {TimeFormat::Date, TimeFormat::DateTime, TimeFormat::Iso8601}) {
                if (const auto ts = parseTimestamp(text, format)) {
                    target = *ts;
                    return {};
                }
            }
        }
        return settingError(path, Tr::tr("expected a date (2017-11-25), a date and time "
                                         "(2017-11-25 13:00:00, UTC), Unix seconds or null"));
    };
}

const std::vector<std::pair<QString, SplitMethod>>& splitNames()
{
    static const std::vector<std::pair<QString, SplitMethod>> names = {
        {QStringLiteral("temporal"), SplitMethod::Temporal},
        {QStringLiteral("last_session"), SplitMethod::LastSessionPerUser},
        {QStringLiteral("random"), SplitMethod::RandomSession}};
    return names;
}

const std::vector<std::pair<QString, Scaling>>& scalingNames()
{
    static const std::vector<std::pair<QString, Scaling>> names = {
        {QStringLiteral("minmax"), Scaling::MinMax}, {QStringLiteral("zscore"), Scaling::ZScore}};
    return names;
}

} // namespace

QString splitMethodKey(SplitMethod method)
{
    for (const auto& [name, value] : splitNames()) {
        if (value == method)
            return name;
    }
    return {};
}

QString scalingKey(Scaling scaling)
{
    for (const auto& [name, value] : scalingNames()) {
        if (value == scaling)
            return name;
    }
    return {};
}

Result<PrepConfig> PrepConfig::fromJson(const QJsonObject& json)
{
    static const QStringList kSections = {QStringLiteral("clean"),    QStringLiteral("dedup"),
                                          QStringLiteral("sessions"), QStringLiteral("filter"),
                                          QStringLiteral("split"),    QStringLiteral("features")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!kSections.contains(it.key()))
            return settingError(
                it.key(), Tr::tr("unknown section (known: %1)").arg(kSections.join(QStringLiteral(", "))));
    }
    PrepConfig c;
    std::int64_t seed = static_cast<std::int64_t>(c.seed);
    const SectionReader sections[] = {
        {QStringLiteral("clean"),
         {{QStringLiteral("start"), timeBound(c.start)}, {QStringLiteral("end"), timeBound(c.end)}}},
        {QStringLiteral("dedup"),
         {{QStringLiteral("repeat_window_seconds"), integer(c.repeatWindowSeconds)}}},
        {QStringLiteral("sessions"),
         {{QStringLiteral("use_source_sessions"), boolean(c.useSourceSessions)},
          {QStringLiteral("gap_minutes"), minutes(c.gapSeconds)}}},
        {QStringLiteral("filter"),
         {{QStringLiteral("min_item_support"), integer(c.minItemSupport)},
          {QStringLiteral("min_session_length"), integer(c.minSessionLength)},
          {QStringLiteral("max_session_length"), integer(c.maxSessionLength)},
          {QStringLiteral("iterate"), boolean(c.iterate)}}},
        {QStringLiteral("split"),
         {{QStringLiteral("method"), choice(c.split, splitNames())},
          {QStringLiteral("test_days"), number(c.testDays)},
          {QStringLiteral("validation_days"), number(c.validationDays)},
          {QStringLiteral("test_fraction"), number(c.testFraction)},
          {QStringLiteral("validation_fraction"), number(c.validationFraction)},
          {QStringLiteral("seed"), integer(seed)}}},
        {QStringLiteral("features"), {{QStringLiteral("scaling"), choice(c.scaling, scalingNames())}}},
    };
    for (const SectionReader& section : sections) {
        if (Status s = section.read(json); !s)
            return s.error();
    }
    if (seed < 0)
        return settingError(QStringLiteral("split.seed"), Tr::tr("must not be negative"));
    c.seed = static_cast<std::uint64_t>(seed);
    if (Status s = c.validate(); !s)
        return s.error();
    return c;
}

Result<PrepConfig> PrepConfig::fromJsonFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::FileUnreadable, file.errorString(), path, 0, 0, {}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error{
            ErrorCode::InvalidArgument,
            parseError.error != QJsonParseError::NoError
                ? Tr::tr("not valid JSON at byte %1: %2").arg(parseError.offset).arg(parseError.errorString())
                : Tr::tr("expected a JSON object"),
            path,
            0,
            0,
            {}};
    auto config = fromJson(doc.object());
    if (!config) {
        Error e = config.error();
        e.file = path;
        return e;
    }
    return config;
}

Status PrepConfig::validate() const
{
    if (start && end && *end <= *start)
        return settingError(QStringLiteral("clean.end"), Tr::tr("the end must be after the start"));
    if (repeatWindowSeconds < 0)
        return settingError(QStringLiteral("dedup.repeat_window_seconds"), Tr::tr("must not be negative"));
    if (gapSeconds <= 0)
        return settingError(QStringLiteral("sessions.gap_minutes"), Tr::tr("must be more than 0"));
    if (minItemSupport < 1)
        return settingError(QStringLiteral("filter.min_item_support"), Tr::tr("must be at least 1"));
    if (minSessionLength < 1)
        return settingError(QStringLiteral("filter.min_session_length"), Tr::tr("must be at least 1"));
    if (maxSessionLength < 0)
        return settingError(QStringLiteral("filter.max_session_length"),
                            Tr::tr("must not be negative (0: no maximum)"));
    if (maxSessionLength > 0 && maxSessionLength < minSessionLength)
        return settingError(QStringLiteral("filter.max_session_length"),
                            Tr::tr("is below the minimum session length, so every session would be removed"));
    if (split == SplitMethod::Temporal) {
        if (!(testDays > 0))
            return settingError(QStringLiteral("split.test_days"),
                                Tr::tr("must be more than 0 (an empty test split)"));
        if (validationDays < 0)
            return settingError(QStringLiteral("split.validation_days"), Tr::tr("must not be negative"));
    }
    if (split == SplitMethod::RandomSession) {
        if (!(testFraction > 0 && testFraction < 1))
            return settingError(QStringLiteral("split.test_fraction"),
                                Tr::tr("must be between 0 and 1 (exclusive)"));
        if (!(validationFraction >= 0 && validationFraction < 1))
            return settingError(QStringLiteral("split.validation_fraction"),
                                Tr::tr("must be at least 0 and below 1"));
        if (testFraction + validationFraction >= 1)
            return settingError(QStringLiteral("split.validation_fraction"),
                                Tr::tr("test and validation fractions leave nothing for training"));
    }
    return {};
}

QJsonObject PrepConfig::toJson() const
{
    const auto bound = [](const std::optional<std::int64_t>& v) {
        return v ? QJsonValue(static_cast<double>(*v)) : QJsonValue(QJsonValue::Null);
    };
    return QJsonObject{
        {QStringLiteral("clean"),
         QJsonObject{{QStringLiteral("start"), bound(start)}, {QStringLiteral("end"), bound(end)}}},
        {QStringLiteral("dedup"),
         QJsonObject{{QStringLiteral("repeat_window_seconds"), double(repeatWindowSeconds)}}},
        {QStringLiteral("sessions"), QJsonObject{{QStringLiteral("use_source_sessions"), useSourceSessions},
                                                 {QStringLiteral("gap_minutes"), double(gapSeconds) / 60.0}}},
        {QStringLiteral("filter"),
         QJsonObject{{QStringLiteral("min_item_support"), double(minItemSupport)},
                     {QStringLiteral("min_session_length"), double(minSessionLength)},
                     {QStringLiteral("max_session_length"), double(maxSessionLength)},
                     {QStringLiteral("iterate"), iterate}}},
        {QStringLiteral("split"), QJsonObject{{QStringLiteral("method"), splitMethodKey(split)},
                                              {QStringLiteral("test_days"), testDays},
                                              {QStringLiteral("validation_days"), validationDays},
                                              {QStringLiteral("test_fraction"), testFraction},
                                              {QStringLiteral("validation_fraction"), validationFraction},
                                              {QStringLiteral("seed"), double(seed)}}},
        {QStringLiteral("features"), QJsonObject{{QStringLiteral("scaling"), scalingKey(scaling)}}},
    };
}

} // namespace swb
