#pragma once

#include "core/data/workspace.h"
#include "core/io/importer.h"

#include <QDialog>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTableWidget;

namespace swb {

// Shows what a log looks like before importing it: the detected format (which the user may
// override), the first rows, and for "generic" files a column mapping editor that builds the same
// JSON mapping `scenewb import --mapping` reads. Accepting it yields the import options.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(const QString& path, std::shared_ptr<Workspace> workspace, QWidget* parent = nullptr);
    ~ImportDialog() override;

    // Further files imported into the same dataset (a YOOCHOOSE clicks file's buys file).
    void setCompanions(const QStringList& files);
    ImportOptions options() const;
    QString datasetName() const;
    // The chosen format name ("generic" for a mapping).
    QString format() const;
    // The mapping as JSON (only meaningful for "generic").
    QJsonObject mapping() const;
    // Empty when the dialog can import; otherwise why not.
    QString problem() const { return m_problem; }

    QComboBox* formatCombo() const { return m_format; }
    // The combo choosing the column of a role (user, item, category, behaviour, timestamp, session,
    // price, brand); for tests and the mapping guess.
    QComboBox* roleCombo(const QString& role) const;
    QPushButton* importButton() const;

private:
    QWidget* createMappingEditor();
    void onFormatChanged();
    void onMappingChanged();
    void guessMapping();
    void guessTimeFormat();
    void updateColumns();
    void updatePreviewTable();
    void updateBehaviourValues();
    void addBehaviourValue(const QString& value, bool editable);
    void validate();
    char delimiter() const;
    QStringList m_companions;
    QLabel* m_companionLabel = nullptr;
    bool hasHeader() const;
    std::vector<std::vector<QString>> splitRows() const;
    bool isGeneric() const;

    QString m_path;
    std::shared_ptr<Workspace> m_workspace;
    std::optional<FilePreview> m_preview;
    QString m_previewError;
    std::optional<FormatSpec> m_mappingSpec;
    QString m_problem;
    bool m_updating = false;

    QLabel* m_detection = nullptr;
    QComboBox* m_format = nullptr;
    QGroupBox* m_mappingBox = nullptr;
    QComboBox* m_delimiter = nullptr;
    QCheckBox* m_header = nullptr;
    QComboBox* m_timeFormat = nullptr;
    std::vector<std::pair<QString, QComboBox*>> m_roles;
    QTableWidget* m_behaviourValues = nullptr;
    QComboBox* m_defaultBehaviour = nullptr;
    QPushButton* m_addValue = nullptr;
    QLabel* m_defaultBehaviourLabel = nullptr;
    QLineEdit* m_mappingJson = nullptr;
    QLabel* m_mappingError = nullptr;
    QStandardItemModel* m_previewModel = nullptr;
    QTableView* m_previewView = nullptr;
    QLineEdit* m_name = nullptr;
    QCheckBox* m_strict = nullptr;
    QLabel* m_nameProblem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace swb
