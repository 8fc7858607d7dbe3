#include "formatspec.h"

#include "core/io/rowparser.h"
#include "core/io/timeparse.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <deque>

namespace swb {

namespace {

// Translation context of this file's messages (lupdate reads the macro).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::FormatSpec)
};

ColumnSpec col(const char* name, FieldRole role, bool numericId = false)
{
    return ColumnSpec{QString::fromLatin1(name), role, numericId};
}

std::vector<FormatSpec> makeBuiltins()
{
    using B = Behaviour;
    std::vector<FormatSpec> specs;

    FormatSpec taobao;
    taobao.name = QStringLiteral("taobao");
    taobao.columns = {col("user_id", FieldRole::User, true), col("item_id", FieldRole::Item, true),
                      col("category_id", FieldRole::Category, true),
                      col("behavior_type", FieldRole::Behaviour), col("timestamp", FieldRole::Timestamp)};
    taobao.timeFormat = TimeFormat::UnixSeconds;
    taobao.behaviourValues = {{"pv", B::View}, {"fav", B::Fav}, {"cart", B::Cart}, {"buy", B::Buy}};
    specs.push_back(taobao);

    FormatSpec retail;
    retail.name = QStringLiteral("retailrocket");
    retail.hasHeader = true;
    retail.columns = {col("timestamp", FieldRole::Timestamp), col("visitorid", FieldRole::User, true),
                      col("event", FieldRole::Behaviour), col("itemid", FieldRole::Item, true),
                      col("transactionid", FieldRole::Ignore)};
    retail.timeFormat = TimeFormat::UnixMillis;
    retail.behaviourValues = {{"view", B::View}, {"addtocart", B::Cart}, {"transaction", B::Buy}};
    specs.push_back(retail);

    FormatSpec rees;
    rees.name = QStringLiteral("rees46");
    rees.hasHeader = true;
    rees.columns = {col("event_time", FieldRole::Timestamp),  col("event_type", FieldRole::Behaviour),
                    col("product_id", FieldRole::Item, true), col("category_id", FieldRole::Category, true),
                    col("category_code", FieldRole::Ignore),  col("brand", FieldRole::Brand),
                    col("price", FieldRole::Price),           col("user_id", FieldRole::User, true),
                    col("user_session", FieldRole::Session)};
    rees.timeFormat = TimeFormat::DateTime;
    rees.behaviourValues = {
        {"view", B::View}, {"cart", B::Cart}, {"remove_from_cart", B::RemoveFromCart}, {"purchase", B::Buy}};
    specs.push_back(rees);

    FormatSpec tianchi;
    tianchi.name = QStringLiteral("tianchi");
    tianchi.hasHeader = true;
    tianchi.columns = {
        col("user_id", FieldRole::User, true),           col("item_id", FieldRole::Item, true),
        col("behavior_type", FieldRole::Behaviour),      col("user_geohash", FieldRole::Ignore),
        col("item_category", FieldRole::Category, true), col("time", FieldRole::Timestamp)};
    tianchi.timeFormat = TimeFormat::DateHour;
    tianchi.behaviourValues = {{"1", B::View}, {"2", B::Fav}, {"3", B::Cart}, {"4", B::Buy}};
    specs.push_back(tianchi);

    FormatSpec digi;
    digi.name = QStringLiteral("diginetica");
    digi.delimiter = ';';
    digi.hasHeader = true;
    digi.columns = {col("session_id", FieldRole::Session), col("user_id", FieldRole::User),
                    col("item_id", FieldRole::Item, true), col("timeframe", FieldRole::TimeOffsetMs),
                    col("eventdate", FieldRole::Timestamp)};
    digi.timeFormat = TimeFormat::Date;
    digi.fixedBehaviour = B::View;
    digi.missingUserToken = "NA";
    specs.push_back(digi);

    FormatSpec clicks;
    clicks.name = QStringLiteral("yoochoose-clicks");
    clicks.columns = {col("session_id", FieldRole::Session), col("timestamp", FieldRole::Timestamp),
                      col("item_id", FieldRole::Item, true), col("category", FieldRole::Category)};
    clicks.timeFormat = TimeFormat::Iso8601;
    clicks.fixedBehaviour = B::View;
    clicks.userFromSession = true;
    specs.push_back(clicks);

    FormatSpec buys;
    buys.name = QStringLiteral("yoochoose-buys");
    buys.columns = {col("session_id", FieldRole::Session), col("timestamp", FieldRole::Timestamp),
                    col("item_id", FieldRole::Item, true), col("price", FieldRole::Price),
                    col("quantity", FieldRole::Ignore)};
    buys.timeFormat = TimeFormat::Iso8601;
    buys.fixedBehaviour = B::Buy;
    buys.userFromSession = true;
    specs.push_back(buys);
    return specs;
}

// The fields of a line as the importer splits them (quotes honoured); empty for a broken line.
std::vector<std::string_view> fieldsOf(std::string_view line, char delimiter, std::deque<std::string>& owned)
{
    std::vector<std::string_view> fields;
    if (!detail::splitFields(line, delimiter, fields, owned))
        fields.clear();
    return fields;
}

bool headerMatches(const FormatSpec& spec, std::string_view line)
{
    std::deque<std::string> owned;
    const auto fields = fieldsOf(line, spec.delimiter, owned);
    if (fields.size() != spec.columns.size())
        return false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string_view field = fields[i];
        const QString name = QString::fromUtf8(field.data(), qsizetype(field.size()));
        if (name.compare(spec.columns[i].name, Qt::CaseInsensitive) != 0)
            return false;
    }
    return true;
}

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Does a headerless data line have the shape of this spec?
bool rowShapeMatches(const FormatSpec& spec, std::string_view line)
{
    std::deque<std::string> owned;
    const auto fields = fieldsOf(line, spec.delimiter, owned);
    if (fields.size() != spec.columns.size())
        return false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const ColumnSpec& c = spec.columns[i];
        const std::string_view f = fields[i];
        if (c.numericId && !allDigits(f))
            return false;
        if (c.role == FieldRole::Timestamp && !parseTimestamp(f, spec.timeFormat))
            return false;
        if (c.role == FieldRole::Behaviour) {
            const bool known = std::any_of(spec.behaviourValues.begin(), spec.behaviourValues.end(),
                                           [&](const auto& v) { return v.first == f; });
            if (!known)
                return false;
        }
    }
    return true;
}

