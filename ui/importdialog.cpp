#include "importdialog.h"

#include "importjob.h"

#include "core/io/rowparser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <deque>

namespace swb {

namespace {

const QString kGeneric = QStringLiteral("generic");
constexpr std::size_t kPreviewRows = 50;
// More distinct values than this: the column is not a behaviour column.
constexpr qsizetype kMaxBehaviourValues = 30;

struct RoleInfo
{
    const char* key;
    const char* label;
    QStringList hints; // header words that suggest the role
};

const std::vector<RoleInfo>& roleInfos()
{
    static const std::vector<RoleInfo> roles = {
        {"user",
         QT_TRANSLATE_NOOP("swb::ImportDialog", "User:"),
         {QStringLiteral("user"), QStringLiteral("visitor"), QStringLiteral("customer"),
          QStringLiteral("client")}},
        {"item",
         QT_TRANSLATE_NOOP("swb::ImportDialog", "Item:"),
         {QStringLiteral("item"), QStringLiteral("product"), QStringLiteral("sku"),
          QStringLiteral("article")}},
        {"category", QT_TRANSLATE_NOOP("swb::ImportDialog", "Category:"), {QStringLiteral("categor")}},
        {"behaviour",
         QT_TRANSLATE_NOOP("swb::ImportDialog", "Behaviour:"),
         {QStringLiteral("behavio"), QStringLiteral("type"), QStringLiteral("action"),
          QStringLiteral("event")}},
        {"timestamp",
         QT_TRANSLATE_NOOP("swb::ImportDialog", "Timestamp:"),
         {QStringLiteral("time"), QStringLiteral("date"), QStringLiteral("ts")}},
        {"session", QT_TRANSLATE_NOOP("swb::ImportDialog", "Session:"), {QStringLiteral("session")}},
        {"price", QT_TRANSLATE_NOOP("swb::ImportDialog", "Price:"), {QStringLiteral("price")}},
        {"brand", QT_TRANSLATE_NOOP("swb::ImportDialog", "Brand:"), {QStringLiteral("brand")}},
    };
    return roles;
}

QString behaviourKeyString(Behaviour b)
{
    const std::string_view key = behaviourKey(b);
    return QString::fromLatin1(key.data(), qsizetype(key.size()));
}

// A first guess for a raw behaviour value; the user corrects it in the table.
Behaviour guessBehaviour(const QString& raw)
{
    const QString v = raw.toLower();
    if (v.contains(QLatin1String("remove")))
        return Behaviour::RemoveFromCart;
    if (v.contains(QLatin1String("cart")) || v.contains(QLatin1String("basket")))
        return Behaviour::Cart;
    if (v.contains(QLatin1String("buy")) || v.contains(QLatin1String("purchase")) ||
        v.contains(QLatin1String("order")) || v.contains(QLatin1String("transaction")))
        return Behaviour::Buy;
    if (v.contains(QLatin1String("fav")) || v.contains(QLatin1String("like")) ||
        v.contains(QLatin1String("wish")))
        return Behaviour::Fav;
    return Behaviour::View;
}

} // namespace

ImportDialog::ImportDialog(const QString& path, std::shared_ptr<Workspace> workspace, QWidget* parent)
    : QDialog(parent), m_path(path), m_workspace(std::move(workspace))
{
    setWindowTitle(tr("Import Log"));
    setObjectName(QStringLiteral("importDialog"));
    resize(960, 720);

    // Many lines for the behaviour values seen (the importer reads at most its 64 KiB head); the
    // table shows the first kPreviewRows.
    auto preview = previewFile(path, 2000);
    if (preview)
        m_preview = std::move(preview.value());
    else
        m_previewError = preview.error().toString();

    auto* top = new QFormLayout;
    auto* file = new QLabel(QFileInfo(path).fileName(), this);
    file->setToolTip(path);
    file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addRow(tr("File:"), file);
    m_companionLabel = new QLabel(this);
    m_companionLabel->setObjectName(QStringLiteral("companionLabel"));
    top->addRow(m_companionLabel);
    m_companionLabel->hide();
    m_detection = new QLabel(this);
    m_detection->setWordWrap(true);
    m_detection->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addRow(tr("Detected:"), m_detection);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    for (const QString& name : formatNames())
        m_format->addItem(name == kGeneric ? tr("generic (column mapping)") : name, name);
    top->addRow(tr("Format:"), m_format);

    m_previewModel = new QStandardItemModel(this);
    m_previewView = new QTableView(this);
    m_previewView->setObjectName(QStringLiteral("previewView"));
    m_previewView->setModel(m_previewModel);
    m_previewView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_previewView->setWordWrap(false);

    auto* bottom = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("datasetName"));
    const QString base = datasetNameForFile(path);
    m_name->setText(m_workspace ? m_workspace->uniqueDatasetName(base) : base);
    m_nameProblem = new QLabel(this);
    m_nameProblem->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_nameProblem->setWordWrap(true);
    auto* nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name, 1);
    nameRow->addWidget(m_nameProblem, 1);
    bottom->addRow(tr("Dataset name:"), nameRow);
    m_strict = new QCheckBox(tr("Strict: stop at the first rejected row and import nothing"), this);
    m_strict->setObjectName(QStringLiteral("strictCheck"));
    bottom->addRow(QString(), m_strict);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* import = m_buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    import->setObjectName(QStringLiteral("importButton"));
    import->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(createMappingEditor());
    layout->addWidget(new QLabel(tr("First rows of the file:"), this));
    layout->addWidget(m_previewView, 1);
    layout->addLayout(bottom);
    layout->addWidget(m_buttons);

    if (!m_preview) {
        m_detection->setText(m_previewError);
        m_format->setEnabled(false);
    } else if (m_preview->detection) {
        m_detection->setText(
            tr("%1 (%2)").arg(m_preview->detection->spec.name, m_preview->detection->reason));
        m_format->setCurrentIndex(m_format->findData(m_preview->detection->spec.name));
    } else {
        m_detection->setText(tr("No known format: %1").arg(m_preview->detectionError));
        m_format->setCurrentIndex(m_format->findData(kGeneric));
    }
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::onFormatChanged);
    connect(m_name, &QLineEdit::textChanged, this, &ImportDialog::validate);
    onFormatChanged();
}

