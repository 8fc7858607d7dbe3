#pragma once

#include "core/data/workspace.h"

#include <QComboBox>
#include <QString>

#include <vector>

class QStandardItemModel;

namespace swb {

// What the Analyse page analyses: a dataset or a prepared run of the workspace, by name.
enum class AnalysisSourceKind
{
    Dataset,
    Run
};
struct AnalysisSource
{
    AnalysisSourceKind kind = AnalysisSourceKind::Dataset;
    QString name;
    bool isValid() const { return !name.isEmpty(); }
    bool operator==(const AnalysisSource&) const = default;
};

// The Analyse page's list of sources: a "Datasets" and a "Prepared runs" heading (not selectable),
// each followed by the workspace's datasets or runs in the order it lists them. Each listed source
// has a key, "d<id>" or "r<id>", so that a dataset or run removed and made again under the same
// name counts as a new source.
class AnalysisSourceCombo : public QComboBox
{
    Q_OBJECT
public:
    explicit AnalysisSourceCombo(QWidget* parent = nullptr);
    ~AnalysisSourceCombo() override;

    // Lists the sources without emitting currentIndexChanged(), choosing the first of `preferred`
    // and `fallback` that is listed, else the newest dataset, else the first run.
    void setSources(std::vector<DatasetInfo> datasets, std::vector<RunInfo> runs,
                    const AnalysisSource& preferred, const AnalysisSource& fallback);
    // Lists nothing (without emitting currentIndexChanged()).
    void clearSources();

    // The chosen source; invalid when none is.
    AnalysisSource currentSource() const;
    QString currentKey() const;
    // Chooses a listed source (emitting currentIndexChanged()); false when it is not listed.
    bool selectSource(const AnalysisSource& source);
    // The key of a listed source, empty when it is not listed.
    QString key(const AnalysisSource& source) const;
    bool contains(const AnalysisSource& source) const { return !key(source).isEmpty(); }

    QStandardItemModel* sourceModel() const { return m_model; }

private:
    int rowOf(const AnalysisSource& source) const;

    std::vector<DatasetInfo> m_datasets;
    std::vector<RunInfo> m_runs;
    QStandardItemModel* m_model = nullptr;
};

} // namespace swb