std::optional<TimeFormat> timeFormatFromKey(const QString& key)
{
    if (key == QLatin1String("unix_s"))
        return TimeFormat::UnixSeconds;
    if (key == QLatin1String("unix_ms"))
        return TimeFormat::UnixMillis;
    if (key == QLatin1String("iso8601"))
        return TimeFormat::Iso8601;
    if (key == QLatin1String("datetime"))
        return TimeFormat::DateTime;
    if (key == QLatin1String("date_hour"))
        return TimeFormat::DateHour;
    if (key == QLatin1String("date"))
        return TimeFormat::Date;
    return std::nullopt;
}

Error mappingError(const QString& source, const QString& field, const QString& message)
{
    Error e{ErrorCode::InvalidArgument, message, source, 0, 0, field};
    return e;
}

} // namespace

int FormatSpec::columnOf(FieldRole role) const
{
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].role == role)
            return static_cast<int>(i);
    }
    return -1;
}

const std::vector<FormatSpec>& builtinFormats()
{
    static const std::vector<FormatSpec> specs = makeBuiltins();
    return specs;
}

std::optional<FormatSpec> builtinFormat(const QString& name)
{
    for (const FormatSpec& spec : builtinFormats()) {
        if (spec.name == name)
            return spec;
    }
    return std::nullopt;
}

QStringList formatNames()
{
    QStringList names;
    for (const FormatSpec& spec : builtinFormats())
        names << spec.name;
    names << QStringLiteral("yoochoose") << QStringLiteral("generic");
    return names;
}