ImportDialog::~ImportDialog() = default;

QWidget* ImportDialog::createMappingEditor()
{
    m_mappingBox = new QGroupBox(tr("Column mapping"), this);
    m_mappingBox->setObjectName(QStringLiteral("mappingBox"));
    auto* layout = new QVBoxLayout(m_mappingBox);

    auto* fileRow = new QHBoxLayout;
    m_delimiter = new QComboBox(m_mappingBox);
    m_delimiter->addItem(tr("Comma ,"), QStringLiteral(","));
    m_delimiter->addItem(tr("Semicolon ;"), QStringLiteral(";"));
    m_delimiter->addItem(tr("Tab"), QStringLiteral("\\t"));
    m_delimiter->addItem(tr("Bar |"), QStringLiteral("|"));
    m_header = new QCheckBox(tr("First line is a header"), m_mappingBox);
    m_timeFormat = new QComboBox(m_mappingBox);
    m_timeFormat->addItem(tr("Unix seconds"), QStringLiteral("unix_s"));
    m_timeFormat->addItem(tr("Unix milliseconds"), QStringLiteral("unix_ms"));
    m_timeFormat->addItem(tr("ISO 8601 (2014-04-07T10:51:09Z)"), QStringLiteral("iso8601"));
    m_timeFormat->addItem(tr("Date and time (2019-10-01 00:00:00)"), QStringLiteral("datetime"));
    m_timeFormat->addItem(tr("Date and hour (2014-12-06 02)"), QStringLiteral("date_hour"));
    m_timeFormat->addItem(tr("Date (2016-05-09)"), QStringLiteral("date"));
    fileRow->addWidget(new QLabel(tr("Delimiter:"), m_mappingBox));
    fileRow->addWidget(m_delimiter);
    fileRow->addWidget(m_header);
    fileRow->addStretch(1);
    fileRow->addWidget(new QLabel(tr("Timestamp format:"), m_mappingBox));
    fileRow->addWidget(m_timeFormat);
    layout->addLayout(fileRow);

    auto* columns = new QHBoxLayout;
    auto* roleGrid = new QGridLayout;
    const auto& roles = roleInfos();
    for (std::size_t i = 0; i < roles.size(); ++i) {
        auto* combo = new QComboBox(m_mappingBox);
        const QString key = QString::fromLatin1(roles[i].key);
        combo->setObjectName(QStringLiteral("role_") + key);
        const int row = int(i % 4);
        const int col = int(i / 4) * 2;
        roleGrid->addWidget(new QLabel(tr(roles[i].label), m_mappingBox), row, col);
        roleGrid->addWidget(combo, row, col + 1);
        m_roles.emplace_back(key, combo);
        connect(combo, &QComboBox::currentIndexChanged, this, [this, key]() {
            if (m_updating)
                return;
            if (key == QLatin1String("behaviour"))
                updateBehaviourValues();
            if (key == QLatin1String("timestamp"))
                guessTimeFormat();
            onMappingChanged();
        });
    }
    columns->addLayout(roleGrid, 3);

    auto* behaviours = new QVBoxLayout;
    m_behaviourValues = new QTableWidget(0, 2, m_mappingBox);
    m_behaviourValues->setObjectName(QStringLiteral("behaviourValues"));
    m_behaviourValues->setHorizontalHeaderLabels({tr("Value in the file"), tr("Behaviour")});
    m_behaviourValues->horizontalHeader()->setStretchLastSection(true);
    m_behaviourValues->verticalHeader()->hide();
    m_behaviourValues->setMaximumHeight(130);
    m_behaviourValues->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    auto* defaultRow = new QHBoxLayout;
    m_defaultBehaviourLabel = new QLabel(tr("Every event is a:"), m_mappingBox);
    m_defaultBehaviour = new QComboBox(m_mappingBox);
    for (Behaviour b : kAllBehaviours)
        m_defaultBehaviour->addItem(behaviourLabel(b), behaviourKeyString(b));
    defaultRow->addWidget(m_defaultBehaviourLabel);
    defaultRow->addWidget(m_defaultBehaviour, 1);
    m_addValue = new QPushButton(tr("Add Value"), m_mappingBox);
    m_addValue->setToolTip(tr("Map a value that does not occur in the first rows of the file"));
    connect(m_addValue, &QPushButton::clicked, this, [this]() {
        addBehaviourValue(QString(), true);
        m_behaviourValues->editItem(m_behaviourValues->item(m_behaviourValues->rowCount() - 1, 0));
    });
    connect(m_behaviourValues, &QTableWidget::itemChanged, this, &ImportDialog::onMappingChanged);
    behaviours->addWidget(m_behaviourValues);
    behaviours->addWidget(m_addValue, 0, Qt::AlignRight);
    behaviours->addLayout(defaultRow);
    columns->addLayout(behaviours, 2);
    layout->addLayout(columns);

    auto* jsonRow = new QHBoxLayout;
    m_mappingJson = new QLineEdit(m_mappingBox);
    m_mappingJson->setObjectName(QStringLiteral("mappingJson"));
    m_mappingJson->setReadOnly(true);
    m_mappingJson->setToolTip(tr("The same mapping for the command line: scenewb import --mapping FILE"));
    jsonRow->addWidget(new QLabel(tr("Mapping JSON:"), m_mappingBox));
    jsonRow->addWidget(m_mappingJson, 1);
    layout->addLayout(jsonRow);
    m_mappingError = new QLabel(m_mappingBox);
    m_mappingError->setObjectName(QStringLiteral("mappingError"));
    m_mappingError->setWordWrap(true);
    m_mappingError->setStyleSheet(QStringLiteral("color: #b3261e;"));
    layout->addWidget(m_mappingError);

    connect(m_delimiter, &QComboBox::currentIndexChanged, this, [this]() {
        updateColumns();
        onMappingChanged();
    });
    connect(m_header, &QCheckBox::toggled, this, [this]() {
        updateColumns();
        onMappingChanged();
    });
    connect(m_timeFormat, &QComboBox::currentIndexChanged, this, &ImportDialog::onMappingChanged);
    connect(m_defaultBehaviour, &QComboBox::currentIndexChanged, this, &ImportDialog::onMappingChanged);
    return m_mappingBox;
}

