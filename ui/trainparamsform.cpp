#include "trainparamsform.h"

#include "core/models/training.h"

#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include <algorithm>

namespace swb {

namespace {

QString labelOf(const QString& key, const QString& kind)
{
    static const std::map<QString, const char*> labels = {
        {QStringLiteral("lr"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Learning rate:")},
        {QStringLiteral("epochs"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Epochs (at most):")},
        {QStringLiteral("batch_size"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Batch size:")},
        {QStringLiteral("patience"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Patience (epochs):")},
        {QStringLiteral("l2"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "L2 penalty:")},
        {QStringLiteral("momentum"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Momentum (SGD):")},
        {QStringLiteral("optimizer"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Optimizer:")},
        {QStringLiteral("class_weight"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Class weight:")},
        {QStringLiteral("context"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Context (last items):")},
        {QStringLiteral("embedding"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Embedding width:")},
        {QStringLiteral("window"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Window (steps):")},
        {QStringLiteral("neighbours"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Neighbours (k):")},
        {QStringLiteral("sample_size"), QT_TRANSLATE_NOOP("swb::TrainParamsForm", "Sample size:")},
    };
    if (key == QLatin1String("hidden"))
        return kind == QLatin1String("mlp") ? TrainParamsForm::tr("Hidden layers:")
                                            : TrainParamsForm::tr("Hidden units:");
    const auto it = labels.find(key);
    return it == labels.end() ? key + QLatin1Char(':') : TrainParamsForm::tr(it->second);
}

QString textOf(const QJsonValue& value)
{
    if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue& v : value.toArray())
            parts << textOf(v);
        return parts.join(QLatin1Char(','));
    }
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 7); // the parameters are floats
    return value.toString();
}

// The typed text as the JSON the core reads: numbers as numbers, a comma list as an array. Text
// that is no number stays text, so the core's own check names what is wrong with it.
QJsonValue parseText(const QString& text, const QJsonValue& defaultValue)
{
    const QString t = text.trimmed();
    if (defaultValue.isArray()) {
        QJsonArray list;
        if (t.isEmpty())
            return list;
        for (const QString& part : t.split(QLatin1Char(','))) {
            bool ok = false;
            const int units = part.trimmed().toInt(&ok);
            list.append(ok ? QJsonValue(units) : QJsonValue(part.trimmed()));
        }
        return list;
    }
    if (defaultValue.isString())
        return t;
    bool ok = false;
    const qlonglong whole = t.toLongLong(&ok);
    if (ok)
        return QJsonValue(whole);
    const double number = t.toDouble(&ok);
    if (ok)
        return number;
    return t;
}

// Core messages start with the key ("lr: ..."); the field already says which one it is.
QString withoutKey(const QString& message, const QString& key)
{
    const QString prefix = key + QStringLiteral(": ");
    return message.startsWith(prefix) ? message.mid(prefix.size()) : message;
}

} // namespace

TrainParamsForm::TrainParamsForm(QWidget* parent) : QWidget(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_noParams = new QLabel(tr("This model has no hyperparameters."), this);
    m_noParams->setObjectName(QStringLiteral("noParams"));
    m_noParams->setWordWrap(true);
    m_layout->addRow(m_noParams);
}

TrainParamsForm::~TrainParamsForm() = default;

void TrainParamsForm::clearFields()
{
    for (const QString& key : m_order) {
        Field& f = m_fields[key];
        m_layout->removeRow(f.edit->parentWidget());
    }
    m_fields.clear();
    m_order.clear();
}

void TrainParamsForm::addField(const QString& key, const QString& label, const QString& text,
                               const QJsonValue& defaultValue)
{
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    Field f;
    f.edit = new QLineEdit(text, box);
    f.edit->setObjectName(QStringLiteral("param_") + key);
    f.error = new QLabel(box);
    f.error->setObjectName(QStringLiteral("paramError_") + key);
    f.error->setWordWrap(true);
    f.error->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; }"));
    f.error->hide();
    f.defaultValue = defaultValue;
    layout->addWidget(f.edit);
    layout->addWidget(f.error);
    auto* caption = new QLabel(label, this);
    caption->setBuddy(f.edit);
    m_layout->addRow(caption, box);
    connect(f.edit, &QLineEdit::textChanged, this, &TrainParamsForm::validate);
    m_fields[key] = f;
    m_order << key;
}

void TrainParamsForm::setModel(Task task, const QString& kind)
{
    // The seed and name survive a change of model; the parameters are the new model's defaults.
    const QString seedText =
        m_fields.count(QStringLiteral("seed")) ? field(QStringLiteral("seed"))->text() : QStringLiteral("42");
    const QString nameText = modelName();
    const QString namePlaceholder =
        m_fields.count(QStringLiteral("name")) ? field(QStringLiteral("name"))->placeholderText() : QString();
    clearFields();
    m_task = task;
    m_kind = kind;
    const auto defaults = defaultParams(task, kind);
    const QJsonObject params = defaults ? defaults.value() : QJsonObject();
    // The network's shape first, then how it is trained; keys unknown here go last.
    static const QStringList order = {
        QStringLiteral("hidden"),     QStringLiteral("context"),      QStringLiteral("embedding"),
        QStringLiteral("lr"),         QStringLiteral("epochs"),       QStringLiteral("batch_size"),
        QStringLiteral("patience"),   QStringLiteral("optimizer"),    QStringLiteral("momentum"),
        QStringLiteral("l2"),         QStringLiteral("class_weight"), QStringLiteral("window"),
        QStringLiteral("neighbours"), QStringLiteral("sample_size")};
    QStringList keys = params.keys();
    std::stable_sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
        const auto rank = [](const QString& k) {
            const qsizetype i = order.indexOf(k);
            return i < 0 ? order.size() : i;
        };
        return rank(a) < rank(b);
    });
    for (const QString& key : keys)
        addField(key, labelOf(key, kind), textOf(params.value(key)), params.value(key));
    m_noParams->setVisible(params.isEmpty());
    addField(QStringLiteral("seed"), tr("Seed:"), seedText, QJsonValue(42));
    field(QStringLiteral("seed"))->setToolTip(tr("Seed of the initial weights and the batch order"));
    addField(QStringLiteral("name"), tr("Model name:"), nameText, QJsonValue(QString()));
    field(QStringLiteral("name"))->setPlaceholderText(namePlaceholder);
    field(QStringLiteral("name"))->setClearButtonEnabled(true);
    validate();
}

QJsonValue TrainParamsForm::valueOf(const QString& key) const
{
    const Field& f = m_fields.at(key);
    return parseText(f.edit->text(), f.defaultValue);
}

QJsonObject TrainParamsForm::params() const
{
    QJsonObject json;
    for (const QString& key : m_order) {
        if (key != QLatin1String("seed") && key != QLatin1String("name"))
            json.insert(key, valueOf(key));
    }
    return json;
}

void TrainParamsForm::setParams(const QJsonObject& params)
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (QLineEdit* edit = field(it.key()))
            edit->setText(textOf(it.value()));
    }
}

std::uint64_t TrainParamsForm::seed() const
{
    const QLineEdit* edit = field(QStringLiteral("seed"));
    return edit ? edit->text().trimmed().toULongLong() : 42;
}

QString TrainParamsForm::modelName() const
{
    const QLineEdit* edit = field(QStringLiteral("name"));
    return edit ? edit->text().trimmed() : QString();
}

void TrainParamsForm::setModelName(const QString& name)
{
    if (QLineEdit* edit = field(QStringLiteral("name")))
        edit->setText(name);
}

void TrainParamsForm::setDefaultModelName(const QString& name)
{
    if (QLineEdit* edit = field(QStringLiteral("name")))
        edit->setPlaceholderText(name);
}

void TrainParamsForm::setNameCheck(std::function<QString(const QString&)> check)
{
    m_nameCheck = std::move(check);
    validate();
}

QLineEdit* TrainParamsForm::field(const QString& key) const
{
    const auto it = m_fields.find(key);
    return it == m_fields.end() ? nullptr : it->second.edit;
}

QString TrainParamsForm::fieldError(const QString& key) const
{
    const auto it = m_fields.find(key);
    return it == m_fields.end() || it->second.error->isHidden() ? QString() : it->second.error->text();
}

QList<QWidget*> TrainParamsForm::tabChain() const
{
    QList<QWidget*> chain;
    for (const QString& key : m_order)
        chain << m_fields.at(key).edit;
    return chain;
}

void TrainParamsForm::setFieldError(Field& f, const QString& message)
{
    f.error->setText(message);
    f.error->setVisible(!message.isEmpty());
    f.edit->setStyleSheet(message.isEmpty() ? QString()
                                            : QStringLiteral("QLineEdit { border: 1px solid #b3261e; }"));
}

void TrainParamsForm::validate()
{
    // Each parameter alone (the others at their defaults), so every bad field gets its own
    // message; it goes below the field the core's error names (for a rule between two fields,
    // such as sample_size >= neighbours, that may be the other one).
    std::map<QString, QString> messages;
    const auto note = [&](const QString& key, const QString& message) {
        QString& text = messages[m_fields.count(key) ? key : m_order.value(0)];
        if (text.isEmpty())
            text = message;
    };
    for (const QString& key : m_order) {
        if (key == QLatin1String("seed")) {
            bool ok = false;
            m_fields[key].edit->text().trimmed().toULongLong(&ok);
            if (!ok)
                note(key, tr("the seed is a whole number of at least 0"));
        } else if (key == QLatin1String("name")) {
            const QString problem =
                m_nameCheck && !modelName().isEmpty() ? m_nameCheck(modelName()) : QString();
            if (!problem.isEmpty())
                note(key, problem);
        } else if (const Status s = validateParams(m_task, m_kind, QJsonObject{{key, valueOf(key)}}); !s) {
            const QString field = m_fields.count(s.error().field) ? s.error().field : key;
            note(field, withoutKey(s.error().message, field));
        }
    }
    // Then all of them together, for the rules between parameters typed in both fields.
    if (messages.empty()) {
        if (const Status s = validateParams(m_task, m_kind, params()); !s)
            note(s.error().field, withoutKey(s.error().message, s.error().field));
    }
    for (auto& [key, f] : m_fields) {
        const auto it = messages.find(key);
        setFieldError(f, it == messages.end() ? QString() : it->second);
    }
    const bool valid = messages.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

} // namespace swb