Result<FormatSpec> formatFromMapping(const QJsonObject& mapping, const QString& sourceName)
{
    static const QStringList kTopKeys = {QStringLiteral("delimiter"),  QStringLiteral("header"),
                                         QStringLiteral("columns"),    QStringLiteral("timestamp_format"),
                                         QStringLiteral("behaviours"), QStringLiteral("default_behaviour")};
    static const std::vector<std::pair<QString, FieldRole>> kRoles = {
        {QStringLiteral("user"), FieldRole::User},
        {QStringLiteral("item"), FieldRole::Item},
        {QStringLiteral("category"), FieldRole::Category},
        {QStringLiteral("behaviour"), FieldRole::Behaviour},
        {QStringLiteral("timestamp"), FieldRole::Timestamp},
        {QStringLiteral("session"), FieldRole::Session},
        {QStringLiteral("price"), FieldRole::Price},
        {QStringLiteral("brand"), FieldRole::Brand}};

    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
        if (!kTopKeys.contains(it.key()))
            return mappingError(sourceName, it.key(),
                                Tr::tr("unknown key \"%1\" in the column mapping (known keys: %2)")
                                    .arg(it.key(), kTopKeys.join(QStringLiteral(", "))));
    }
    FormatSpec spec;
    spec.name = QStringLiteral("generic");
    const QString delimiter = mapping.value(QStringLiteral("delimiter")).toString(QStringLiteral(","));
    const QString delim = delimiter == QLatin1String("\\t") || delimiter == QLatin1String("tab")
                              ? QStringLiteral("\t")
                              : delimiter;
    if (delim.size() != 1 || delim.at(0).unicode() > 127 || delim == QLatin1String("\"") ||
        delim == QLatin1String("\n"))
        return mappingError(
            sourceName, QStringLiteral("delimiter"),
            Tr::tr("\"delimiter\" must be one ASCII character such as \",\", \";\" or \"\\t\""));
    spec.delimiter = delim.at(0).toLatin1();
    spec.hasHeader = mapping.value(QStringLiteral("header")).toBool(true);

    const QJsonValue columnsValue = mapping.value(QStringLiteral("columns"));
    if (!columnsValue.isObject())
        return mappingError(sourceName, QStringLiteral("columns"),
                            Tr::tr("\"columns\" must be an object such as {\"user\": \"visitor\", \"item\": "
                                   "\"sku\", \"timestamp\": \"time\"}"));
    const QJsonObject columns = columnsValue.toObject();
    // Columns are given by header name (resolved later against the file) or by 0-based index.
    std::vector<std::pair<FieldRole, QJsonValue>> wanted;
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        const auto role =
            std::find_if(kRoles.begin(), kRoles.end(), [&](const auto& r) { return r.first == it.key(); });
        if (role == kRoles.end())
            return mappingError(
                sourceName, QStringLiteral("columns.") + it.key(),
                Tr::tr("unknown role \"%1\" in \"columns\" (known: user, item, category, behaviour, "
                       "timestamp, session, price, brand)")
                    .arg(it.key()));
        if (!it.value().isString() && !(it.value().isDouble() && it.value().toInt(-1) >= 0))
            return mappingError(
                sourceName, QStringLiteral("columns.") + it.key(),
                Tr::tr("\"columns.%1\" must be a column name or a 0-based column index").arg(it.key()));
        wanted.emplace_back(role->second, it.value());
    }
    for (FieldRole required : {FieldRole::User, FieldRole::Item, FieldRole::Timestamp}) {
        const bool present =
            std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) { return w.first == required; });
        if (!present) {
            const auto name = std::find_if(kRoles.begin(), kRoles.end(),
                                           [&](const auto& r) { return r.second == required; });
            return mappingError(sourceName, QStringLiteral("columns"),
                                Tr::tr("\"columns\" must name the %1 column").arg(name->first));
        }
    }
    // Placeholder columns: names are kept in ColumnSpec::name with index markers; resolveMapping()
    // in the importer turns them into file order once the header (or column count) is known.
    for (const auto& [role, value] : wanted) {
        ColumnSpec c;
        c.role = role;
        c.name = value.isString() ? value.toString() : QStringLiteral("#") + QString::number(value.toInt());
        spec.columns.push_back(c);
    }

    const QString tf = mapping.value(QStringLiteral("timestamp_format")).toString(QStringLiteral("unix_s"));
    if (const auto known = timeFormatFromKey(tf)) {
        spec.timeFormat = *known;
    } else if (tf.startsWith(QLatin1String("qt:")) && tf.size() > 3) {
        spec.timeFormat = TimeFormat::Custom;
        spec.customTimePattern = tf.mid(3);
    } else {
        return mappingError(
            sourceName, QStringLiteral("timestamp_format"),
            Tr::tr("\"timestamp_format\" must be unix_s, unix_ms, iso8601, datetime, date_hour, date "
                   "or qt:<pattern>, not \"%1\"")
                .arg(tf));
    }

    const QJsonValue behaviours = mapping.value(QStringLiteral("behaviours"));
    if (!behaviours.isUndefined() && !behaviours.isObject())
        return mappingError(sourceName, QStringLiteral("behaviours"),
                            Tr::tr("\"behaviours\" must be an object mapping raw values to view, fav, cart, "
                                   "remove_from_cart or buy"));
    const QJsonObject bmap = behaviours.toObject();
    for (auto it = bmap.begin(); it != bmap.end(); ++it) {
        const auto b = behaviourFromKey(it.value().toString().toStdString());
        if (!b)
            return mappingError(
                sourceName, QStringLiteral("behaviours.") + it.key(),
                Tr::tr("\"behaviours.%1\" must be view, fav, cart, remove_from_cart or buy").arg(it.key()));
        spec.behaviourValues.emplace_back(it.key().toStdString(), *b);
    }
    const bool hasBehaviourColumn = spec.has(FieldRole::Behaviour);
    if (hasBehaviourColumn && spec.behaviourValues.empty()) {
        // Without a value mapping the canonical names are accepted as they are.
        for (Behaviour b : kAllBehaviours)
            spec.behaviourValues.emplace_back(std::string(behaviourKey(b)), b);
    }
    const QJsonValue def = mapping.value(QStringLiteral("default_behaviour"));
    if (!def.isUndefined()) {
        const auto b = behaviourFromKey(def.toString().toStdString());
        if (!b)
            return mappingError(
                sourceName, QStringLiteral("default_behaviour"),
                Tr::tr("\"default_behaviour\" must be view, fav, cart, remove_from_cart or buy"));
        if (hasBehaviourColumn)
            return mappingError(
                sourceName, QStringLiteral("default_behaviour"),
                Tr::tr("\"default_behaviour\" applies only when no behaviour column is mapped"));
        spec.fixedBehaviour = *b;
    } else if (!hasBehaviourColumn) {
        spec.fixedBehaviour = Behaviour::View;
    }
    return spec;
}