bool ImportDialog::isGeneric() const
{
    return format() == kGeneric;
}

QString ImportDialog::format() const
{
    return m_format->currentData().toString();
}

QComboBox* ImportDialog::roleCombo(const QString& role) const
{
    for (const auto& [key, combo] : m_roles) {
        if (key == role)
            return combo;
    }
    return nullptr;
}

QPushButton* ImportDialog::importButton() const
{
    return findChild<QPushButton*>(QStringLiteral("importButton"));
}

char ImportDialog::delimiter() const
{
    if (isGeneric()) {
        const QString d = m_delimiter->currentData().toString();
        return d == QLatin1String("\\t") ? '\t' : d.at(0).toLatin1();
    }
    if (const auto spec = builtinFormat(format()))
        return spec->delimiter;
    return m_preview ? m_preview->delimiter : ',';
}

bool ImportDialog::hasHeader() const
{
    if (isGeneric())
        return m_header->isChecked();
    if (const auto spec = builtinFormat(format()))
        return spec->hasHeader;
    return false;
}

std::vector<std::vector<QString>> ImportDialog::splitRows() const
{
    std::vector<std::vector<QString>> rows;
    if (!m_preview)
        return rows;
    // The importer's own field splitter, so quotes are read as the import will read them.
    std::vector<std::string_view> fields;
    std::deque<std::string> owned;
    for (const std::string& line : m_preview->lines) {
        std::vector<QString> row;
        if (detail::splitFields(line, delimiter(), fields, owned)) {
            for (std::string_view f : fields)
                row.push_back(QString::fromStdString(detail::excerpt(f, 200)));
        } else {
            row.push_back(QString::fromStdString(detail::excerpt(line, 500)));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void ImportDialog::onFormatChanged()
{
    const bool generic = isGeneric();
    m_mappingBox->setVisible(generic);
    if (generic && m_preview) {
        const QSignalBlocker b1(m_delimiter), b2(m_header);
        const char d = m_preview->delimiter;
        const QString key = d == '\t' ? QStringLiteral("\\t") : QString(QLatin1Char(d));
        const int index = m_delimiter->findData(key);
        if (index >= 0)
            m_delimiter->setCurrentIndex(index);
        // A header is likely when the first line has no digits-only field.
        const auto rows = splitRows();
        const bool header =
            !rows.empty() && std::none_of(rows.front().begin(), rows.front().end(), [](const QString& f) {
                static const QRegularExpression number(QStringLiteral("^[-+0-9.:TZ ]+$"));
                return number.match(f).hasMatch();
            });
        m_header->setChecked(header);
        updateColumns();
        guessMapping();
    }
    updatePreviewTable();
    onMappingChanged();
}

void ImportDialog::updateColumns()
{
    const auto rows = splitRows();
    std::size_t width = 0;
    for (const auto& row : rows)
        width = std::max(width, row.size());
    const bool header = hasHeader();
    m_updating = true;
    for (const auto& [key, combo] : m_roles) {
        const QString previous = combo->currentText();
        combo->clear();
        combo->addItem(tr("(none)"), QVariant());
        for (std::size_t i = 0; i < width; ++i) {
            const QString name =
                header && !rows.empty() && i < rows.front().size() ? rows.front()[i] : QString();
            if (header)
                combo->addItem(name, name);
            else
                combo->addItem(tr("Column %1").arg(i + 1), int(i));
        }
        const int index = combo->findText(previous);
        combo->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_updating = false;
    updatePreviewTable();
    updateBehaviourValues();
}

void ImportDialog::guessMapping()
{
    if (!hasHeader())
        return;
    m_updating = true;
    std::vector<int> taken;
    const auto& roles = roleInfos();
    for (std::size_t r = 0; r < roles.size(); ++r) {
        QComboBox* combo = m_roles[r].second;
        // Hints in order of preference, so "event_type" wins over "event_time" for the behaviour.
        for (const QString& hint : roles[r].hints) {
            int found = -1;
            for (int i = 1; i < combo->count() && found < 0; ++i) {
                if (combo->itemText(i).toLower().contains(hint) &&
                    std::find(taken.begin(), taken.end(), i) == taken.end())
                    found = i;
            }
            if (found >= 0) {
                combo->setCurrentIndex(found);
                taken.push_back(found);
                break;
            }
        }
    }
    m_updating = false;
    updateBehaviourValues();
    guessTimeFormat();
}

void ImportDialog::guessTimeFormat()
{
    const int column = roleCombo(QStringLiteral("timestamp"))->currentIndex() - 1;
    const auto rows = splitRows();
    const std::size_t first = hasHeader() ? 1 : 0;
    if (column < 0 || rows.size() <= first || std::size_t(column) >= rows[first].size())
        return;
    const QString sample = rows[first][std::size_t(column)].trimmed();
    QString key;
    static const QRegularExpression digits(QStringLiteral("^\\d+$"));
    static const QRegularExpression dateTime(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"));
    static const QRegularExpression dateHour(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d$"));
    static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d$"));
    static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d"));
    if (digits.match(sample).hasMatch())
        key = sample.size() >= 12 ? QStringLiteral("unix_ms") : QStringLiteral("unix_s");
    else if (iso.match(sample).hasMatch())
        key = QStringLiteral("iso8601");
    else if (dateTime.match(sample).hasMatch())
        key = QStringLiteral("datetime");
    else if (dateHour.match(sample).hasMatch())
        key = QStringLiteral("date_hour");
    else if (date.match(sample).hasMatch())
        key = QStringLiteral("date");
    if (!key.isEmpty())
        m_timeFormat->setCurrentIndex(m_timeFormat->findData(key));
}

void ImportDialog::updateBehaviourValues()
{
    const int column = roleCombo(QStringLiteral("behaviour"))->currentIndex() - 1;
    const bool hasColumn = column >= 0;
    m_behaviourValues->setVisible(hasColumn);
    m_addValue->setVisible(hasColumn);
    m_defaultBehaviourLabel->setVisible(!hasColumn);
    m_defaultBehaviour->setVisible(!hasColumn);
    m_behaviourValues->setRowCount(0);
    if (!hasColumn)
        return;
    QStringList values;
    const auto rows = splitRows();
    // Rows with another field count are skipped: the last line of the preview may be cut short.
    const std::size_t fields = rows.empty() ? 0 : rows.front().size();
    for (std::size_t r = hasHeader() ? 1 : 0; r < rows.size() && values.size() < kMaxBehaviourValues; ++r) {
        if (rows[r].size() == fields && std::size_t(column) < fields &&
            !values.contains(rows[r][std::size_t(column)]))
            values << rows[r][std::size_t(column)];
    }
    const QSignalBlocker blocker(m_behaviourValues);
    for (const QString& value : values)
        addBehaviourValue(value, false);
}

void ImportDialog::addBehaviourValue(const QString& value, bool editable)
{
    const QSignalBlocker blocker(m_behaviourValues);
    const int row = m_behaviourValues->rowCount();
    m_behaviourValues->insertRow(row);
    auto* item = new QTableWidgetItem(value);
    if (editable)
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    else
        item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    m_behaviourValues->setItem(row, 0, item);
    auto* combo = new QComboBox(m_behaviourValues);
    for (Behaviour b : kAllBehaviours)
        combo->addItem(behaviourLabel(b), behaviourKeyString(b));
    combo->setCurrentIndex(combo->findData(behaviourKeyString(guessBehaviour(value))));
    connect(combo, &QComboBox::currentIndexChanged, this, &ImportDialog::onMappingChanged);
    m_behaviourValues->setCellWidget(row, 1, combo);
}

QJsonObject ImportDialog::mapping() const
{
    QJsonObject mapping;
    mapping.insert(QStringLiteral("delimiter"), m_delimiter->currentData().toString());
    mapping.insert(QStringLiteral("header"), m_header->isChecked());
    QJsonObject columns;
    for (const auto& [key, combo] : m_roles) {
        const QVariant column = combo->currentData();
        if (column.isValid())
            columns.insert(key, QJsonValue::fromVariant(column));
    }
    mapping.insert(QStringLiteral("columns"), columns);
    mapping.insert(QStringLiteral("timestamp_format"), m_timeFormat->currentData().toString());
    if (columns.contains(QStringLiteral("behaviour"))) {
        QJsonObject values;
        for (int row = 0; row < m_behaviourValues->rowCount(); ++row) {
            const auto* combo = qobject_cast<QComboBox*>(m_behaviourValues->cellWidget(row, 1));
            const QString raw = m_behaviourValues->item(row, 0)->text();
            if (!raw.isEmpty())
                values.insert(raw, combo->currentData().toString());
        }
        if (!values.isEmpty())
            mapping.insert(QStringLiteral("behaviours"), values);
    } else {
        mapping.insert(QStringLiteral("default_behaviour"), m_defaultBehaviour->currentData().toString());
    }
    return mapping;
}

void ImportDialog::onMappingChanged()
{
    if (m_updating)
        return;
    m_mappingSpec.reset();
    m_mappingError->clear();
    if (isGeneric()) {
        const QJsonObject json = mapping();
        m_mappingJson->setText(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
        m_mappingJson->setCursorPosition(0);
        auto spec = formatFromMapping(json, QFileInfo(m_path).fileName());
        if (spec)
            m_mappingSpec = std::move(spec.value());
        else
            m_mappingError->setText(spec.error().message);
    }
    updatePreviewTable();
    validate();
}

void ImportDialog::updatePreviewTable()
{
    m_previewModel->clear();
    const auto rows = splitRows();
    if (rows.empty())
        return;
    const bool header = hasHeader();
    std::size_t width = 0;
    for (const auto& row : rows)
        width = std::max(width, row.size());
    QStringList labels;
    for (std::size_t i = 0; i < width; ++i)
        labels << (header && i < rows.front().size() ? rows.front()[i] : tr("Column %1").arg(i + 1));
    m_previewModel->setHorizontalHeaderLabels(labels);
    for (std::size_t r = header ? 1 : 0; r < std::min(rows.size(), kPreviewRows + 1); ++r) {
        QList<QStandardItem*> items;
        for (const QString& field : rows[r])
            items << new QStandardItem(field);
        m_previewModel->appendRow(items);
    }
    m_previewView->resizeColumnsToContents();
}

void ImportDialog::validate()
{
    m_problem.clear();
    const QString name = datasetName();
    m_nameProblem->clear();
    if (!m_preview)
        m_problem = m_previewError;
    else if (isGeneric() && !m_mappingSpec)
        m_problem = m_mappingError->text();
    if (name.isEmpty()) {
        m_nameProblem->setText(tr("The dataset needs a name."));
    } else if (m_workspace && m_workspace->dataset(name)) {
        m_nameProblem->setText(tr("The workspace already has a dataset with this name."));
    }
    if (m_problem.isEmpty())
        m_problem = m_nameProblem->text();
    if (QPushButton* button = importButton())
        button->setEnabled(m_problem.isEmpty());
}

QString ImportDialog::datasetName() const
{
    return m_name->text().trimmed();
}

void ImportDialog::setCompanions(const QStringList& files)
{
    m_companions = files;
    QStringList names;
    for (const QString& f : files)
        names << QFileInfo(f).fileName();
    m_companionLabel->setText(tr("Imported together with: %1").arg(names.join(QStringLiteral(", "))));
    m_companionLabel->setVisible(!files.isEmpty());
}

ImportOptions ImportDialog::options() const
{
    ImportOptions options;
    options.files = QStringList{m_path} + m_companions;
    options.strict = m_strict->isChecked();
    if (isGeneric())
        options.spec = m_mappingSpec;
    else if (!m_companions.isEmpty() && format().startsWith(QLatin1String("yoochoose")))
        options.format = QStringLiteral("yoochoose"); // each file is clicks or buys
    else
        options.format = format();
    return options;
}

} // namespace swb