Result<FormatSpec> formatFromMappingFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::FileUnreadable,
                     Tr::tr("cannot read the mapping file: %1").arg(file.errorString()),
                     path,
                     0,
                     0,
                     {}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(1 << 20), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error{ErrorCode::InvalidArgument,
                     Tr::tr("the mapping is not a JSON object (%1 at byte %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset),
                     path,
                     0,
                     0,
                     {}};
    return formatFromMapping(doc.object(), path);
}

Result<Detection> detectFormat(const std::vector<std::string>& firstLines, const QString& fileName)
{
    std::vector<std::string_view> lines;
    for (const std::string& l : firstLines) {
        if (!l.empty())
            lines.emplace_back(l);
    }
    if (lines.empty())
        return Error{ErrorCode::FormatUnknown, Tr::tr("the file is empty"), fileName, 0, 0, {}};

    for (const FormatSpec& spec : builtinFormats()) {
        if (spec.hasHeader && headerMatches(spec, lines.front()))
            return Detection{spec, Tr::tr("the header names the %1 columns").arg(spec.name)};
    }
    const std::size_t sample = std::min<std::size_t>(lines.size(), 20);
    for (const FormatSpec& spec : builtinFormats()) {
        if (spec.hasHeader)
            continue;
        std::size_t matching = 0;
        for (std::size_t i = 0; i < sample; ++i)
            matching += rowShapeMatches(spec, lines[i]) ? 1 : 0;
        // Most of the first rows must fit, so one odd row does not hide the format.
        if (matching * 2 > sample)
            return Detection{
                spec,
                Tr::tr("%1 of the first %2 rows have the %3 shape").arg(matching).arg(sample).arg(spec.name)};
    }
    const std::string_view first = lines.front().substr(0, 80);
    return Error{
        ErrorCode::FormatUnknown,
        Tr::tr("the format is not recognised (first line: \"%1\"); name it with --format or give a column "
               "mapping with --mapping")
            .arg(QString::fromUtf8(first.data(), qsizetype(first.size()))),
        fileName,
        1,
        0,
        {}};
}

} // namespace swb
